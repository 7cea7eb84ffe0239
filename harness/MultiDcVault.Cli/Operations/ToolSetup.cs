using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Cli.Operations;

/// <summary>Installs pinned kind, helm and kubectl into the user's tool cache (doctor --fix, up --install-tools).</summary>
internal sealed class ToolSetup(CliConsole console, CliServices services)
{
    public ToolCache Cache { get; } = ToolCache.FromEnvironment(console.ReadVariable);

    /// <summary>Searches the tool cache first, then PATH.</summary>
    public ExecutableResolver Resolver => new(Cache.BinDirectory);

    public IReadOnlyList<ToolRelease> Missing() =>
        [.. services.ToolCatalog.Where(t => Resolver.TryResolve(t.Name) is null)];

    public IReadOnlyList<ToolRelease> Named(IEnumerable<string> names) =>
        [.. services.ToolCatalog.Where(t => names.Contains(t.Name, StringComparer.Ordinal))];

    public async Task<IReadOnlyList<ProvisionedTool>> InstallAsync(IReadOnlyList<ToolRelease> tools, CancellationToken cancellationToken)
    {
        var handler = services.ToolHttpHandler;
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromMinutes(15);
        var provisioner = new ToolProvisioner(http, Cache, baseUrl: services.ToolBaseUrl);
        var installed = new List<ProvisionedTool>();
        foreach (var tool in tools)
        {
            await console.Error.WriteLineAsync($"Installing {tool} into {Cache.VersionDirectory(tool)} ...");
            var result = await provisioner.InstallAsync(tool, cancellationToken);
            var origin = result.ChecksumOrigin == ChecksumOrigin.Pinned ? "pinned SHA-256" : "publisher's SHA-256 file";
            await console.Error.WriteLineAsync($"Installed {tool} at {result.LinkPath} ({origin} {result.Sha256} verified{(result.Downloaded ? string.Empty : ", already present")}).");
            installed.Add(result);
        }

        return installed;
    }
}
