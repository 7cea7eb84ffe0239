using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using MultiDcVault.Harness.Tests.TestSupport;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

/// <summary>Plans and runtime values shaped like the ones the topology planner and orchestration produce.</summary>
internal static class ManifestTestData
{
    public const string LeaderIp = "172.18.255.201";
    public const string CentralAddress = "http://172.18.0.2:8200";
    public static readonly string Token = TestTokens.Named("CentralRootTokenForManifestTests0123");

    public static EnvironmentPlan Plan(UnsealMode mode = UnsealMode.Transit, params string[] names)
    {
        names = names.Length > 0 ? names : ["primary", "secondary", "tertiary"];
        var options = new MultiDcOptions
        {
            ClusterNames = names,
            UnsealMode = mode,
            RaftPerformanceMultiplier = 1,
            Namespace = "default",
        };
        var network = new NetworkLayout("multidc", [new IpamSubnet("172.18.0.0/16", "172.18.0.1")], ["172.18.0.1"]);
        var clusters = names.Select((name, i) => new ClusterPlan(
            name,
            i == 0 ? ClusterRole.Leader : ClusterRole.Follower,
            i,
            [$"172.18.255.{200 + (i * 8)}-172.18.255.{207 + (i * 8)}", $"fc00:f853:ccd:e793::{i + 1}:0/112"])).ToList();
        return new EnvironmentPlan(options, network, clusters);
    }

    /// <summary>
    /// An existing-clusters plan (as the binder resolves one): three regions, annotations on two of them, an https KMS.
    /// </summary>
    public static EnvironmentPlan ExistingPlan(UnsealMode mode = UnsealMode.Transit, bool operatorInstalled = false)
    {
        string[] names = ["eu-central-1", "eu-west-1", "eu-north-1"];
        var options = new MultiDcOptions
        {
            Provider = ClusterProvider.Existing,
            ClusterNames = names,
            UnsealMode = mode,
            Namespace = "multidc-lab",
            CentralVaultAddress = "https://kms.example.internal:8200",
            OperatorInstalled = operatorInstalled,
            ExistingDatacenters = [.. names.Select(n => new ExistingDatacenter(n, $"/kube/{n}.yaml", n))],
            ServiceAnnotations = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
            {
                ["eu-central-1"] = new Dictionary<string, string> { ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb" },
                ["eu-west-1"] = new Dictionary<string, string>
                {
                    ["service.beta.kubernetes.io/aws-load-balancer-type"] = "nlb",
                    ["service.beta.kubernetes.io/aws-load-balancer-scheme"] = "internal",
                },
            },
        };
        return EnvironmentPlanner.CreateExisting(options);
    }

    /// <summary>Runtime values as up would fill them for existing clusters: the leader's LB gave a hostname.</summary>
    public static RuntimeValues ExistingKnownValues() => new()
    {
        LeaderLoadBalancerIp = "a1b2c3-0123456789.elb.eu-central-1.amazonaws.com",
        CentralVaultAddress = "https://kms.example.internal:8200",
        CentralVaultToken = new SecretValue(Token),
    };

    public static RuntimeValues KnownValues() => new()
    {
        LeaderLoadBalancerIp = LeaderIp,
        CentralVaultAddress = CentralAddress,
        CentralVaultToken = new SecretValue(Token),
    };

    public static ClusterPlan Follower(EnvironmentPlan plan) => plan.Followers.First();

    /// <summary>The Vault CR as plain objects (see <see cref="YamlObjects"/>).</summary>
    public static Dictionary<string, object?> VaultCr(EnvironmentPlan plan, ClusterPlan cluster, RuntimeValues values) =>
        (Dictionary<string, object?>)YamlObjects.ParseSingle(new ManifestRenderer().RenderVault(plan, cluster, values).Content)!;

    public static Dictionary<string, object?> Map(this Dictionary<string, object?> map, string key) =>
        map.GetValueOrDefault(key) as Dictionary<string, object?>
        ?? throw new InvalidOperationException($"'{key}' is not an object in [{string.Join(", ", map.Keys)}]");

    public static List<object?> List(this Dictionary<string, object?> map, string key) =>
        map.GetValueOrDefault(key) as List<object?>
        ?? throw new InvalidOperationException($"'{key}' is not an array in [{string.Join(", ", map.Keys)}]");

    public static Dictionary<string, object?> Spec(this Dictionary<string, object?> manifest) => manifest.Map("spec");

    public static Dictionary<string, object?> Config(this Dictionary<string, object?> manifest) => manifest.Spec().Map("config");
}
