using k8s;
using YamlDotNet.RepresentationModel;

namespace MultiDcVault.Harness.Configuration;

/// <summary>One existing cluster: the datacenter's name, its kubeconfig file (full path) and the context in it.</summary>
internal sealed record ExistingDatacenter(string Name, string KubeconfigPath, string Context);

/// <summary>
/// The settings that only make sense together with MULTIDC_PROVIDER: what each provider refuses, and for existing
/// clusters the datacenters read from the kubeconfig files (parsed only, never a cluster contacted, never
/// ~/.kube/config read) and the Service annotations file. Problems go with the binder's, one clause each.
/// </summary>
internal static class ExistingClusters
{
    /// <summary>The MULTIDC_CENTRAL_VAULT_TOKEN variable: read from the environment only, never a CLI option, never in the options (so never printed or planned).</summary>
    public const string CentralVaultTokenVariable = "MULTIDC_CENTRAL_VAULT_TOKEN";

    /// <summary>Settings only existing clusters use; given with kind they are refused.</summary>
    private static readonly MultiDcSetting[] ExistingOnly =
    [
        MultiDcSettings.Kubeconfigs, MultiDcSettings.Kubeconfig, MultiDcSettings.Contexts, MultiDcSettings.ServiceAnnotations,
        MultiDcSettings.CentralVaultCa, MultiDcSettings.OperatorInstalled,
    ];

    /// <summary>Settings only kind uses (Docker network, kind nodes, MetalLB, the central Vault container); given with existing they are refused.</summary>
    private static readonly MultiDcSetting[] KindOnly =
    [
        MultiDcSettings.Network, MultiDcSettings.NetworkSubnet, MultiDcSettings.KindNodeImage, MultiDcSettings.MetalLbVersion,
        MultiDcSettings.PoolSize, MultiDcSettings.CentralVaultImage,
    ];

    private static readonly string[] AnnotationSections = ["all", "datacenters"];

    /// <summary>Applies the provider's rules to bound options; <paramref name="origins"/> holds only what was given.</summary>
    public static MultiDcOptions Apply(MultiDcOptions options, IDictionary<string, OptionOrigin> origins, ICollection<string> problems, string? command)
    {
        string Describe(MultiDcSetting setting) => origins.TryGetValue(setting.Property, out var origin) ? origin.Describe() : setting.CliOption ?? setting.Name;

        if (options.Provider == ClusterProvider.Kind)
        {
            foreach (var setting in ExistingOnly.Where(s => origins.ContainsKey(s.Property)))
            {
                problems.Add($"{Describe(setting)} is not valid: it is for --provider existing, and the provider is kind");
            }

            return options;
        }

        var provider = Describe(MultiDcSettings.Provider);
        if (command != SettingCommands.Plan)
        {
            problems.Add($"{provider} is not valid: only 'multidc plan' serves existing clusters so far" +
                (command is null ? string.Empty : $" ('multidc {command}' does not)"));
            return options;
        }

        foreach (var setting in KindOnly.Where(s => origins.ContainsKey(s.Property)))
        {
            problems.Add($"{Describe(setting)} is not valid: it is for --provider kind (existing clusters have no Docker network, kind nodes, MetalLB or central Vault container)");
        }

        var namesOrigin = origins.TryGetValue(nameof(MultiDcOptions.ClusterNames), out var named) ? named : null;
        if (namesOrigin is not null && (namesOrigin.Key == MultiDcSettings.Clusters.Variable || namesOrigin.Key == MultiDcSettings.Clusters.CliOption))
        {
            problems.Add($"{namesOrigin.Describe()} is not valid: with --provider existing the kubeconfigs (or contexts) decide how many datacenters there are");
            namesOrigin = null;
        }

        if (!origins.ContainsKey(nameof(MultiDcOptions.Namespace)))
        {
            // A namespace of the session's own, so 'down' can later remove exactly it and never a shared one.
            options = options with { Namespace = "multidc-" + options.Session };
        }

        options = ResolveDatacenters(options, origins, problems, provider, namesOrigin);
        options = ReadServiceAnnotations(options, origins, problems);
        CheckCentralVault(options, origins, problems, provider);
        return options;
    }

