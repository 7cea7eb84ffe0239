using Microsoft.Extensions.Logging.Abstractions;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;

namespace MultiDcVault.Harness.Tests.Diagnostics;

/// <summary>
/// A scripted multi-DC environment for the bundle writer: kind and kubectl's text views answered by a
/// <see cref="ScriptedProcessRunner"/>, the Kubernetes API by a <see cref="ScriptedKubernetes"/> beside it, the Vault API by a real-HTTP fake Vault, the central
/// Vault's log by a function. Its outputs carry the tokens below, so tests can check redaction.
/// </summary>
internal sealed class DiagnosticsScenario : IAsyncDisposable
{
    /// <summary>Not Vault-token shaped on purpose: only registration (not the pattern) can mask it.</summary>
    public const string RootToken = "raft-root-7f3a9c1e5b2d";

    /// <summary>The central Vault token as it sits in the Vault CRs; not Vault-token shaped either.</summary>
    public const string CentralToken = "central-transit-4d2e8a6c9f";

    /// <summary>A token only the redactor's pattern knows.</summary>
    public static readonly string ShapedToken = TestTokens.Named("CAESIJx2Qf9ZkYpLmN0aBcDeFgHiJkLmNoPq");

    public const string Namespace = "default";

    public static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly string _root = Directory.CreateTempSubdirectory("mdv-diag-").FullName;
    private readonly FakeVaultServer _vault;

    public DiagnosticsScenario(params string[] clusters)
    {
        Vault = new ScriptedVault()
            .On("GET", "/v1/sys/leader", FakeResponse.Json(200, VaultSamples.LeaderActive))
            .On("GET", "/v1/sys/storage/raft/configuration", FakeResponse.Json(200, VaultSamples.RaftConfiguration))
            .On("GET", "/v1/sys/storage/raft/autopilot/state", FakeResponse.Json(200, VaultSamples.AutopilotHealthy));
        _vault = FakeVaultServer.Start(Vault.Handle);
        Kube = new ScriptedKubernetes(TimeProvider.System, Runner);
        Clusters = [.. clusters.Select(name => new DiagnosticsCluster(
            name, new KubeTarget(Path.Combine(_root, $"kubeconfig-{name}"), $"kind-{name}"), Namespace, $"vault-{name}", _vault.BaseAddress, null))];
        ScriptDefaults();
    }

    public ScriptedProcessRunner Runner { get; } = new();

    public ScriptedKubernetes Kube { get; }

    public ScriptedVault Vault { get; }

    public IReadOnlyList<RecordedRequest> VaultRequests => [.. _vault.Requests];

    public IReadOnlyList<DiagnosticsCluster> Clusters { get; set; }

    public Redactor Redactor { get; } = new();

    public string BundleRoot => Path.Combine(_root, "bundles");

    public Func<string, CancellationToken, Task<string>> CentralVaultLogs { get; set; } =
        (_, _) => Task.FromResult($"==> Vault server started!\n[INFO] token created: {CentralToken}\n[DEBUG] root {RootToken}\n");

    public Func<CancellationToken, Task<SecretValue?>>? ReadRootToken { get; set; } = _ => Task.FromResult<SecretValue?>(new SecretValue(RootToken));

    public DiagnosticsOptions Options { get; set; } = new();

    public KubectlOptions KubectlOptions { get; set; } = new();

    public DiagnosticsRequest Request(string reason = "Raft did not form within 10 minutes") =>
        new(reason, BundleRoot, "s42", Clusters, "multidc-central-vault", ReadRootToken, WriteTimingReport());

    public DiagnosticsBundleWriter Writer() =>
        new(
            new KindClusterProvider(
                new KindCli(Runner), new FakeEnvironmentDocker(), Runner, _root, "kindest/node:unused", TimeSpan.FromMinutes(1), NullLoggerFactory.Instance),
            new KubectlCli(Runner, options: KubectlOptions),
            Kube,
            CentralVaultLogs,
            (address, _, token) => new VaultClient(new VaultClientOptions { Address = address, Token = token }),
            Redactor,
            new FrozenWallClock(Now),
            options: Options);

