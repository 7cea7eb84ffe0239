using FluentAssertions;
using MultiDcVault.Harness.Provisioning;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Provisioning;

/// <summary>
/// The E2E workflow installs kind, helm and kubectl itself (before any .NET runs); its versions and
/// SHA-256 pins must be the ones the harness pins, or CI would test with tools users never get.
/// </summary>
public sealed class WorkflowPinsTests
{
    private const string Job = "e2e";
    private const string InstallStepName = "Install pinned kind, helm and kubectl";
    private static readonly ToolPlatform RunnerPlatform = new("linux", "amd64");

    public static TheoryData<string, string> Tools => new()
    {
        { "kind", "KIND" },
        { "helm", "HELM" },
        { "kubectl", "KUBECTL" },
    };

    [Theory]
    [MemberData(nameof(Tools))]
    public void E2e_workflow_pins_the_harness_version_and_checksum(string tool, string variablePrefix)
    {
        var env = WorkflowFile.Load("e2e.yml").Environment;
        var release = PinnedTools.All.Single(t => t.Name == tool);

        env[$"{variablePrefix}_VERSION"].Should().Be(release.Version);
        env[$"{variablePrefix}_SHA256"].Should().Be(release.PinnedChecksum(RunnerPlatform));
    }

    [Theory]
    [MemberData(nameof(Tools))]
    public void E2e_workflow_downloads_from_the_harness_url_and_checks_it_before_installing(string tool, string variablePrefix)
    {
        var release = PinnedTools.All.Single(t => t.Name == tool);
        var lines = InstallScript().Split('\n');
        var url = release.DownloadUrl(RunnerPlatform).AbsoluteUri.Replace(release.Version, $"${{{variablePrefix}_VERSION}}", StringComparison.Ordinal);

        var download = Array.FindIndex(lines, l => l.Contains(url, StringComparison.Ordinal));
        var check = Array.FindIndex(lines, l => l.Contains($"${{{variablePrefix}_SHA256}}", StringComparison.Ordinal) && l.Contains("sha256sum --check", StringComparison.Ordinal));
        var madeExecutable = Array.FindIndex(lines, l => l.Contains($"$bin/{tool}\"", StringComparison.Ordinal) && (l.Contains("chmod +x", StringComparison.Ordinal) || l.Contains("install -m 0755", StringComparison.Ordinal)));

        download.Should().BeGreaterThanOrEqualTo(0, $"the step downloads {url}");
        check.Should().BeGreaterThan(download, "the download is checked against the pinned SHA-256");
        madeExecutable.Should().BeGreaterThan(check, "nothing unverified is made executable");
    }

    [Fact]
    public void A_failed_check_stops_the_install_step_and_the_tools_go_first_on_path()
    {
        var script = InstallScript();

        script.Should().StartWith("set -euo pipefail", "a failed check must stop the step");
        script.Should().Contain("echo \"$bin\" >> \"$GITHUB_PATH\"", "later steps must find the pinned tools before the runner's own kubectl");
    }

    [Fact]
    public void Kubectl_is_pinned_before_any_step_uses_it()
    {
        var workflow = WorkflowFile.Load("e2e.yml");
        var install = workflow.Step(Job, InstallStepName);
        var users = workflow.Steps(Job).Where(s => s.Index != install.Index &&
            (s.Run?.Contains("kubectl", StringComparison.Ordinal) == true || s.Name == "E2E tests")).ToList();

        users.Should().NotBeEmpty();
        users.Should().OnlyContain(s => s.Index > install.Index, "the tests and the tool listing must run the pinned kubectl");
    }

    private static string InstallScript() => WorkflowFile.Load("e2e.yml").Step(Job, InstallStepName).Run!;
}
