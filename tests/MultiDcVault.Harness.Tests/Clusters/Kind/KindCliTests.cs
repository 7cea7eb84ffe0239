using FluentAssertions;
using MultiDcVault.Harness.Clusters.Kind;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Clusters.Kind;

public sealed class KindCliTests
{
    private const string Config = "/work/multidc/kind-primary.yaml";
    private const string Kubeconfig = "/work/multidc/kubeconfig-primary";
    private const string Image = "kindest/node:v1.33.1";

    private readonly ScriptedProcessRunner _runner = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KindCli Kind(int retries = 1) => new(_runner, new KindCliOptions { CreateRetries = retries, RetryDelay = TimeSpan.Zero });

    private static ProcessResult Ok(string stdout = "") => new(0, stdout, string.Empty, TimeSpan.Zero);

    private static ProcessResult Failed(string stderr) => new(1, string.Empty, stderr, TimeSpan.Zero);

    [Fact]
    public async Task Create_passes_name_config_image_own_kubeconfig_and_wait_and_selects_the_network()
    {
        _runner.On("kind", "create", "cluster").Returns();

        await Kind().CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromMinutes(5), "multidc", Ct);

        var call = _runner.Invocations.Should().ContainSingle().Subject;
        call.Arguments.Should().Equal(
            "create", "cluster", "--name", "primary", "--config", Config, "--image", Image, "--kubeconfig", Kubeconfig, "--wait", "5m");
        call.Spec.Environment.Should().Contain("KIND_EXPERIMENTAL_DOCKER_NETWORK", "multidc");
        call.Spec.Timeout.Should().BeGreaterThan(TimeSpan.FromMinutes(5), "the process must outlive kind's own --wait");
    }

    [Fact]
    public async Task Create_on_the_default_network_blanks_an_inherited_network_variable()
    {
        _runner.On("kind", "create", "cluster").Returns();

        await Kind().CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromSeconds(90), KindCli.DefaultNetwork, Ct);

        var call = _runner.Invocations.Should().ContainSingle().Subject;
        call.Spec.Environment.Should().Contain(KindCli.NetworkVariable, string.Empty);
        call.ValueOf("--wait").Should().Be("90s");
    }

    [Fact]
    public async Task Every_kind_call_blanks_an_inherited_provider_choice()
    {
        // kind v0.32.0 pkg/internal/runtime/runtime.go GetDefault: KIND_EXPERIMENTAL_PROVIDER=podman makes the CLI use podman;
        // "" is the auto-detect case, and pkg/cluster/provider.go DetectNodeProvider tries docker first.
        _runner.On("kind", "create", "cluster").Returns();
        _runner.On("kind", "delete", "cluster").Returns();
        _runner.On("kind", "get", "clusters").Returns();

        await Kind().CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromSeconds(90), "multidc", Ct);
        await Kind().DeleteClusterAsync("primary", Kubeconfig, Ct);

        _runner.Invocations.Should().HaveCount(2).And.OnlyContain(i => i.Spec.Environment![KindCli.ProviderVariable] == string.Empty);
    }

    [Fact]
    public async Task Failed_create_is_deleted_then_retried()
    {
        _runner.On("kind", "create", "cluster").ReturnsInOrder(Failed("ERROR: failed to create cluster: could not find a log line that matches \"Reached target .*Multi-User System.*\""), Ok());
        _runner.On("kind", "delete", "cluster").Returns();

        await Kind().CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromMinutes(5), "multidc", Ct);

        _runner.Invocations.Select(i => string.Join(' ', i.Arguments.Take(2))).Should().Equal("create cluster", "delete cluster", "create cluster");
        var delete = _runner.Invocations[1];
        delete.Arguments.Should().Equal("delete", "cluster", "--name", "primary", "--kubeconfig", Kubeconfig);
        delete.EndOrder.Should().BeLessThan(_runner.Invocations[2].StartOrder, "the retry starts only after the cleanup finished");
    }

    [Fact]
    public async Task Create_gives_up_after_the_configured_retries_with_the_last_error()
    {
        _runner.On("kind", "create", "cluster").Fails(1, "ERROR: failed to create cluster: failed to init node with kubeadm");
        _runner.On("kind", "delete", "cluster").Returns();

        var act = () => Kind(retries: 2).CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromMinutes(5), "multidc", Ct);

        (await act.Should().ThrowAsync<ProcessFailedException>()).Which.StandardErrorTail.Should().Contain("kubeadm");
        _runner.InvocationsOf("kind", "create").Should().HaveCount(3);
        _runner.InvocationsOf("kind", "delete").Should().HaveCount(2);
    }

    [Fact]
    public async Task Create_when_the_name_is_taken_never_deletes_the_existing_cluster_and_does_not_retry()
    {
        _runner.On("kind", "create", "cluster").Fails(1, "ERROR: failed to create cluster: node(s) already exist for a cluster with the name \"primary\"");
        _runner.On("kind", "delete", "cluster").Returns();

        var act = () => Kind(retries: 2).CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromMinutes(5), "multidc", Ct);

        var error = (await act.Should().ThrowAsync<KindClusterExistsException>()).Which;
        error.ClusterName.Should().Be("primary");
        error.Message.Should().Contain("left alone").And.Contain("kind delete cluster --name primary").And.Contain("MULTIDC_CLUSTER_NAMES");
        _runner.InvocationsOf("kind", "create").Should().HaveCount(1);
        _runner.InvocationsOf("kind", "delete").Should().BeEmpty("a cluster this run did not create must never be deleted");
    }

    [Fact]
    public async Task Create_without_retries_does_not_delete()
    {
        _runner.On("kind", "create", "cluster").Fails(1, "boom");

        var act = () => Kind(retries: 0).CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromMinutes(5), "multidc", Ct);

        await act.Should().ThrowAsync<ProcessFailedException>();
        _runner.InvocationsOf("kind", "delete").Should().BeEmpty();
    }

    [Fact]
    public async Task Cancellation_is_not_retried()
    {
        _runner.On("kind", "create", "cluster").Throws(_ => new OperationCanceledException());

        var act = () => Kind().CreateClusterAsync("primary", Config, Image, Kubeconfig, TimeSpan.FromMinutes(5), "multidc", Ct);

        await act.Should().ThrowAsync<OperationCanceledException>();
        _runner.Invocations.Should().ContainSingle();
    }

    [Fact]
    public async Task Get_clusters_reads_one_name_per_line_and_nothing_when_kind_reports_none()
    {
        _runner.On("kind", "get", "clusters").ReturnsInOrder(Ok("primary\nsecondary\ntertiary\n"), new ProcessResult(0, string.Empty, "No kind clusters found.\n", TimeSpan.Zero));

        (await Kind().GetClustersAsync(Ct)).Should().Equal("primary", "secondary", "tertiary");
        (await Kind().GetClustersAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Load_and_export_commands_name_the_cluster()
    {
        _runner.On("kind").Returns();
        var kind = Kind();

        await kind.LoadDockerImagesAsync("secondary", ["ghcr.io/bank-vaults/vault-operator:dev", "hashicorp/vault:2.0.1"], Ct);
        await kind.LoadImageArchiveAsync("secondary", "/tmp/operator.tar", Ct);
        await kind.ExportLogsAsync("secondary", "/tmp/diag/secondary", Ct);
        await kind.DeleteClusterAsync("secondary", "/tmp/kc-secondary", Ct);

        _runner.Invocations.Select(i => i.Arguments).Should().BeEquivalentTo(
            new[]
            {
                new[] { "load", "docker-image", "ghcr.io/bank-vaults/vault-operator:dev", "hashicorp/vault:2.0.1", "--name", "secondary" },
                new[] { "load", "image-archive", "/tmp/operator.tar", "--name", "secondary" },
                new[] { "export", "logs", "/tmp/diag/secondary", "--name", "secondary" },
                new[] { "delete", "cluster", "--name", "secondary", "--kubeconfig", "/tmp/kc-secondary" },
            },
            o => o.WithStrictOrdering());
    }

    /// <summary>
    /// kubernetes-sigs/kind v0.31.0 (and the pinned v0.32.0) pkg/cmd/kind/load/docker-image/docker-image.go: `docker-image &lt;IMAGE&gt; [IMAGE...]`
    /// with --name (default "kind") and --nodes; it `docker save`s to one archive and calls
    /// pkg/cluster/nodeutils/util.go LoadImageArchive, `ctr --namespace=k8s.io images import --all-platforms --digests`.
    /// A missing blob fails there as in kubernetes-sigs/kind#3845 (a duplicate of #3795): the error wraps ctr's output.
    /// </summary>
    [Fact]
    public async Task A_missing_blob_in_the_node_import_is_recognised_as_the_containerd_store_failure()
    {
        _runner.On("kind", "load", "docker-image").Fails(1,
            "ERROR: failed to load image: command \"docker exec --privileged -i primary-control-plane ctr --namespace=k8s.io images import --all-platforms --digests --snapshotter=overlayfs -\" failed with error: exit status 1\n" +
            "Command Output: ctr: content digest sha256:82014a3cbf22d2e03382cd9b123f4151d956986e727340a466406a206408b7a2: not found\n");

        var error = await FluentActions.Awaiting(() => Kind().LoadDockerImagesAsync("primary", ["localhost/vault-operator:dev"], Ct))
            .Should().ThrowAsync<ProcessFailedException>();

        KindCli.IsContentDigestNotFound(error.Which).Should().BeTrue();
    }

    [Fact]
    public async Task Other_load_failures_are_not_taken_for_the_containerd_store_failure()
    {
        // docker-image.go: an image missing on the host fails before any node is touched.
        _runner.On("kind", "load", "docker-image").Fails(1, "ERROR: image: \"localhost/vault-operator:dev\" not present locally\n");

        var error = await FluentActions.Awaiting(() => Kind().LoadDockerImagesAsync("primary", ["localhost/vault-operator:dev"], Ct))
            .Should().ThrowAsync<ProcessFailedException>();

        KindCli.IsContentDigestNotFound(error.Which).Should().BeFalse();
    }

    [Theory]
    [InlineData("kind v0.29.0 go1.24.2 linux/amd64\n", 0, 29, 0)]
    [InlineData("kind v0.20.0 go1.20.4 darwin/arm64\n", 0, 20, 0)]
    [InlineData("kind v0.33.0-alpha.12+0123456789abcd go1.25.0 linux/amd64\n", 0, 33, 0)]
    [InlineData("v0.5.1\n", 0, 5, 1)]
    [InlineData("0.20.0\n", 0, 20, 0)]
    public void Version_output_of_every_kind_generation_parses(string output, int major, int minor, int patch)
    {
        var version = KindCli.ParseVersion(output);

        (version.Major, version.Minor, version.Patch).Should().Be((major, minor, patch));
    }

    [Fact]
    public async Task Get_version_runs_kind_version()
    {
        _runner.On("kind", "version").Returns("kind v0.29.0 go1.24.2 linux/amd64\n");

        var version = await Kind().GetVersionAsync(Ct);

        version.Should().Be(new ToolVersion(0, 29, 0, "v0.29.0"));
    }
}