    /// <summary>Matches a kubectl call against the cluster of <paramref name="context"/> whose command (after the kubeconfig and context flags) starts with <paramref name="command"/>.</summary>
    public ScriptedRule OnKubectl(string context, params string[] command) =>
        Runner.When(
            spec => Path.GetFileName(spec.FileName) == "kubectl" && spec.Arguments.Count >= 4 + command.Length &&
                    spec.Arguments[3] == $"kind-{context}" && spec.Arguments.Skip(4).Take(command.Length).SequenceEqual(command),
            $"kubectl[{context}] {string.Join(' ', command)}");

    /// <summary>Matches an API call of <paramref name="operation"/> against the cluster of <paramref name="context"/>.</summary>
    public KubeRule OnApi(string context, string operation, Func<KubeApiCall, bool>? also = null) =>
        Kube.When(c => c.Cluster == context && c.Operation == operation && (also?.Invoke(c) ?? true), $"api[{context}] {operation}");

    public static string[] Files(string bundle) =>
        [.. Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(bundle, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await _vault.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private string WriteTimingReport()
    {
        var path = Path.Combine(_root, "timings.json");
        File.WriteAllText(path, $$"""{"phases":[{"name":"clusters","seconds":74.2}],"note":"central token {{CentralToken}}"}""");
        return path;
    }

    private void ScriptDefaults()
    {
        Runner.On("kind", "export", "logs").Responds(spec =>
        {
            // kind writes the node logs itself, straight to disk.
            var node = Directory.CreateDirectory(Path.Combine(spec.Arguments[2], $"{spec.Arguments[4]}-control-plane")).FullName;
            File.WriteAllText(Path.Combine(node, "kubelet.log"), $"I0101 kubelet started\nE0101 env VAULT_TOKEN={RootToken}\n");
            Directory.CreateDirectory(Path.Combine(node, "containers"));
            File.WriteAllText(Path.Combine(node, "containers", "bank-vaults.log"), $"unseal with token {CentralToken} and {ShapedToken}\n");
            File.WriteAllBytes(Path.Combine(node, "core.bin"), [0x7f, 0x45, 0x4c, 0x46, 0x00, .. Encoding.UTF8.GetBytes(RootToken)]);
            File.WriteAllText(Path.Combine(spec.Arguments[2], "kind-version.txt"), "kind v0.29.0 go1.24.2 linux/amd64\n");
            return Ok($"Exporting logs for cluster \"{spec.Arguments[4]}\" to:\n{spec.Arguments[2]}\n");
        });

        foreach (var cluster in Clusters)
        {
            var name = cluster.Name;
            OnKubectl(name, "get", "all").Returns($"NAMESPACE   NAME              READY   STATUS\ndefault     pod/vault-{name}-0   3/3     Running\n# annotation token={RootToken}\n");
            OnKubectl(name, "get", "events").Returns($"LAST SEEN   TYPE     REASON    OBJECT   MESSAGE\n10s  Normal   Started   pod/vault-{name}-0   started with {ShapedToken}\n");
            OnApi(name, ScriptedKubernetes.GetVault).Returns(_ => JsonNode.Parse(VaultResourceJson(name))!.AsObject());
            OnApi(name, ScriptedKubernetes.ListPods, c => c.Namespace == Namespace).Returns(_ => KubernetesJson.Deserialize<V1PodList>(VaultPodList(name)));
            OnApi(name, ScriptedKubernetes.ListPods, c => c.Namespace is null).Returns(_ => KubernetesJson.Deserialize<V1PodList>(OperatorPodList(name)));
            OnKubectl(name, "describe").Responds(spec => Ok($"Name: {spec.Arguments[^1]}\nEnvironment:\n  UNSEAL_TOKEN: {CentralToken}\n"));
            OnApi(name, ScriptedKubernetes.Logs).Returns(c => $"log of {c.Name}\nlogin with {RootToken}\n");
        }
    }

    private static ProcessResult Ok(string stdout) => new(0, stdout, string.Empty, TimeSpan.Zero);

    /// <summary>A Vault CR as the API server returns it: both central Vault token fields set, applied client-side once (so the annotation repeats them).</summary>
    public static string VaultResourceJson(string name) => $$$"""
        {
          "apiVersion": "vault.banzaicloud.com/v1alpha1",
          "kind": "Vault",
          "metadata": {
            "name": "vault-{{{name}}}", "namespace": "default", "uid": "5d0c9a36-8f7e-4c47-9d0c-2f1f6f2b9e11",
            "annotations": {
              "kubectl.kubernetes.io/last-applied-configuration": "{\"spec\":{\"unsealConfig\":{\"vault\":{\"token\":\"{{{CentralToken}}}\"} } } }\n"
            }
          },
          "spec": {
            "size": 1,
            "image": "hashicorp/vault:1.21.1",
            "bankVaultsImage": "ghcr.io/bank-vaults/bank-vaults:v1.33.1",
            "serviceType": "LoadBalancer",
            "raftLeaderAddress": "self",
            "config": {
              "storage": { "raft": { "path": "/vault/file", "node_id": "{{{name}}}" } },
              "seal": { "transit": { "address": "http://172.18.0.9:8200", "token": "{{{CentralToken}}}", "key_name": "autounseal", "mount_path": "transit/" } },
              "disable_mlock": true
            },
            "unsealConfig": {
              "vault": { "address": "http://172.18.0.9:8200", "token": "{{{CentralToken}}}", "unsealKeysPath": "secret/data/vault-unseal-keys" }
            },
            "vaultEnvsConfig": [ { "name": "VAULT_RAFT_CACERT", "value": "/vault/raft-tls/ca.crt" }, { "name": "EXTRA_TOKEN", "value": "{{{CentralToken}}}" } ]
          },
          "status": { "nodes": ["vault-{{{name}}}-0"], "leader": "vault-{{{name}}}-0", "conditions": [ { "type": "Healthy", "status": "False" } ] }
        }
        """;

    /// <summary>The Vault pod: an init container, vault (restarted twice) and the bank-vaults sidecar.</summary>
    public static string VaultPodList(string name) => $$"""
        {
          "apiVersion": "v1", "kind": "List",
          "items": [ {
            "metadata": { "name": "vault-{{name}}-0", "namespace": "default", "labels": { "app.kubernetes.io/name": "vault", "vault_cr": "vault-{{name}}" } },
            "spec": {
              "initContainers": [ { "name": "config-templating" } ],
              "containers": [ { "name": "vault" }, { "name": "bank-vaults" } ]
            },
            "status": {
              "phase": "Running",
              "initContainerStatuses": [ { "name": "config-templating", "ready": true, "restartCount": 0 } ],
              "containerStatuses": [ { "name": "vault", "ready": false, "restartCount": 2 }, { "name": "bank-vaults", "ready": true, "restartCount": 0 } ]
            }
          } ]
        }
        """;

    /// <summary>The operator, installed by Helm into its own namespace.</summary>
    public static string OperatorPodList(string name) => $$"""
        {
          "apiVersion": "v1", "kind": "List",
          "items": [ {
            "metadata": { "name": "vault-operator-{{name}}7c9d", "namespace": "vault-infra", "labels": { "app.kubernetes.io/name": "vault-operator" } },
            "spec": { "containers": [ { "name": "vault-operator" } ] },
            "status": { "phase": "Running", "containerStatuses": [ { "name": "vault-operator", "ready": true, "restartCount": 0 } ] }
          } ]
        }
        """;
}
