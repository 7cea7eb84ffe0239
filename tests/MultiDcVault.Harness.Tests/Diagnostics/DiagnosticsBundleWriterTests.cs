using System.Text.Json.Nodes;
using System.Text;
using FluentAssertions;
using MultiDcVault.Harness.Diagnostics;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Diagnostics;

public sealed class DiagnosticsBundleWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bundle_has_one_folder_per_cluster_with_every_collection_and_a_readme_that_explains_it()
    {
        await using var scenario = new DiagnosticsScenario("alpha", "beta");

        var bundle = await scenario.Writer().WriteAsync(scenario.Request(), Ct);

        Path.GetDirectoryName(bundle).Should().Be(scenario.BundleRoot);
        Path.GetFileName(bundle).Should().Be("diagnostics-s42-20300102-030405");
        var files = DiagnosticsScenario.Files(bundle);
        files.Should().Contain(["README.md", "central-vault.log", "timing-report.json"]);
        foreach (var cluster in new[] { "alpha", "beta" })
        {
            files.Should().Contain(
            [
                $"{cluster}/get-all.txt",
                $"{cluster}/events.txt",
                $"{cluster}/vault-cr.json",
                $"{cluster}/describe-vault-pods.txt",
                $"{cluster}/leader.json",
                $"{cluster}/raft-configuration.json",
                $"{cluster}/autopilot-state.json",
                $"{cluster}/kind-logs/kind-version.txt",
                $"{cluster}/kind-logs/{cluster}-control-plane/kubelet.log",
                $"{cluster}/kind-logs/{cluster}-control-plane/containers/bank-vaults.log",
                $"{cluster}/logs/vault-{cluster}-0-config-templating.log",
                $"{cluster}/logs/vault-{cluster}-0-vault.log",
                $"{cluster}/logs/vault-{cluster}-0-vault.previous.log",
                $"{cluster}/logs/vault-{cluster}-0-bank-vaults.log",
                $"{cluster}/logs/vault-operator-{cluster}7c9d-vault-operator.log",
            ]);

            // Only the restarted container has a previous run to show.
            files.Should().NotContain($"{cluster}/logs/vault-{cluster}-0-bank-vaults.previous.log");
            (await File.ReadAllTextAsync(Path.Combine(bundle, cluster, "logs", $"vault-{cluster}-0-vault.previous.log"), Ct)).Should().Contain("--previous");
            (await File.ReadAllTextAsync(Path.Combine(bundle, cluster, "describe-vault-pods.txt"), Ct)).Should().Contain($"Name: pod/vault-{cluster}-0");
            JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, cluster, "raft-configuration.json"), Ct))!["servers"]!.AsArray()
                .Select(s => s!["node_id"]!.GetValue<string>()).Should().Equal("vault-primary", "vault-secondary", "vault-tertiary");
            JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, cluster, "autopilot-state.json"), Ct))!["failure_tolerance"]!.GetValue<int>().Should().Be(1);
            JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, cluster, "leader.json"), Ct))!["is_self"]!.GetValue<bool>().Should().BeTrue();
        }

        var readme = await File.ReadAllTextAsync(Path.Combine(bundle, "README.md"), Ct);
        readme.Should().Contain("Reason: Raft did not form within 10 minutes")
            .And.Contain("Written: 2030-01-02 03:04:05 UTC")
            .And.Contain("Clusters: alpha, beta")
            .And.NotContain("FAILED", "every source answered; only kind's binary file was left out (see the redaction test)");
        foreach (var file in files.Where(f => !f.Contains("/kind-logs/", StringComparison.Ordinal)))
        {
            readme.Should().Contain($"| `{file}` |", "the README says what each file is");
        }

        readme.Should().Contain("| `alpha/kind-logs/` | `kind export logs` of cluster alpha");
    }

    [Fact]
    public async Task Raft_reads_use_the_root_token_and_the_leader_read_uses_none()
    {
        await using var scenario = new DiagnosticsScenario("alpha");

        await scenario.Writer().WriteAsync(scenario.Request(), Ct);

        var requests = scenario.VaultRequests;
        requests.Single(r => r.Path == "/v1/sys/storage/raft/configuration").Header("X-Vault-Token").Should().Be(DiagnosticsScenario.RootToken);
        requests.Single(r => r.Path == "/v1/sys/storage/raft/autopilot/state").Header("X-Vault-Token").Should().Be(DiagnosticsScenario.RootToken);
        requests.Single(r => r.Path == "/v1/sys/leader").Header("X-Vault-Token").Should().BeNull();
    }

    [Fact]
    public async Task A_failing_and_a_hanging_step_are_recorded_with_their_reason_and_everything_else_is_still_collected()
    {
        await using var scenario = new DiagnosticsScenario("alpha", "beta");
        scenario.Options = new DiagnosticsOptions { StepTimeout = TimeSpan.FromMilliseconds(300) };
        scenario.OnKubectl("alpha", "get", "events").Fails(1, "error: the server doesn't have a resource type \"events\"");
        scenario.OnKubectl("alpha", "get", "all").Returns("never").WithLatency(TimeSpan.FromHours(1));
        scenario.Vault.On("GET", "/v1/sys/storage/raft/autopilot/state", FakeResponse.Json(503, """{"errors":["Vault is sealed"]}"""));

        var bundle = await scenario.Writer().WriteAsync(scenario.Request(), Ct);

        var files = DiagnosticsScenario.Files(bundle);
        files.Should().NotContain(["alpha/events.txt", "alpha/get-all.txt", "alpha/autopilot-state.json", "beta/autopilot-state.json"]);
        files.Should().Contain(["beta/events.txt", "beta/get-all.txt", "alpha/vault-cr.json", "alpha/logs/vault-alpha-0-vault.log", "alpha/raft-configuration.json", "central-vault.log"]);

        var readme = await File.ReadAllTextAsync(Path.Combine(bundle, "README.md"), Ct);
        readme.Should().NotContain("None: every collection succeeded.");
        Section(readme, "alpha/events.txt").Should().Contain("FAILED").And.Contain("exit code 1").And.Contain("doesn't have a resource type");
        Section(readme, "alpha/get-all.txt").Should().Contain("FAILED").And.Contain("timed out after 0.3 s");
        Section(readme, "alpha/autopilot-state.json").Should().Contain("FAILED").And.Contain("Vault is sealed");
        readme.Should().Contain("| `beta/events.txt` | collected |");
    }

    [Fact]
    public async Task Without_a_root_token_or_a_Vault_address_the_api_reads_are_skipped_with_the_reason()
    {
        await using var scenario = new DiagnosticsScenario("alpha", "beta");
        scenario.ReadRootToken = _ => throw new InvalidOperationException("central Vault unreachable at http://127.0.0.1:1");
        scenario.Clusters = [scenario.Clusters[0], scenario.Clusters[1] with { VaultAddress = null }];

        var bundle = await scenario.Writer().WriteAsync(scenario.Request(), Ct);

        var files = DiagnosticsScenario.Files(bundle);
        files.Should().Contain("alpha/leader.json", "sys/leader needs no token");
        files.Should().NotContain(["alpha/raft-configuration.json", "alpha/autopilot-state.json", "beta/leader.json"]);
        var readme = await File.ReadAllTextAsync(Path.Combine(bundle, "README.md"), Ct);
        Section(readme, "root-token").Should().Contain("FAILED").And.Contain("central Vault unreachable");
        Section(readme, "alpha/raft-configuration.json").Should().Contain("skipped").And.Contain("Needs the root token");
        Section(readme, "beta/leader.json").Should().Contain("skipped").And.Contain("address of this cluster is not known");
        files.Should().Contain(["alpha/get-all.txt", "beta/get-all.txt"]);
    }

    [Fact]
    public async Task No_token_survives_anywhere_in_the_bundle()
    {
        await using var scenario = new DiagnosticsScenario("alpha", "beta");

        var bundle = await scenario.Writer().WriteAsync(scenario.Request("failed with token " + DiagnosticsScenario.RootToken), Ct);

        var files = DiagnosticsScenario.Files(bundle);
        files.Should().HaveCountGreaterThan(30);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(bundle, file), Ct);
            foreach (var token in new[] { DiagnosticsScenario.RootToken, DiagnosticsScenario.CentralToken, DiagnosticsScenario.ShapedToken })
            {
                bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)).Should().Be(-1, $"{file} must not contain {token[..6]}...");
            }
        }

        // The masks are where the tokens were: the sources above did contain them.
        (await File.ReadAllTextAsync(Path.Combine(bundle, "alpha", "kind-logs", "alpha-control-plane", "kubelet.log"), Ct)).Should().Contain("VAULT_TOKEN=" + Redactor.Mask);
        (await File.ReadAllTextAsync(Path.Combine(bundle, "central-vault.log"), Ct)).Should().Contain("token created: " + Redactor.Mask);
        (await File.ReadAllTextAsync(Path.Combine(bundle, "alpha", "describe-vault-pods.txt"), Ct)).Should().Contain("UNSEAL_TOKEN: " + Redactor.Mask);
        (await File.ReadAllTextAsync(Path.Combine(bundle, "beta", "events.txt"), Ct)).Should().Contain("started with " + Redactor.Mask);
        (await File.ReadAllTextAsync(Path.Combine(bundle, "README.md"), Ct)).Should().Contain("failed with token " + Redactor.Mask);

        var cr = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "alpha", "vault-cr.json"), Ct))!;
        cr["spec"]!["unsealConfig"]!["vault"]!["token"]!.GetValue<string>().Should().Be(Redactor.Mask);
        cr["spec"]!["config"]!["seal"]!["transit"]!["token"]!.GetValue<string>().Should().Be(Redactor.Mask);
        cr["spec"]!["unsealConfig"]!["vault"]!["unsealKeysPath"]!.GetValue<string>().Should().Be("secret/data/vault-unseal-keys");
        cr["status"]!["leader"]!.GetValue<string>().Should().Be("vault-alpha-0");

        // kind wrote a binary file next to its logs: it cannot be redacted, so it is gone and the README says so.
        files.Should().NotContain(f => f.EndsWith("core.bin", StringComparison.Ordinal));
        var readme = await File.ReadAllTextAsync(Path.Combine(bundle, "README.md"), Ct);
        Section(readme, "alpha/kind-logs (non-text files)").Should().Contain("alpha/kind-logs/alpha-control-plane/core.bin");
    }

    [Fact]
    public async Task Kind_logs_are_redacted_even_when_the_export_fails_half_way()
    {
        await using var scenario = new DiagnosticsScenario("alpha");
        scenario.Runner.On("kind", "export", "logs").Responds(spec =>
        {
            File.WriteAllText(Path.Combine(spec.Arguments[2], "partial.log"), $"token {DiagnosticsScenario.RootToken}\n");
            return new(1, string.Empty, "ERROR: failed to export logs: context deadline exceeded", TimeSpan.Zero);
        });

        var bundle = await scenario.Writer().WriteAsync(scenario.Request(), Ct);

        (await File.ReadAllTextAsync(Path.Combine(bundle, "alpha", "kind-logs", "partial.log"), Ct)).Should().Be($"token {Redactor.Mask}\n");
        var readme = await File.ReadAllTextAsync(Path.Combine(bundle, "README.md"), Ct);
        Section(readme, "alpha/kind-logs").Should().Contain("FAILED").And.Contain("context deadline exceeded");
    }

    [Fact]
    public async Task A_cancelled_bundle_still_has_its_readme_and_redacted_kind_logs_and_the_cancellation_reaches_the_caller()
    {
        await using var scenario = new DiagnosticsScenario("alpha");
        scenario.OnKubectl("alpha", "get", "all").Returns("never").WithLatency(TimeSpan.FromHours(1));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await FluentActions.Awaiting(() => scenario.Writer().WriteAsync(scenario.Request(), cancel.Token)).Should().ThrowAsync<OperationCanceledException>();

        var bundle = Directory.EnumerateDirectories(scenario.BundleRoot).Should().ContainSingle().Subject;
        var readme = await File.ReadAllTextAsync(Path.Combine(bundle, "README.md"), Ct);
        Section(readme, "alpha/get-all.txt").Should().Contain("cancelled by the caller");
        (await File.ReadAllTextAsync(Path.Combine(bundle, "alpha", "kind-logs", "alpha-control-plane", "kubelet.log"), Ct)).Should().NotContain(DiagnosticsScenario.RootToken);
    }

    [Fact]
    public async Task Every_command_names_its_cluster_explicitly_and_asks_for_exactly_the_documented_data()
    {
        await using var scenario = new DiagnosticsScenario("alpha", "beta");

        var bundle = await scenario.Writer().WriteAsync(scenario.Request(), Ct);

        var kubectl = scenario.Runner.InvocationsOf("kubectl");
        var api = scenario.Kube.Calls;
        foreach (var cluster in scenario.Clusters)
        {
            // The text views stay on kubectl (the API has no `describe`), everything typed goes through the API.
            var calls = kubectl.Where(c => c.ValueOf("--context") == cluster.Target.Context).ToList();
            calls.Should().OnlyContain(c => c.Arguments[0] == "--kubeconfig" && c.Arguments[1] == cluster.Target.KubeconfigPath && c.Arguments[2] == "--context");
            calls.Select(c => string.Join(' ', c.Arguments.Skip(4))).Should().BeEquivalentTo(
            [
                "get all --all-namespaces -o wide",
                "get events --all-namespaces --sort-by=.lastTimestamp",
                $"describe --namespace default pod/{cluster.VaultName}-0",
            ]);
            var reads = api.Where(c => c.Target == cluster.Target).ToList();
            reads.Select(c => $"{c.Operation} {c.Namespace ?? "(all namespaces)"} {c.Name}").Should().BeEquivalentTo(
            [
                $"{ScriptedKubernetes.GetVault} default {cluster.VaultName}",
                $"{ScriptedKubernetes.ListPods} default vault_cr={cluster.VaultName}",
                $"{ScriptedKubernetes.ListPods} (all namespaces) app.kubernetes.io/name=vault-operator",
                $"{ScriptedKubernetes.Logs} default {cluster.VaultName}-0 --container config-templating",
                $"{ScriptedKubernetes.Logs} default {cluster.VaultName}-0 --container vault",
                $"{ScriptedKubernetes.Logs} default {cluster.VaultName}-0 --container vault --previous",
                $"{ScriptedKubernetes.Logs} default {cluster.VaultName}-0 --container bank-vaults",
                $"{ScriptedKubernetes.Logs} vault-infra vault-operator-{cluster.Name}7c9d --container vault-operator",
            ]);
        }

        kubectl.Should().HaveCount(6, "nothing but the two clusters' calls above");
        api.Should().HaveCount(16, "nothing but the two clusters' calls above");
        scenario.Runner.InvocationsOf("kind").Select(c => string.Join(' ', c.Arguments)).Should().BeEquivalentTo(
        [
            $"export logs {Path.Combine(bundle, "alpha", "kind-logs")} --name alpha",
            $"export logs {Path.Combine(bundle, "beta", "kind-logs")} --name beta",
        ]);
    }

    [Fact]
    public async Task Collections_across_clusters_overlap_but_never_exceed_the_bound()
    {
        await using var scenario = new DiagnosticsScenario("alpha", "beta", "gamma");
        scenario.Options = new DiagnosticsOptions { MaxParallelism = 2 };
        scenario.Runner.When(_ => true).Responds(spec => new(0, "ok\n", string.Empty, TimeSpan.Zero)).WithLatency(TimeSpan.FromMilliseconds(40));
        scenario.Kube.When(_ => true, "any").Returns(_ => "ok\n").WithLatency(TimeSpan.FromMilliseconds(40));
        foreach (var name in new[] { "alpha", "beta", "gamma" })
        {
            scenario.OnApi(name, ScriptedKubernetes.ListPods, c => c.Namespace == DiagnosticsScenario.Namespace)
                .Returns(_ => k8s.KubernetesJson.Deserialize<k8s.Models.V1PodList>(DiagnosticsScenario.VaultPodList(name))).WithLatency(TimeSpan.FromMilliseconds(40));
            scenario.OnApi(name, ScriptedKubernetes.ListPods, c => c.Namespace is null).Returns(_ => new k8s.Models.V1PodList { Items = [] }).WithLatency(TimeSpan.FromMilliseconds(40));
            scenario.OnApi(name, ScriptedKubernetes.GetVault).Returns(_ => null).WithLatency(TimeSpan.FromMilliseconds(40));
        }

        await scenario.Writer().WriteAsync(scenario.Request(), Ct);

        scenario.Runner.PeakConcurrency.Should().Be(2, "kubectl and API calls together never exceed the bound");
        var calls = scenario.Runner.Invocations;
        var api = scenario.Kube.Calls;
        (calls.Any(a => calls.Any(b => a != b && a.ValueOf("--context") != b.ValueOf("--context") && a.Overlaps(b)))
            || api.Any(a => api.Any(b => a != b && a.Target != b.Target && a.Overlaps(b)))
            || api.Any(a => calls.Any(b => a.Target.Context != b.ValueOf("--context") && a.Overlaps(b))))
            .Should().BeTrue("clusters are collected in parallel");
    }

    [Fact]
    public async Task Two_bundles_in_the_same_second_get_separate_folders()
    {
        await using var scenario = new DiagnosticsScenario("alpha");
        var writer = scenario.Writer();

        var first = await writer.WriteAsync(scenario.Request(), Ct);
        var second = await writer.WriteAsync(scenario.Request(), Ct);

        second.Should().NotBe(first);
        Path.GetFileName(second).Should().Be("diagnostics-s42-20300102-030405-2");
        File.Exists(Path.Combine(first, "README.md")).Should().BeTrue();
    }

    [Fact]
    public async Task The_real_vault_client_factory_verifies_the_cluster_CA()
    {
        using var ca = TestPki.CreateCa("vault-alpha-ca");
        using var certificate = TestPki.CreateServerCertificate(ca, System.Net.IPAddress.Loopback);
        await using var vault = FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.LeaderActive), certificate);
        using var otherCa = TestPki.CreateCa("someone-else");

        using (var trusting = DiagnosticsBundleWriter.CreateVaultClient(vault.BaseAddress, TestPki.ToPem(ca), null))
        {
            (await trusting.GetLeaderAsync(Ct)).IsSelf.Should().BeTrue();
        }

        using var distrusting = DiagnosticsBundleWriter.CreateVaultClient(vault.BaseAddress, TestPki.ToPem(otherCa), new SecretValue(DiagnosticsScenario.RootToken));
        await FluentActions.Awaiting(() => distrusting.GetLeaderAsync(Ct)).Should().ThrowAsync<Exception>();
    }

    /// <summary>The README entry of one failed or skipped collection (its bullet and detail block).</summary>
    private static string Section(string readme, string step)
    {
        var start = readme.IndexOf($"- `{step}`:", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"the README lists `{step}` as failed or skipped:\n{readme}");
        var end = readme.IndexOf("\n- `", start + 1, StringComparison.Ordinal);
        var files = readme.IndexOf("## Files", start, StringComparison.Ordinal);
        end = end < 0 || (files >= 0 && files < end) ? files : end;
        return readme[start..(end < 0 ? readme.Length : end)];
    }
}
