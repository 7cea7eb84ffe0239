using FluentAssertions;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Components.Vault;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Faults;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using System.Net;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment.Up;

public sealed class EnvironmentUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_creates_every_cluster_with_its_own_kubeconfig_on_the_shared_network_in_parallel()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        var creates = world.Runner.InvocationsOf("kind", "create", "cluster");
        creates.Should().HaveCount(3);
        foreach (var (create, name) in creates.OrderBy(c => c.Arguments[3]).Zip(world.Clusters.Order()))
        {
            create.Arguments.Should().Equal(
                "create", "cluster", "--name", name,
                "--config", Path.Combine(world.WorkDirectory, "manifests", name, "kind-config.yaml"),
                "--image", world.Options.KindNodeImage,
                "--kubeconfig", world.Kubeconfig(name),
                "--wait", "5m");
            create.Spec.Environment.Should().Contain("KIND_EXPERIMENTAL_DOCKER_NETWORK", OrchestrationWorld.Network);
            File.ReadAllText(create.ValueOf("--config")!).Should().Contain($"name: \"{name}\"").And.Contain(world.Options.KindNodeImage);
        }

        creates[0].Overlaps(creates[1]).Should().BeTrue("kind creates run in parallel");
        creates[1].Overlaps(creates[2]).Should().BeTrue();
        creates[0].Overlaps(creates[2]).Should().BeTrue();

        // Every kubectl, helm and kind call names a kubeconfig inside the session's work directory.
        foreach (var call in world.Runner.Invocations.Where(i => i.ValueOf("--kubeconfig") is not null))
        {
            call.ValueOf("--kubeconfig")!.Should().StartWith(world.WorkDirectory);
        }

        world.Runner.Invocations.Should().NotContain(i => i.Text.Contains(".kube/config", StringComparison.Ordinal));

        // So does every Kubernetes API call.
        world.Kube.Calls.Should().NotBeEmpty().And.OnlyContain(c => c.Target.KubeconfigPath.StartsWith(world.WorkDirectory, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_installs_metallb_and_the_operator_side_by_side_across_clusters_with_pinned_versions()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        var fetched = world.Manifests.Fetches.Should().ContainSingle("the native manifest is fetched once per run, not once per cluster").Subject;
        fetched.Should().Be(Harness.Provisioning.PinnedManifests.MetalLbNative(world.Options.MetalLbVersion));
        var nativeManifest = Path.Combine(world.WorkDirectory, "tool-cache", fetched.DirectoryName, fetched.FileName);
        var metalLb = world.Clusters.Select(c => world.KubeCalls(c, ScriptedKubernetes.ApplyFile).Single(i => i.Name == nativeManifest)).ToList();
        var helm = world.Runner.InvocationsOf("helm", "upgrade", "--install");
        helm.Should().HaveCount(3);
        foreach (var cluster in world.Clusters)
        {
            var install = helm.Single(h => h.ValueOf("--kube-context") == $"kind-{cluster}");
            install.Arguments.Take(6).Should().Equal("upgrade", "--install", "vault-operator", world.Options.OperatorChart, "--version", world.Options.OperatorChartVersion);
            install.Arguments.Should().Contain("--wait");
            install.ValueOf("-f").Should().Be(Path.Combine(world.WorkDirectory, "manifests", cluster, "operator-values.yaml"));
            File.ReadAllText(install.ValueOf("-f")!).Should().Contain("repository: \"ghcr.io/bank-vaults/vault-operator\"").And.Contain("pullPolicy: \"Never\"");
            install.Arguments.Should().ContainInConsecutiveOrder("--set-string", "bankVaults.image.repository=ghcr.io/bank-vaults/bank-vaults")
                .And.ContainInConsecutiveOrder("--set-string", "bankVaults.image.tag=v1.33.1");

            var wait = world.KubeCalls(cluster, ScriptedKubernetes.WaitDeployment).Single();
            (wait.Namespace, wait.Name).Should().Be(("metallb-system", "controller"));
            var speakers = world.KubeCalls(cluster, ScriptedKubernetes.WaitPods).Single();
            (speakers.Namespace, speakers.Name).Should().Be(("metallb-system", "app=metallb,component=speaker"));
            var pool = world.Applies(cluster, "kind: IPAddressPool").Single();
            pool.StartOrder.Should().BeGreaterThan(wait.EndOrder!.Value, "pools go in after the controller is available");
            pool.StartOrder.Should().BeGreaterThan(speakers.EndOrder!.Value, "and after the speakers are Ready");
        }

        metalLb[0].Overlaps(metalLb[1]).Should().BeTrue("MetalLB installs overlap across clusters");
        helm[0].Overlaps(helm[1]).Should().BeTrue("operator installs overlap across clusters");
        helm.Any(h => metalLb.Any(m => m.Overlaps(h))).Should().BeTrue("a cluster's MetalLB and operator installs run side by side");
    }

    [Fact]
    public async Task Leader_cr_goes_first_and_followers_join_only_after_its_ca_was_copied_and_it_was_initialised()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        var handle = await environment.UpAsync(world.Progress, Ct);

        var leader = world.Clusters[0];
        var leaderApply = world.VaultApply(leader);
        leaderApply.Manifest.Should().MatchRegex("raftLeaderAddress: \"?self\"?");
        var rbacLeader = world.Applies(leader, "kind: RoleBinding").Single();
        rbacLeader.EndOrder.Should().BeLessThan(leaderApply.StartOrder, "RBAC is applied before the Vault CR");

        var leaderSecretReads = world.KubeCalls(leader, ScriptedKubernetes.GetSecret).Where(c => c.Namespace == "default" && c.Name == "vault-primary-tls").ToList();
        var followerApplies = world.Clusters.Skip(1).Select(world.VaultApply).ToList();
        foreach (var follower in world.Clusters.Skip(1))
        {
            var apply = world.VaultApply(follower);
            apply.StartOrder.Should().BeGreaterThan(leaderApply.EndOrder!.Value, "the leader's CR strictly precedes every follower's");
            apply.Manifest.Should().Contain(world.LoadBalancerIp(leader), "followers join the leader's LB IP")
                .And.Contain("VAULT_RAFT_CACERT");

            var caCopy = world.Applies(follower, "kind: Secret").Single();
            var secret = (Dictionary<string, object?>)YamlObjects.ParseSingle(caCopy.Manifest!)!;
            ((Dictionary<string, object?>)secret["metadata"]!)["name"].Should().Be("vault-primary-raft-ca");
            ((Dictionary<string, object?>)secret["data"]!).Keys.Should().Equal(["ca.crt"], "a follower gets the leader's CA, never its keys");
            caCopy.Manifest.Should().NotContain("server.key").And.NotContain("server.crt").And.NotContain("resourceVersion");
            caCopy.EndOrder.Should().BeLessThan(apply.StartOrder, "the CA copy precedes the follower CR");
            leaderSecretReads.Should().Contain(r => r.EndOrder < caCopy.StartOrder);
        }

        followerApplies[0].Overlaps(followerApplies[1]).Should().BeFalse("single applies are instant; the follower phases overlap instead");
        var phases = world.Events.Where(e => e.State == PhaseState.Succeeded).ToList();
        var initialised = phases.Single(e => e.Phase == "leader initialised").At;
        phases.Where(e => e.Phase == "ca copy").Should().OnlyContain(e => e.At >= initialised);
        var followerPhases = phases.Where(e => e.Phase == "follower vault").ToList();
        followerPhases.Should().HaveCount(2);

        // The follower vault phases ran at the same time (each waits for its own LB IP and certificate).
        var starts = world.Events.Where(e => e.Phase == "follower vault" && e.State == PhaseState.Started).Select(e => e.At).ToList();
        starts.Max().Should().BeBefore(followerPhases.Min(e => e.At));

        handle.Datacenters.Select(d => d.Name).Should().Equal(world.Clusters);
        handle.Datacenters.Should().OnlyContain(d => d.VaultAddress == new Uri($"https://{world.LoadBalancerIp(d.Name)}:8200"));
        handle.Datacenters.Should().OnlyContain(d => d.CaCertificatePem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal));
        handle.Datacenters.Select(d => d.NodeContainers.Single()).Should().Equal(world.Clusters.Select(c => $"{c}-control-plane"));
        handle.FaultTopology.KeepReachable.Should().Contain(["172.30.0.1", "172.30.0.3"]);
        handle.FaultTopology.Datacenters[0].Nodes.Single().IPv4Address.Should().Be("172.30.0.10");
        (await handle.ReadRootTokenAsync(Ct)).Reveal().Should().Be(FakeCentralVaults.RootTokenText);
        world.Raft.TokensSeen.Should().Contain(FakeCentralVaults.RootTokenText, "Raft is checked with the root token from the central Vault");
    }

    [Fact]
    public async Task Tokens_never_reach_arguments_state_or_progress_and_secrets_file_is_owner_only()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        string[] tokens = [FakeCentralVaults.RootTokenText, FakeCentralVaults.TransitTokenText, FakeCentralVaults.CentralRootTokenText];
        foreach (var call in world.Runner.Invocations)
        {
            call.Text.Should().NotContainAny(tokens);
        }

        // API calls name their objects in paths; a token only ever travels in an apply's body.
        foreach (var call in world.Kube.Calls)
        {
            call.ToString().Should().NotContainAny(tokens);
        }

        world.Events.Select(e => e.ToString()).Should().NotContain(e => tokens.Any(e.Contains));
        var state = File.ReadAllText(Path.Combine(world.WorkDirectory, "state.json"));
        state.Should().NotContainAny(tokens);
        File.ReadAllText(Path.Combine(world.WorkDirectory, "timings.json")).Should().NotContainAny(tokens);
        Directory.EnumerateFiles(Path.Combine(world.WorkDirectory, "manifests"), "*", SearchOption.AllDirectories)
            .Should().OnlyContain(f => !tokens.Any(File.ReadAllText(f).Contains));

        var secrets = Path.Combine(world.WorkDirectory, "secrets.json");
        File.ReadAllText(secrets).Should().Contain(FakeCentralVaults.CentralRootTokenText);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(secrets).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task Up_records_state_and_a_timing_report_and_reports_every_phase()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        var store = new EnvironmentStateStore(world.WorkDirectory);
        var state = (await store.ReadAsync(Ct))!;
        state.Status.Should().Be(EnvironmentState.StatusUp);
        state.NetworkCreatedByHarness.Should().BeTrue();
        state.Clusters.Select(c => (c.Name, c.KubeconfigPath, c.LoadBalancerIp))
            .Should().Equal(world.Clusters.Select(c => (c, world.Kubeconfig(c), (string?)world.LoadBalancerIp(c))));
        state.CentralVaultContainer.Should().Be("multidc-orch-central-vault");

        var report = TimingReport.Parse(File.ReadAllText(Path.Combine(world.WorkDirectory, TimingReport.FileName)));
        report.Outcome.Should().Be("up");
        report.Phases.Where(p => p.Phase == "kind create").Select(p => p.Cluster).Should().BeEquivalentTo(world.Clusters);
        report.Phases.Should().Contain(p => p.Phase == "raft formed" && p.Cluster == null);
        report.CriticalPath.Should().NotBeEmpty();
        report.CriticalPath[^1].Phase.Should().Be("raft formed");
        report.CriticalPath.Select(p => p.Phase).Should().Contain(["kind create", "leader vault", "leader initialised", "follower vault"]);
        report.CriticalPath.Should().BeInAscendingOrder(p => p.EndSeconds);
        report.TotalSeconds.Should().BeGreaterThan(0);

        var pulls = ClusterImages.HostPulls(world.Options).Select(i => $"pull {i}");
        var loads = new[] { "load metallb images", "load operator image", "load vault images" };
        foreach (var phase in new[] { "preflight", "network", "metallb manifest", "central vault", "kind create", "metallb", "operator", "rbac", "leader vault", "leader initialised", "ca copy", "follower vault", "host access", "raft formed" }.Concat(pulls).Concat(loads))
        {
            world.Events.Should().Contain(e => e.Phase == phase && e.State == PhaseState.Started, phase);
            world.Events.Should().Contain(e => e.Phase == phase && e.State == PhaseState.Succeeded && e.Duration != null, phase);
        }

        report.Phases.Where(p => p.Phase.StartsWith("pull ", StringComparison.Ordinal)).Should().OnlyContain(p => p.Cluster == null, "pulls happen once, on the host");
        foreach (var load in loads)
        {
            report.Phases.Where(p => p.Phase == load).Select(p => p.Cluster).Should().BeEquivalentTo(world.Clusters, "each cluster loads its own copy");
        }
    }

    [Fact]
    public async Task A_locally_built_operator_image_is_loaded_into_every_cluster_before_helm_and_never_pulled()
    {
        await using var world = new OrchestrationWorld();
        world.Options = world.Options with { OperatorImage = "localhost/vault-operator:pr-123", LoadOperatorImage = true };
        world.Docker.AddImage("localhost/vault-operator:pr-123");
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        world.Docker.Pulls.Should().NotContain("localhost/vault-operator:pr-123");
        world.Events.Should().Contain(e => e.Phase == "pull localhost/vault-operator:pr-123" && e.State == PhaseState.Skipped);
        foreach (var cluster in world.Clusters)
        {
            var load = world.Runner.InvocationsOf("kind", "load", "docker-image").Single(i => i.Arguments[^1] == cluster && i.Arguments[2] == "localhost/vault-operator:pr-123");
            load.Arguments.Should().Equal("load", "docker-image", "localhost/vault-operator:pr-123", "--name", cluster);
            var install = world.Runner.InvocationsOf("helm", "upgrade", "--install").Single(h => h.ValueOf("--kube-context") == $"kind-{cluster}");
            load.EndOrder.Should().BeLessThan(install.StartOrder);
            File.ReadAllText(install.ValueOf("-f")!).Should().Contain("repository: \"localhost/vault-operator\"")
                .And.Contain("tag: \"pr-123\"").And.Contain("pullPolicy: \"Never\"");
        }
    }

    [Fact]
    public async Task Pools_are_retried_while_the_metallb_webhook_is_not_serving()
    {
        await using var world = new OrchestrationWorld();
        world.Kube.When(c => c.Cluster == "secondary" && c.Operation == ScriptedKubernetes.Apply && c.Manifest!.Contains("IPAddressPool", StringComparison.Ordinal), "webhook down")
            .Times(2)
            .Throws(c => new KubernetesApiException(
                $"apply IPAddressPool metallb-system/pool in {c.Target}",
                HttpStatusCode.InternalServerError,
                "Internal error occurred: failed calling webhook \"ipaddresspoolvalidationwebhook.metallb.io\": Post \"https://webhook-service.metallb-system.svc:443/validate\": dial tcp 10.96.1.1:443: connect: connection refused"));
        await using var environment = world.CreateEnvironment();

        await environment.UpAsync(world.Progress, Ct);

        var attempts = world.Applies("secondary", "IPAddressPool");
        attempts.Should().HaveCount(3);
        attempts.Take(2).Should().OnlyContain(a => a.Error is KubernetesApiException);
        attempts[2].IsComplete.Should().BeTrue();
        attempts[2].Error.Should().BeNull();
        (attempts[2].StartedAt - attempts[1].EndedAt!.Value).Should().BeGreaterThanOrEqualTo(world.Settings.MetalLbWebhookRetryDelay);
    }

    [Fact]
    public async Task Docker_desktop_reaches_each_vault_through_a_port_forward_verified_with_the_cluster_ca()
    {
        await using var world = new OrchestrationWorld();
        world.Docker.NeedsPortForwarding = true;
        await using var environment = world.CreateEnvironment();

        var handle = await environment.UpAsync(world.Progress, Ct);

        foreach (var (dc, index) in handle.Datacenters.Select((d, i) => (d, i)))
        {
            dc.VaultAddress.Should().Be(new Uri($"https://127.0.0.1:{41000 + index}"));
            var forward = world.KubectlCalls(dc.Name, "port-forward").Single();
            forward.Arguments.Skip(4).Should().Equal("port-forward", "--namespace", "default", $"svc/vault-{dc.Name}", ":8200", "--address", "127.0.0.1");
            var tlsSecret = (k8s.Models.V1Secret)world.KubeCalls(dc.Name, ScriptedKubernetes.GetSecret).First(c => c.Name == $"vault-{dc.Name}-tls").Result!;
            CertificateSans.Contains(
                System.Text.Encoding.UTF8.GetString(tlsSecret.Data["server.crt"]),
                "127.0.0.1").Should().BeTrue("the operator's certificate names 127.0.0.1, so TLS verifies through the forward");
        }
    }
}
