using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Preflight;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Preflight;

public sealed class PreflightRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("multidc-doctor-").FullName;
    private readonly string _tools;
    private readonly ScriptedProcessRunner _runner = new();

    public PreflightRunnerTests()
    {
        _tools = Directory.CreateDirectory(Path.Combine(_dir, "tools")).FullName;
        _runner.On("kind", "version").Returns("kind v0.32.0 go1.25.5 linux/amd64\n");
        _runner.On("kubectl", "version").Returns("""{"clientVersion":{"major":"1","minor":"32+","gitVersion":"v1.32.4-dispatcher"},"kustomizeVersion":"v5.5.0"}""");
        _runner.On("helm", "version").Returns("v3.16.2+g13654a5\n");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private PreflightSettings Settings(long watches = 524288, long instances = 512, long memAvailableKb = 16_000_000)
    {
        var inotify = Directory.CreateDirectory(Path.Combine(_dir, "inotify")).FullName;
        File.WriteAllText(Path.Combine(inotify, "max_user_watches"), $"{watches}\n");
        File.WriteAllText(Path.Combine(inotify, "max_user_instances"), $"{instances}\n");
        var meminfo = Path.Combine(_dir, "meminfo");
        File.WriteAllText(meminfo, $"MemTotal:       24684092 kB\nMemFree:         1000000 kB\nMemAvailable:   {memAvailableKb} kB\nBuffers:          100 kB\n");
        return new PreflightSettings { InotifyDirectory = inotify, MemInfoPath = meminfo };
    }

    private PreflightRunner Doctor(PreflightSettings settings, Func<CancellationToken, Task<string?>>? docker = null, Func<CancellationToken, Task<string?>>? subnet = null) =>
        new(
            _runner,
            new ExecutableResolver(_tools, () => string.Empty),
            settings,
            AsCheck("docker", docker ?? (_ => Task.FromResult<string?>(null)), DockerEngineCheck.Fix),
            subnet is null ? null : AsCheck("subnet", subnet, SubnetCheck.Fix));

    /// <summary>A check from a probe that answers null when fine, else the problem.</summary>
    private static Func<CancellationToken, Task<PreflightCheck>> AsCheck(string name, Func<CancellationToken, Task<string?>> probe, string fix) =>
        async ct => await probe(ct) is { } problem ? PreflightCheck.Fail(name, problem, fix) : PreflightCheck.Ok(name, "ok.");

    private void Install(params string[] tools)
    {
        foreach (var tool in tools)
        {
            FakeTool.Write(_tools, tool, "exit 0");
        }
    }

    [Fact]
    public async Task Healthy_machine_has_no_failures_or_warnings()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "inotify and /proc/meminfo checks exist on Linux only.");
        Install("kind", "kubectl", "helm");

        var report = await Doctor(Settings(), subnet: _ => Task.FromResult<string?>(null)).RunAsync(Ct);

        report.HasFailures.Should().BeFalse(report.ToString());
        report.HasWarnings.Should().BeFalse(report.ToString());
        report.Checks.Select(c => c.Name).Should().Equal("docker", "kind", "kubectl", "helm", "inotify", "memory", "subnet");
        report.Lines.Should().Contain(l => l.StartsWith("[ OK ] kubectl: v1.32.4-dispatcher", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_tool_fails_with_the_install_line_without_running_anything()
    {
        Install("kind", "kubectl");

        var report = await Doctor(Settings()).RunAsync(Ct);

        report.HasFailures.Should().BeTrue();
        var helm = report.Checks.Single(c => c.Name == "helm");
        helm.Status.Should().Be(PreflightStatus.Fail);
        helm.ToLine().Should().StartWith("[FAIL] helm: not found in " + _tools).And.Contain("Fix: Install helm >= v3.12").And.Contain("https://helm.sh");
        _runner.InvocationsOf("helm").Should().BeEmpty("a missing tool is detected by a file lookup, not by starting it");
    }

    [Fact]
    public async Task Missing_kubectl_is_a_warning_that_says_what_it_is_still_for_and_does_not_stop_up()
    {
        Install("kind", "helm");

        var report = await Doctor(Settings()).RunAsync(Ct);

        var kubectl = report.Checks.Single(c => c.Name == "kubectl");
        kubectl.Status.Should().Be(PreflightStatus.Warn, "every Kubernetes operation but the port-forward and the diagnostics text goes through the API");
        kubectl.ToLine().Should().StartWith("[WARN] kubectl: not found in " + _tools)
            .And.Contain("optional").And.Contain("port-forward on Docker Desktop").And.Contain("describe/events")
            .And.Contain("Fix: Install kubectl >= v1.28");
        report.Checks.Where(c => c.Status == PreflightStatus.Fail).Select(c => c.Name).Should().NotContain("kubectl");
    }

    [Fact]
    public async Task A_present_kubectl_is_ok_and_still_marked_optional()
    {
        Install("kind", "kubectl", "helm");

        var report = await Doctor(Settings()).RunAsync(Ct);

        report.Checks.Single(c => c.Name == "kubectl").ToLine().Should().StartWith("[ OK ] kubectl: v1.32.4-dispatcher").And.Contain("optional");
    }

    [Fact]
    public async Task Too_old_tool_fails_naming_both_versions()
    {
        Install("kind", "kubectl", "helm");
        _runner.On("kind", "version").Returns("kind v0.17.0 go1.19.2 linux/amd64\n");

        var report = await Doctor(Settings()).RunAsync(Ct);

        report.Checks.Single(c => c.Name == "kind").ToLine().Should().Contain("v0.17.0").And.Contain("older than the required v0.32.0").And.Contain("kind.sigs.k8s.io");
    }

    [Fact]
    public async Task Unreadable_version_output_is_a_failure_with_the_reason()
    {
        Install("kind", "kubectl", "helm");
        _runner.On("helm", "version").Fails(127, "/usr/local/bin/helm: cannot execute binary file: Exec format error");

        var report = await Doctor(Settings()).RunAsync(Ct);

        report.Checks.Single(c => c.Name == "helm").ToLine().Should().StartWith("[FAIL] helm: found at").And.Contain("exit code 127");
    }

    [Fact]
    public async Task Docker_and_subnet_problems_are_reported_from_their_probes()
    {
        Install("kind", "kubectl", "helm");

        var report = await Doctor(
            Settings(),
            docker: _ => Task.FromResult<string?>("Cannot connect to unix:///var/run/docker.sock: connection refused"),
            subnet: _ => throw new InvalidOperationException("network multidc does not exist")).RunAsync(Ct);

        report.Checks.Single(c => c.Name == "docker").ToLine().Should().StartWith("[FAIL] docker: Cannot connect").And.Contain("Fix: Start Docker");
        report.Checks.Single(c => c.Name == "subnet").ToLine().Should().Contain("network multidc does not exist");
    }

    [Fact]
    public async Task Without_a_subnet_check_the_subnet_line_says_skipped_not_ok()
    {
        Install("kind", "kubectl", "helm");

        var report = await Doctor(Settings()).RunAsync(Ct);

        var subnet = report.Checks.Single(c => c.Name == "subnet");
        subnet.Status.Should().Be(PreflightStatus.Skip);
        subnet.ToLine().Should().StartWith("[SKIP] subnet: not checked");
        report.HasFailures.Should().BeFalse(report.ToString());
    }

    [Fact]
    public async Task Low_inotify_limits_warn_with_sysctl_commands()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "inotify limits are read on Linux only.");
        Install("kind", "kubectl", "helm");

        var report = await Doctor(Settings(watches: 8192, instances: 128)).RunAsync(Ct);

        var inotify = report.Checks.Single(c => c.Name == "inotify");
        inotify.Status.Should().Be(PreflightStatus.Warn);
        inotify.Detail.Should().Contain("max_user_watches is 8192 (need >= 524288)").And.Contain("max_user_instances is 128 (need >= 512)");
        inotify.Fix.Should().Contain("sudo sysctl -w fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512");
    }

    [Fact]
    public void Inotify_limit_that_is_already_high_is_kept_in_the_fix()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "inotify limits are read on Linux only.");

        var check = HostLimitChecks.CheckInotify(Settings(watches: 1_048_576, instances: 128));

        check.Status.Should().Be(PreflightStatus.Warn);
        check.Detail.Should().NotContain("max_user_watches");
        check.Fix.Should().Contain("fs.inotify.max_user_watches=1048576 fs.inotify.max_user_instances=512");
    }

    [Fact]
    public void Unreadable_inotify_files_warn_instead_of_guessing()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "inotify limits are read on Linux only.");

        var check = HostLimitChecks.CheckInotify(Settings() with { InotifyDirectory = Path.Combine(_dir, "absent") });

        check.Status.Should().Be(PreflightStatus.Warn);
        check.Detail.Should().Contain("could not read");
    }

    [Theory]
    [InlineData(3, 9_000_000, PreflightStatus.Ok)]
    [InlineData(3, 8_000_000, PreflightStatus.Warn)]
    [InlineData(5, 9_000_000, PreflightStatus.Warn)]
    public void Memory_needs_about_2_5_GiB_per_cluster_plus_1_GiB(int clusters, long availableKb, PreflightStatus expected)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "MemAvailable is read from /proc/meminfo on Linux only.");

        // 3 clusters: 8.5 GiB = 8,912,896 kB.
        var check = HostLimitChecks.CheckMemory(Settings(memAvailableKb: availableKb) with { ClusterCount = clusters });

        check.Status.Should().Be(expected, check.ToLine());
    }

    [Fact]
    public void Real_proc_files_of_this_machine_parse()
    {
        Assert.SkipUnless(File.Exists("/proc/meminfo") && File.Exists("/proc/sys/fs/inotify/max_user_watches"), "Needs Linux /proc.");

        HostLimitChecks.ReadMemAvailableBytes("/proc/meminfo").Should().BePositive();
        HostLimitChecks.ReadNumber("/proc/sys/fs/inotify/max_user_watches").Should().BePositive();
    }
}
