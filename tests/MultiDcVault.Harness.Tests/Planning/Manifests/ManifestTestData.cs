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
