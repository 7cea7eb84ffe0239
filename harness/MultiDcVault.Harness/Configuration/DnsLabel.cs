namespace MultiDcVault.Harness.Configuration;

/// <summary>RFC 1123 label rules as Kubernetes applies them to names and namespaces.</summary>
internal static class DnsLabel
{
    public const int KubernetesMaxLength = 63;

    /// <summary>Null when valid, otherwise why not (without the length rule, which callers phrase themselves).</summary>
    public static string? Problem(string value)
    {
        if (value.Length == 0)
        {
            return "it is empty";
        }

        if (!value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return "use only lowercase letters, digits and '-'";
        }

        return value[0] == '-' || value[^1] == '-' ? "it must start and end with a letter or digit" : null;
    }
}
