using System.Text;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>Formats a <see cref="ProcessSpec"/> as a copy-pasteable, redacted shell command for logs and errors.</summary>
internal static class CommandLine
{
    public static string Format(ProcessSpec spec, Redactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var builder = new StringBuilder(Quote(spec.FileName));
        foreach (var argument in spec.Arguments)
        {
            builder.Append(' ').Append(Quote(argument));
        }

        return Redact(builder.ToString(), spec, redactor);
    }

    /// <summary>Masks the spec's own secrets, then everything the shared redactor knows or recognises.</summary>
    public static string Redact(string text, ProcessSpec spec, Redactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in spec.Secrets)
        {
            text = text.Replace(secret.Reveal(), Redactor.Mask, StringComparison.Ordinal);
        }

        return (redactor ?? Redactor.Default).Redact(text);
    }

    private static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal)))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