    private static MultiDcOptions ResolveDatacenters(
        MultiDcOptions options, IDictionary<string, OptionOrigin> origins, ICollection<string> problems, string provider, OptionOrigin? namesOrigin)
    {
        var files = origins.TryGetValue(nameof(MultiDcOptions.Kubeconfigs), out var filesOrigin) ? filesOrigin : null;
        var single = origins.TryGetValue(nameof(MultiDcOptions.Kubeconfig), out var singleOrigin) ? singleOrigin : null;
        var contexts = origins.TryGetValue(nameof(MultiDcOptions.Contexts), out var contextsOrigin) ? contextsOrigin : null;

        if (files is not null && (single is not null || contexts is not null))
        {
            problems.Add($"{files.Describe()} is not valid: give either --kubeconfigs or --kubeconfig with --contexts, not both");
            return options;
        }

        List<(string File, string? Context)> wanted;
        OptionOrigin origin;
        if (files is not null)
        {
            wanted = [.. options.Kubeconfigs.Select(f => (f, (string?)null))];
            origin = files;
        }
        else if (single is not null && contexts is not null)
        {
            wanted = [.. options.Contexts.Select(c => (options.Kubeconfig!, (string?)c))];
            origin = contexts;
        }
        else if (single is not null || contexts is not null)
        {
            var given = (single ?? contexts)!;
            problems.Add($"{given.Describe()} is not valid: --kubeconfig and --contexts go together (one file, one context per datacenter)");
            return options;
        }
        else
        {
            problems.Add($"{provider} needs --kubeconfigs a.yaml,b.yaml,c.yaml (one per datacenter, the first the bootstrap leader) or --kubeconfig FILE --contexts c1,c2,c3");
            return options;
        }

        var missing = wanted.Select(w => w.File).Distinct(StringComparer.Ordinal).Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{(single ?? origin).Describe()} is not valid: {string.Join(", ", missing.Select(f => $"'{f}'"))} {(missing.Count == 1 ? "does" : "do")} not exist");
            return options;
        }

        var datacenters = new List<ExistingDatacenter>();
        var configs = new Dictionary<string, k8s.KubeConfigModels.K8SConfiguration>(StringComparer.Ordinal);
        foreach (var (file, context) in wanted)
        {
            if (!configs.TryGetValue(file, out var config))
            {
                try
                {
                    using var stream = File.OpenRead(file);

                    // Parses this one file: no merge with ~/.kube/config or KUBECONFIG, no request to its server.
                    config = KubernetesClientConfiguration.LoadKubeConfig(stream);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
                {
                    problems.Add($"{(single ?? origin).Describe()} is not valid: '{file}' is not a readable kubeconfig ({e.Message.ReplaceLineEndings(" ")})");
                    return options;
                }

                configs[file] = config;
            }

            var known = config.Contexts?.Select(c => c.Name).ToList() ?? [];
            var chosen = context ?? config.CurrentContext;
            if (string.IsNullOrEmpty(chosen))
            {
                problems.Add($"{origin.Describe()} is not valid: '{file}' has no current-context; set one in it or use --kubeconfig FILE --contexts c1,c2,c3");
                return options;
            }

            if (!known.Contains(chosen, StringComparer.Ordinal))
            {
                problems.Add($"{origin.Describe()} is not valid: context '{chosen}' is not in '{file}' (it has: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
                return options;
            }

            datacenters.Add(new ExistingDatacenter(chosen, Path.GetFullPath(file), chosen));
        }

        if (namesOrigin is not null)
        {
            if (options.ClusterNames.Count != datacenters.Count)
            {
                problems.Add($"{namesOrigin.Describe()} is not valid: {options.ClusterNames.Count} names for {datacenters.Count} datacenters ({origin.Describe()})");
                return options;
            }
        }
        else
        {
            // A context name is often not a DNS-1123 label (EKS: arn:aws:eks:...; kubeadm: kubernetes-admin@kubernetes), or the
            // same in every file: say so once and how to name the datacenters, rather than the generic cluster-name clause.
            var names = datacenters.Select(d => d.Name).ToList();
            var bad = names.Distinct(StringComparer.Ordinal).Where(n => DnsLabel.Problem(n) is not null).ToList();
            var repeated = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (bad.Count > 0 || repeated.Count > 0)
            {
                var why = bad.Count > 0
                    ? $"context {string.Join(", ", bad.Select(n => $"'{n}'"))} {(bad.Count == 1 ? "is not a DNS-1123 label" : "are not DNS-1123 labels")} ({DnsLabel.Problem(bad[0])})"
                    : $"context {string.Join(", ", repeated.Select(n => $"'{n}'"))} names more than one datacenter";
                problems.Add($"{origin.Describe()} is not valid: the datacenters are named after their contexts and {why}; name them with --cluster-names a,b,c");
                return options;
            }

            options = options with { ClusterNames = names };
            origins[nameof(MultiDcOptions.ClusterNames)] = origin;
        }

        return options with
        {
            ExistingDatacenters = [.. datacenters.Select((d, i) => d with { Name = options.ClusterNames[i] })],
        };
    }

    /// <summary>
    /// The file's shape (YAML or JSON): <c>all:</c> annotations for every datacenter's Vault Service, and
    /// <c>datacenters: {NAME: {...}}</c> for one datacenter, winning over <c>all</c> key by key. Values are strings.
    /// </summary>
    private static MultiDcOptions ReadServiceAnnotations(MultiDcOptions options, IDictionary<string, OptionOrigin> origins, ICollection<string> problems)
    {
        if (options.ServiceAnnotationsFile is not { } file || !origins.TryGetValue(nameof(MultiDcOptions.ServiceAnnotationsFile), out var origin))
        {
            return options;
        }

        string Invalid(string why) => $"{origin.Describe()} is not valid: {why}";
        if (!File.Exists(file))
        {
            problems.Add(Invalid($"'{file}' does not exist"));
            return options;
        }

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(file)));
            root = stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode mapping
                ? mapping
                : throw new InvalidDataException("expected one mapping with 'all' and/or 'datacenters'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException or InvalidDataException)
        {
            problems.Add(Invalid($"'{file}' is not an annotations file: {e.Message.ReplaceLineEndings(" ")}"));
            return options;
        }

        var clauses = new List<string>();
        var common = new Dictionary<string, string>(StringComparer.Ordinal);
        var perDatacenter = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            var section = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (section == "all")
            {
                ReadMap(value, "all", common, clauses);
            }
            else if (section == "datacenters" && value is YamlMappingNode datacenters)
            {
                foreach (var (nameNode, map) in datacenters.Children)
                {
                    var name = (nameNode as YamlScalarNode)?.Value ?? string.Empty;
                    if (!options.ClusterNames.Contains(name, StringComparer.Ordinal))
                    {
                        clauses.Add($"datacenter '{name}' is not one of {string.Join(", ", options.ClusterNames)}");
                        continue;
                    }

                    ReadMap(map, $"datacenters.{name}", perDatacenter[name] = new Dictionary<string, string>(StringComparer.Ordinal), clauses);
                }
            }
            else
            {
                clauses.Add(section == "datacenters"
                    ? "'datacenters' must map datacenter names to annotations"
                    : $"'{section}' is not a section (use {string.Join(" and ", AnnotationSections)})");
            }
        }

