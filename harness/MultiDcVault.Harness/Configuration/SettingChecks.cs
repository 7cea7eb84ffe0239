using MultiDcVault.Harness.Provisioning;

namespace MultiDcVault.Harness.Configuration;

/// <summary>The rules a setting's value must meet; each problem is the clause after "is not valid: ".</summary>
internal static class SettingChecks
{
    /// <summary>
    /// Why single-stack IPv6 is refused rather than half-supported: kind is configured IPv4 (no networking.ipFamily),
    /// the Vault listeners bind 0.0.0.0 and the partition fault writes iptables (not ip6tables) rules.
    /// </summary>
    public const string Ipv6OnlyReason = "the clusters, the Vault listeners and the faults are IPv4";

    public static IEnumerable<string> ClusterNames(IReadOnlyList<string> names)
    {
        if (names.Count < 3 || names.Count % 2 == 0 || names.Count > MultiDcOptionsValidator.MaxClusters)
        {
            yield return $"use an odd number of clusters from 3 to {MultiDcOptionsValidator.MaxClusters} (got {names.Count}) so Raft keeps a majority when one datacenter is lost";
        }

        foreach (var duplicate in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return $"cluster name '{duplicate.Key}' appears {duplicate.Count()} times; names must be unique";
        }

        // Names that break the same rule share one clause, so "A,B,C" does not repeat it three times.
        foreach (var rule in names.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Why: DnsLabel.Problem(name)))
            .Where(n => n.Why is not null)
            .GroupBy(n => n.Why!, StringComparer.Ordinal))
        {
            var quoted = string.Join(", ", rule.Select(n => $"'{n.Name}'"));
            yield return rule.Count() == 1
                ? $"cluster name {quoted} is not a DNS-1123 label: {rule.Key}"
                : $"cluster names {quoted} are not DNS-1123 labels: {rule.Key}";
        }

        foreach (var name in names.Distinct(StringComparer.Ordinal).Where(n => DnsLabel.Problem(n) is null))
        {
            if (name.Length > MultiDcOptionsValidator.MaxClusterNameLength)
            {
                yield return $"cluster name '{name}' has {name.Length} characters; the maximum is {MultiDcOptionsValidator.MaxClusterNameLength} so that " +
                    "'<name>-control-plane' (kind's node) and 'vault-<name>-...' (the operator's objects) stay within 63";
            }
        }
    }

    public static Func<string, IEnumerable<string>> Label(int maxLength) => value =>
        DnsLabel.Problem(value) is { } why ? [$"it must be a DNS-1123 label: {why}"]
        : value.Length > maxLength ? [$"it has {value.Length} characters; the maximum is {maxLength}"]
        : [];

    public static IEnumerable<string> NetworkName(string value)
    {
        // Docker's own rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]*
        var valid = value.Length > 0
            && char.IsAsciiLetterOrDigit(value[0])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
        return valid ? [] : ["a Docker network name starts with a letter or digit and uses only letters, digits, '_', '.' and '-'"];
    }

    public static IEnumerable<string> Subnet(string? value)
    {
        if (value is null)
        {
            return [];
        }

        if (!IpNetwork.TryParse(value, out var subnet, out var error))
        {
            return [error];
        }

        return subnet!.Family == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? [$"it is IPv6, and a network the harness creates needs IPv4 ({Ipv6OnlyReason}): give an IPv4 subnet"]
            : [];
    }

    /// <summary>A reference without spaces that is pinned: never :latest, never untagged (see ImageReference).</summary>
    public static IEnumerable<string> Image(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace))
        {
            return ["give an image reference without spaces"];
        }

        return ImageReference.UnpinnedReason(value) is { } why ? [why] : [];
    }

    /// <summary>A central Vault image is optional: unset means the Vault image.</summary>
    public static IEnumerable<string> OptionalImage(string? value) => value is null ? [] : Image(value);

    /// <summary>
    /// An image that is `kind load`ed into the nodes: pinned, and by tag, not digest. A loaded archive records no
    /// repo digest, so a digest reference would not match it and the node would pull after all (kubernetes-sigs/kind#2734).
    /// </summary>
    public static IEnumerable<string> LoadedImage(string value) => Image(value).Concat(value.Contains('@', StringComparison.Ordinal)
        ? ["give a tag, not a digest: the image is loaded into the kind nodes, where a digest reference does not match it (kubernetes-sigs/kind#2734)"]
        : []);

    public static Func<string, IEnumerable<string>> Token(string what) => value =>
        string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace) ? [$"give {what} without spaces"] : [];

    public static IEnumerable<string> MetalLbVersion(string value) =>
        Token("a version")(value).Concat(!string.IsNullOrWhiteSpace(value) && PinnedManifests.MetalLbNative(value) is null
            ? [$"no SHA-256 of its native manifest is pinned; use one of {string.Join(", ", PinnedManifests.MetalLbVersions)}"]
            : []);

    public static Func<int, IEnumerable<string>> Range(int min, int max, string unit) => value =>
        value < min || value > max ? [$"use {min}..{max} {unit}"] : [];

    public static IEnumerable<string> UnsealMode(UnsealMode value) => Enum.IsDefined(value) ? [] : ["use transit or kv"];

    public static IEnumerable<string> Directory(string value) => string.IsNullOrWhiteSpace(value) ? ["give a directory path"] : [];

    public static IEnumerable<string> UpTimeout(TimeSpan value) =>
        value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(MultiDcOptionsValidator.MaxUpTimeoutMinutes)
            ? [$"use 1..{MultiDcOptionsValidator.MaxUpTimeoutMinutes} minutes"]
            : [];

    public static IEnumerable<string> Provider(ClusterProvider value) => Enum.IsDefined(value) ? [] : ["use kind or existing"];

    /// <summary>Unset is allowed here; the existing provider's rule that it is required lives in <see cref="ExistingClusters"/>.</summary>
    public static IEnumerable<string> CentralVaultAddress(string? value) =>
        value is null || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
            ? []
            : ["use an http(s) URL such as http://172.18.0.2:8200"];
}
