using FluentAssertions;
using MultiDcVault.Harness.Components.Kms;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Environment.State;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Environment;

public sealed class EnvironmentLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Missing_tools_fail_the_preflight_naming_each_one_and_nothing_is_created()
    {
        await using var world = new OrchestrationWorld();
        var emptyTools = Directory.CreateTempSubdirectory("multidc-notools-").FullName;
        var resolver = new ExecutableResolver(emptyTools, () => string.Empty);
        world.PreflightReport = await new PreflightRunner(world.Runner, resolver, new PreflightSettings(), _ => Task.FromResult(PreflightCheck.Ok("docker", "ok."))).RunAsync(Ct);
        await using var environment = world.CreateEnvironment();

        var act = () => environment.UpAsync(world.Progress, Ct);

        var error = (await act.Should().ThrowAsync<PrerequisitesMissingException>()).Which;
        error.Problems.Should().HaveCount(2, "kubectl is optional: its absence is a warning, not a missing prerequisite");
        error.Message.Should().Contain("kind: not found").And.Contain("helm: not found").And.NotContain("kubectl");
        world.PreflightReport.Checks.Single(c => c.Name == "kubectl").Status.Should().Be(PreflightStatus.Warn);
        world.Runner.Invocations.Should().BeEmpty();
        world.Docker.Calls.Should().BeEmpty("no Docker resource is created");
        world.CentralVaults.Starts.Should().Be(0);
        File.Exists(Path.Combine(world.WorkDirectory, "state.json")).Should().BeFalse();
        world.Diagnostics.Requests.Should().BeEmpty();
        Directory.Delete(emptyTools);
    }

    [Fact]
    public async Task A_failed_step_cancels_the_rest_writes_diagnostics_and_tears_everything_down()
    {
        await using var world = new OrchestrationWorld();
        world.Runner.When(s => Path.GetFileName(s.FileName) == "helm" && s.Arguments.Contains("kind-secondary"), "helm fails")
            .Fails(1, "Error: INSTALLATION FAILED: context deadline exceeded");
        await using var environment = world.CreateEnvironment();

        var act = () => environment.UpAsync(world.Progress, Ct);

        var error = (await act.Should().ThrowAsync<EnvironmentUpException>()).Which;
        error.Message.Should().Contain("INSTALLATION FAILED").And.Contain("torn down");
        error.InnerException.Should().BeOfType<ProcessFailedException>();
        error.DiagnosticsPath.Should().Be(Path.Combine(world.WorkDirectory, "diagnostics-test"));
        var request = world.Diagnostics.Requests.Should().ContainSingle().Subject;
        request.Reason.Should().Contain("INSTALLATION FAILED");
        request.Session.Should().Be(OrchestrationWorld.Session);
        request.Clusters.Select(c => c.Name).Should().Equal(world.Clusters);
        request.Clusters.Should().OnlyContain(c => c.Target.KubeconfigPath.StartsWith(world.WorkDirectory, StringComparison.Ordinal));
        request.TimingReportPath.Should().Be(Path.Combine(world.WorkDirectory, "timings.json"));
        File.Exists(request.TimingReportPath).Should().BeTrue("the timing report is written before the bundle");
        world.Events.Should().Contain(e => e.Phase == "diagnostics" && e.Message == error.DiagnosticsPath);

        world.Runner.InvocationsOf("kind", "delete", "cluster").Select(i => i.Arguments[3]).Should().BeEquivalentTo(world.Clusters);
        world.Runner.InvocationsOf("kind", "delete", "cluster").Should().OnlyContain(i => i.ValueOf("--kubeconfig")!.StartsWith(world.WorkDirectory, StringComparison.Ordinal));
        world.Clusters.Should().OnlyContain(c => !world.Docker.HasKindNode(c));
        world.CentralVaults.Running.Should().BeFalse();
        world.Docker.RemovedNetworks.Should().Equal(OrchestrationWorld.Network);
        world.Docker.Calls.Should().Contain($"sweep {OrchestrationWorld.Session}");
        world.Runner.Invocations.Should().NotContain(i => i.Spec.StandardInput != null && i.Spec.StandardInput.Contains("kind: Vault", StringComparison.Ordinal),
            "no Vault CR is applied once a cluster failed");
        world.Kube.Calls.Should().NotContain(c => c.Manifest != null && c.Manifest.Contains("kind: Vault", StringComparison.Ordinal),
            "no Vault CR is applied once a cluster failed");
    }

    [Fact]
    public async Task With_keep_a_failed_up_leaves_everything_in_place_for_inspection()
    {
        await using var world = new OrchestrationWorld();
        world.Options = world.Options with { Keep = true };
        world.Raft.NeverForms = true;
        world.Settings = world.Settings with { RaftFormationTimeout = TimeSpan.FromMinutes(1) };
        await using var environment = world.CreateEnvironment();

        var act = () => environment.UpAsync(world.Progress, Ct);

        var error = (await act.Should().ThrowAsync<EnvironmentUpException>()).Which;
        error.Message.Should().Contain("Raft did not form across 3 datacenters").And.Contain("Last seen: voters 1/3").And.Contain("kept");
        error.DiagnosticsPath.Should().NotBeNull();
        world.Runner.InvocationsOf("kind", "delete").Should().BeEmpty();
        world.CentralVaults.Running.Should().BeTrue();
        var state = await new EnvironmentStateStore(world.WorkDirectory).ReadAsync(Ct);
        state!.Status.Should().Be(EnvironmentState.StatusFailed);
    }

    [Fact]
    public async Task Cancelling_up_tears_down_what_was_made()
    {
        await using var world = new OrchestrationWorld();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        world.Runner.On("helm", "upgrade", "--install").WithLatency(TimeSpan.FromSeconds(30)).Responds(_ =>
        {
            cts.Cancel(); // Ctrl-C while the operators install
            return new ProcessResult(0, string.Empty, string.Empty, TimeSpan.Zero);
        });
        await using var environment = world.CreateEnvironment();

        var act = () => environment.UpAsync(world.Progress, cts.Token);

        (await act.Should().ThrowAsync<OperationCanceledException>()).Which.Message.Should().Contain("torn down");
        world.Runner.InvocationsOf("kind", "delete", "cluster").Select(i => i.Arguments[3]).Should().BeEquivalentTo(world.Clusters);
        world.CentralVaults.Running.Should().BeFalse();
        world.Diagnostics.Requests.Should().BeEmpty("Ctrl-C is not a failure");
        File.Exists(Path.Combine(world.WorkDirectory, "state.json")).Should().BeFalse("a complete teardown forgets the environment");
    }

    [Fact]
    public async Task Only_the_heals_attach_starts_a_stopped_central_vault_and_the_heal_then_confirms_it()
    {
        await using var world = new OrchestrationWorld();
        await using (var first = world.CreateEnvironment())
        {
            var up = await first.UpAsync(null, Ct);
            await up.Power.StopAllAsync(Ct); // a power cycle whose process died before the start
        }

        world.CentralVaults.Running.Should().BeFalse();
        await using var second = world.CreateEnvironment();
        await FluentActions.Invoking(() => second.TryAttachAsync(Ct)).Should().ThrowAsync<CentralVaultUnavailableException>("status and the other commands leave it stopped");
        world.CentralVaults.Running.Should().BeFalse();

        var handle = await ((IHealAttach)second).TryAttachForHealAsync(Ct);

        handle.Should().NotBeNull();
        world.CentralVaults.Running.Should().BeTrue();
        var steps = await handle!.Faults.HealAllAsync(Ct);
        steps[0].ToString().Should().Be($"[ OK ] central Vault {world.CentralVaults.ContainerName} running and unsealed");
    }

    [Fact]
    public async Task Attach_rebuilds_the_handle_from_state_and_returns_null_when_a_cluster_is_gone()
    {
        await using var world = new OrchestrationWorld();
        await using (var first = world.CreateEnvironment())
        {
            await first.UpAsync(null, Ct);
        }

        var callsBefore = world.Runner.Invocations.Count;
        var apiCallsBefore = world.Kube.Calls.Count;
        await using var second = world.CreateEnvironment();
        var handle = await second.TryAttachAsync(Ct);

        handle.Should().NotBeNull();
        handle!.Datacenters.Select(d => (d.Name, d.LoadBalancerIp, d.KubeconfigPath)).Should().Equal(world.Clusters.Select(c => (c, world.LoadBalancerIp(c), world.Kubeconfig(c))));
        handle.Plan.Clusters.Select(c => c.AddressPools).Should().OnlyContain(p => p.Count > 0);
        world.CentralVaults.AdoptedWith!.RootToken.Reveal().Should().Be(FakeCentralVaults.CentralRootTokenText, "the tokens come from secrets.json");
        world.Runner.Invocations.Skip(callsBefore).Should().NotContain(i => i.Text.StartsWith("kubectl ", StringComparison.Ordinal) || i.Text.Contains("/kubectl ", StringComparison.Ordinal),
            "the LB IPs and CAs are in state.json: attaching needs no Kubernetes API, which a paused datacenter would not answer");
        world.Kube.Calls.Skip(apiCallsBefore).Should().BeEmpty("the LB IPs and CAs are in state.json: attaching needs no Kubernetes API, which a paused datacenter would not answer");
        handle.Datacenters.Should().OnlyContain(d => d.CaCertificatePem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal));

        world.Docker.RemoveKindNode("tertiary");
        (await second.TryAttachAsync(Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Attach_reads_the_cluster_secret_again_when_the_recorded_ca_is_near_the_operators_renewal()
    {
        await using var world = new OrchestrationWorld();
        await using (var first = world.CreateEnvironment())
        {
            await first.UpAsync(null, Ct);
        }

        // A recorded CA of "primary" that ends within the operator's renewal window (less than 8 days from now).
        var statePath = Path.Combine(world.WorkDirectory, "state.json");
        var state = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(statePath, Ct))!;
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=old-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var expiring = request.CreateSelfSigned(world.Time.GetUtcNow().AddDays(-358), world.Time.GetUtcNow().AddDays(2));
        state["clusters"]![0]!["caCertificatePem"] = expiring.ExportCertificatePem();
        await File.WriteAllTextAsync(statePath, state.ToJsonString(), Ct);
        var callsBefore = world.Kube.Calls.Count;

        await using var second = world.CreateEnvironment();
        var handle = await second.TryAttachAsync(Ct);

        var secretReads = world.Kube.Calls.Skip(callsBefore).Where(c => c.Operation == ScriptedKubernetes.GetSecret).ToList();
        secretReads.Should().ContainSingle().Which.Should().Match<KubeApiCall>(c => c.Name == "vault-primary-tls" && c.Cluster == "primary");
        world.Kube.Calls.Skip(callsBefore).Should().HaveCount(1, "only the CA near its renewal is read again");
        handle!.Datacenter("primary").CaCertificatePem.Should().NotBe(expiring.ExportCertificatePem(), "the Secret's CA replaces the one about to be renewed");
    }

    [Fact]
    public async Task Attach_to_an_environment_whose_central_vault_cannot_be_used_says_so_in_one_line_and_starts_nothing()
    {
        await using var world = new OrchestrationWorld();
        await using (var first = world.CreateEnvironment())
        {
            await first.UpAsync(null, Ct);
        }

        world.CentralVaults.Running = false;
        await using var second = world.CreateEnvironment();
        var act = () => second.TryAttachAsync(Ct);

        (await act.Should().ThrowAsync<CentralVaultUnavailableException>()).Which.Message.Should().Contain("multidc down").And.NotContain("\n");
        world.CentralVaults.Starts.Should().Be(1, "attaching never starts a central Vault");
        world.CentralVaults.Removals.Should().Be(0, "attaching never removes one");
    }

    [Fact]
    public async Task Up_gives_the_central_vault_the_planned_fixed_address()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();

        var handle = await environment.UpAsync(null, Ct);

        world.CentralVaults.StartedAt.Should().NotBeNull().And.Be(handle.Plan.CentralVaultAddress);
        handle.Plan.Clusters.SelectMany(c => c.AddressPools).Should().NotContain(p => p.StartsWith(world.CentralVaults.StartedAt + "-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Up_with_reuse_returns_the_running_healthy_environment_without_creating_anything()
    {
        await using var world = new OrchestrationWorld();
        await using (var first = world.CreateEnvironment())
        {
            await first.UpAsync(null, Ct);
        }

        var creates = world.Runner.InvocationsOf("kind", "create").Count;
        world.Options = world.Options with { Reuse = true };
        await using var second = world.CreateEnvironment();
        var handle = await second.UpAsync(world.Progress, Ct);

        handle.Datacenters.Should().HaveCount(3);
        world.Runner.InvocationsOf("kind", "create").Should().HaveCount(creates);
        world.Runner.InvocationsOf("kind", "delete").Should().BeEmpty();
        world.CentralVaults.Starts.Should().Be(1);
        world.Events.Should().Contain(e => e.Phase == "reuse" && e.State == PhaseState.Succeeded);
    }

    [Fact]
    public async Task Up_without_reuse_replaces_a_previous_environment_of_the_session()
    {
        await using var world = new OrchestrationWorld();
        await using (var first = world.CreateEnvironment())
        {
            await first.UpAsync(null, Ct);
        }

        await using var second = world.CreateEnvironment();
        await second.UpAsync(null, Ct);

        var deletes = world.Runner.InvocationsOf("kind", "delete", "cluster");
        deletes.Should().HaveCount(3);
        var secondCreates = world.Runner.InvocationsOf("kind", "create").Skip(3).ToList();
        secondCreates.Should().HaveCount(3);
        deletes.Max(d => d.EndOrder).Should().BeLessThan(secondCreates.Min(c => c.StartOrder));
        world.CentralVaults.Starts.Should().Be(2, "a fresh environment gets a fresh central Vault");
    }

    [Fact]
    public async Task Up_refuses_before_creating_anything_when_a_planned_cluster_name_belongs_to_someone_else()
    {
        await using var world = new OrchestrationWorld();

        // E.g. a developer's `multidc up` (another session) running a cluster with one of our names on our network.
        world.Docker.AddKindNode(world.Clusters[1], OrchestrationWorld.Network, "172.30.0.99");
        await using var environment = world.CreateEnvironment();

        var act = () => environment.UpAsync(world.Progress, Ct);

        var error = (await act.Should().ThrowAsync<PrerequisitesMissingException>()).Which;
        error.Problems.Should().ContainSingle().Which.Should().Contain($"'{world.Clusters[1]}'")
            .And.Contain("multidc down --session").And.Contain("MULTIDC_CLUSTER_NAMES");
        world.Runner.InvocationsOf("kind").Should().BeEmpty("nothing is created and nothing is deleted");
        world.Docker.HasKindNode(world.Clusters[1]).Should().BeTrue();
        world.CentralVaults.Starts.Should().Be(0);
        // "sweep selected" is up's crash sweep: it selects dead owners' objects only, and this world has none.
        world.Docker.Calls.Should().NotContain(c => c.StartsWith("ensure", StringComparison.Ordinal) || c.StartsWith("remove", StringComparison.Ordinal) || (c.StartsWith("sweep", StringComparison.Ordinal) && c != "sweep selected"));
        File.Exists(Path.Combine(world.WorkDirectory, "state.json")).Should().BeFalse();
    }

    [Fact]
    public async Task Up_replaces_clusters_its_own_state_records_without_calling_them_foreign()
    {
        await using var world = new OrchestrationWorld();
        await using (var first = world.CreateEnvironment())
        {
            await first.UpAsync(null, Ct);
        }

        await using var second = world.CreateEnvironment();
        await second.UpAsync(null, Ct);

        world.Runner.InvocationsOf("kind", "create").Should().HaveCount(6);
    }

    [Fact]
    public async Task Down_deletes_only_this_sessions_clusters_and_never_a_same_named_foreign_one()
    {
        await using var world = new OrchestrationWorld();
        await using (var up = world.CreateEnvironment())
        {
            await up.UpAsync(null, Ct);
        }

        // Someone else's cluster named like one of ours in the plan, on another network, and one we never recorded.
        world.Options = world.Options with { ClusterNames = [.. world.Clusters, "quaternary", "quinary"] };
        world.Docker.AddKindNode("quaternary", "kind", "172.18.0.5");
        await using var environment = world.CreateEnvironment();

        var report = await environment.DownAsync(world.Progress, Ct);

        report.ClustersDeleted.Should().BeEquivalentTo(world.Clusters.Take(3));
        world.Docker.HasKindNode("quaternary").Should().BeTrue();
        world.Runner.InvocationsOf("kind", "delete", "cluster").Should().NotContain(i => i.Arguments[3] == "quaternary");
        report.Problems.Should().ContainSingle().Which.Should().Contain("quaternary").And.Contain("left alone");
        report.ContainersRemoved.Should().Contain("multidc-orch-central-vault");
        report.VolumesRemoved.Should().Equal(["multidc-orch-central-vault-data"], "the central Vault's storage goes with it");
        report.NetworksRemoved.Should().Equal(OrchestrationWorld.Network);
        File.Exists(Path.Combine(world.WorkDirectory, "state.json")).Should().BeFalse();
        File.Exists(Path.Combine(world.WorkDirectory, "secrets.json")).Should().BeFalse();
    }

    [Theory]
    [InlineData(OrchestrationWorld.Session, true)]
    [InlineData("someone-else", false)]
    public async Task Down_without_a_state_file_deletes_clusters_only_on_a_network_labelled_for_this_session(string networkSession, bool deleted)
    {
        await using var world = new OrchestrationWorld();
        await using (var up = world.CreateEnvironment())
        {
            await up.UpAsync(null, Ct);
        }

        // A crashed run: the state file is gone, the clusters and the network are still there.
        File.Delete(Path.Combine(world.WorkDirectory, "state.json"));
        world.Docker.NetworkSession = networkSession;
        await using var environment = world.CreateEnvironment();

        var report = await environment.DownAsync(world.Progress, Ct);

        if (deleted)
        {
            report.ClustersDeleted.Should().BeEquivalentTo(world.Clusters);
            report.Problems.Should().BeEmpty();
        }
        else
        {
            report.ClustersDeleted.Should().BeEmpty();
            world.Clusters.Should().OnlyContain(c => world.Docker.HasKindNode(c));
            world.Runner.InvocationsOf("kind", "delete", "cluster").Should().BeEmpty();
            report.Problems.Should().HaveCount(world.Clusters.Count).And.OnlyContain(p => p.Contains("left alone", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Status_reads_raft_health_of_the_attached_environment()
    {
        await using var world = new OrchestrationWorld();
        await using var environment = world.CreateEnvironment();
        (await environment.GetStatusAsync(Ct)).Problems.Should().ContainSingle().Which.Should().Contain("multidc up");

        await environment.UpAsync(null, Ct);
        var status = await environment.GetStatusAsync(Ct);

        status.Healthy.Should().BeTrue();
        status.Voters.Should().Be(3);
        status.Leader.Should().Be("primary");
        status.Datacenters.Select(d => d.Name).Should().Equal(world.Clusters);
    }
}