        if (clauses.Count > 0)
        {
            problems.Add(Invalid($"'{file}': {string.Join("; ", clauses)}"));
            return options;
        }

        return options with
        {
            ServiceAnnotations = options.ClusterNames.ToDictionary(
                name => name,
                name => (IReadOnlyDictionary<string, string>)new SortedDictionary<string, string>(
                    common.Concat(perDatacenter.GetValueOrDefault(name) ?? []).GroupBy(p => p.Key, StringComparer.Ordinal)
                        .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
                    StringComparer.Ordinal),
                StringComparer.Ordinal),
        };
    }

    private static void ReadMap(YamlNode node, string where, Dictionary<string, string> into, List<string> clauses)
    {
        if (node is not YamlMappingNode map)
        {
            clauses.Add($"'{where}' must be a map of annotation names to string values");
            return;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (AnnotationKeyProblem(key) is { } why)
            {
                clauses.Add($"'{where}' annotation '{key}' is not a Kubernetes annotation name: {why}");
            }
            else if (valueNode is not YamlScalarNode { Value: { } text })
            {
                clauses.Add($"'{where}' annotation '{key}' must have a string value");
            }
            else
            {
                into[key] = text;
            }
        }
    }

    /// <summary>Kubernetes' qualified-name rule for annotation keys: optional DNS-subdomain prefix '/', then a name of at most 63 characters.</summary>
    private static string? AnnotationKeyProblem(string key)
    {
        var slash = key.LastIndexOf('/');
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (prefix is not null && (prefix.Length is 0 or > 253 || prefix.Split('.').Any(label => DnsLabel.Problem(label) is not null)))
        {
            return "its prefix must be a lowercase DNS subdomain";
        }

        var nameOk = name.Length is > 0 and <= 63
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        return nameOk ? null : "its name must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
    }

    private static void CheckCentralVault(MultiDcOptions options, IDictionary<string, OptionOrigin> origins, ICollection<string> problems, string provider)
    {
        if (options.CentralVaultAddress is not { } address)
        {
            problems.Add($"{provider} needs --central-vault-address URL: the Vault that already runs and serves transit auto-unseal and the unseal keys (its token from {CentralVaultTokenVariable})");
            return;
        }

        var https = Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
        var addressGiven = origins.TryGetValue(nameof(MultiDcOptions.CentralVaultAddress), out var a) ? a.Describe() : address;
        if (options.CentralVaultCa is not { } ca)
        {
            if (https)
            {
                problems.Add($"{addressGiven} is not valid: an https central Vault needs --central-vault-ca FILE, the PEM CA that signed its certificate (the harness and the in-cluster seals verify it)");
            }

            return;
        }

        var caGiven = origins.TryGetValue(nameof(MultiDcOptions.CentralVaultCa), out var c) ? c.Describe() : ca;
        if (!https)
        {
            problems.Add($"{caGiven} is not valid: it verifies an https central Vault, and {addressGiven} is not https");
        }
        else if (!File.Exists(ca))
        {
            problems.Add($"{caGiven} is not valid: '{ca}' does not exist");
        }
        else
        {
            var text = File.ReadAllText(ca);
            if (!text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) || text.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                // Not echoed: a wrong file here might be key material.
                problems.Add($"{caGiven} is not valid: '{ca}' is not a PEM certificate (or it carries a private key)");
            }
        }
    }
}
