using System.Text.RegularExpressions;

namespace MultiDcVault.Harness.Infrastructure.Secrets;

/// <summary>
/// Replaces known secrets and anything shaped like a Vault token in text that is about
/// to be logged, stored in a diagnostics bundle or put into an exception message.
/// </summary>
internal sealed partial class Redactor
{
    public const string Mask = "[redacted]";

    private readonly List<string> _known = [];
    private readonly Lock _gate = new();

    public static Redactor Default { get; } = new();

    public void Register(SecretValue secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        lock (_gate)
        {
            if (!_known.Contains(secret.Reveal()))
            {
                _known.Add(secret.Reveal());
            }
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        string[] known;
        lock (_gate)
        {
            known = [.. _known];
        }

        foreach (var secret in known)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return VaultTokenShape().Replace(text, Mask);
    }

    // Vault service/batch/recovery tokens (hvs., hvb., hvr.) and legacy s./b. tokens.
    [GeneratedRegex(@"(?<![A-Za-z0-9_])(hv[sbr]\.[A-Za-z0-9_-]{20,}|[sb]\.[A-Za-z0-9]{24,})")]
    private static partial Regex VaultTokenShape();
}
