using System.Text.Json.Serialization;
using System.Text.Json;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Environment.State;

/// <summary>
/// Reads and writes an environment's state.json and secrets.json in its work directory.
/// secrets.json holds the central Vault's root token, transit token and unseal key, which a later process
/// needs to attach to that central Vault (CentralVault.AttachAsync: unseal it after a restart) and to read
/// the in-cluster root token;
/// it is created with mode 0600 (owner only) and never logged. state.json holds no credential.
/// </summary>
internal sealed class EnvironmentStateStore
{
    public const string StateFileName = "state.json";
    public const string SecretsFileName = "secrets.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public EnvironmentStateStore(string workDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workDirectory);
        WorkDirectory = workDirectory;
    }

    public string WorkDirectory { get; }

    public string StatePath => Path.Combine(WorkDirectory, StateFileName);

    public string SecretsPath => Path.Combine(WorkDirectory, SecretsFileName);

    public async Task<EnvironmentState?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(StatePath))
        {
            return null;
        }

        var json = await File.ReadAllTextAsync(StatePath, cancellationToken);
        EnvironmentState? state;
        try
        {
            state = JsonSerializer.Deserialize<EnvironmentState>(json, Json);
        }
        catch (JsonException ex)
        {
            throw Unreadable(ex);
        }

        // Explicit nulls pass the deserializer's required-member check but would fail every reader later.
        if (state is not null && (state.Session is null || state.NetworkName is null || state.Clusters is null || state.Clusters.Any(c => c is null)))
        {
            throw Unreadable(new JsonException("a required value is null"));
        }

        return state;
    }

    /// <summary>The inner exception says what is wrong with the file, without the advice.</summary>
    private InvalidDataException Unreadable(JsonException reason) =>
        new($"{StatePath} is not a state file this harness can read ({reason.Message}). " +
            "If no environment of this session is running, delete it; otherwise run `multidc down` with the same work directory.", reason);

    public Task WriteAsync(EnvironmentState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return WriteFileAsync(StatePath, JsonSerializer.Serialize(state, Json), ownerOnly: false, cancellationToken);
    }

    public async Task<CentralVaultState?> ReadSecretsAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(SecretsPath))
        {
            return null;
        }

        SecretsDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SecretsDocument>(await File.ReadAllTextAsync(SecretsPath, cancellationToken), Json);
        }
        catch (JsonException)
        {
            // Never echo the content: it holds tokens.
            throw new InvalidDataException($"{SecretsPath} is damaged, so the central Vault cannot be unsealed or used any more; run `multidc down` and then `multidc up`.");
        }

        // A file without the unseal key comes from a dev-mode central Vault of an older harness: nothing to attach to.
        if (document is null || string.IsNullOrEmpty(document.RootToken) || string.IsNullOrEmpty(document.TransitToken) || string.IsNullOrEmpty(document.UnsealKey))
        {
            return null;
        }

        var state = new CentralVaultState(
            document.ContainerName, new SecretValue(document.RootToken), new SecretValue(document.TransitToken), new SecretValue(document.UnsealKey));
        Redactor.Default.Register(state.RootToken);
        Redactor.Default.Register(state.TransitToken);
        Redactor.Default.Register(state.UnsealKey);
        return state;
    }

    public Task WriteSecretsAsync(CentralVaultState secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var document = new SecretsDocument(secrets.ContainerName, secrets.RootToken.Reveal(), secrets.TransitToken.Reveal(), secrets.UnsealKey.Reveal());
        return WriteFileAsync(SecretsPath, JsonSerializer.Serialize(document, Json), ownerOnly: true, cancellationToken);
    }

    /// <summary>Removes state.json and secrets.json (after a complete teardown).</summary>
    public void Delete()
    {
        // File.Delete throws when the directory is missing: a down of an environment that never started.
        if (!Directory.Exists(WorkDirectory))
        {
            return;
        }

        File.Delete(StatePath);
        File.Delete(SecretsPath);
    }

    /// <summary>Renames state.json and secrets.json to *.damaged-&lt;UTC time&gt; (what a person should look at); returns the new paths.</summary>
    public IReadOnlyList<string> SetAsideDamaged(DateTimeOffset now)
    {
        var suffix = ".damaged-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var kept = new List<string>();
        foreach (var path in new[] { StatePath, SecretsPath }.Where(File.Exists))
        {
            File.Move(path, path + suffix, overwrite: true);
            kept.Add(path + suffix);
        }

        return kept;
    }

    private static async Task WriteFileAsync(string path, string content, bool ownerOnly, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Write a temporary file and move it over: a crash never leaves half a state file behind.
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(content.AsMemory(), cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private sealed record SecretsDocument(string ContainerName, string RootToken, string TransitToken, string? UnsealKey);
}
