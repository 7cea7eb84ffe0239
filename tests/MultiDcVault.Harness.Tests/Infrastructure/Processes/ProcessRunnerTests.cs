using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Processes;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Processes;

/// <summary>ProcessRunner against real processes (/bin/sh, cat, sleep).</summary>
public sealed class ProcessRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("multidc-proc-").FullName;
    private readonly CapturingLogger<ProcessRunner> _log = new();
    private readonly ProcessRunner _runner;

    public ProcessRunnerTests()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "These tests drive /bin/sh; they run on Linux and macOS.");
        _runner = new ProcessRunner(_log);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessSpec Sh(string script, params string[] args) => new("/bin/sh", ["-c", script, "sh", .. args]);

    [Fact]
    public async Task Returns_exit_code_and_both_streams()
    {
        var result = await _runner.RunAsync(Sh("echo out; echo err >&2"), Ct);

        result.ExitCode.Should().Be(0);
        result.StandardOutput.Should().Be("out\n");
        result.StandardError.Should().Be("err\n");
    }

    [Fact]
    public async Task Non_zero_exit_throws_with_command_exit_code_and_only_the_stderr_tail()
    {
        var act = () => _runner.RunAsync(Sh("for i in $(seq 1 30); do echo \"problem line $i\" >&2; done; exit 7"), Ct);

        var failure = (await act.Should().ThrowAsync<ProcessFailedException>()).Which;
        failure.ExitCode.Should().Be(7);
        failure.CommandLine.Should().StartWith("/bin/sh -c ");
        failure.StandardErrorTail.Split('\n').Should().HaveCount(OutputTail.DefaultLines)
            .And.StartWith("problem line 11").And.EndWith("problem line 30");
        failure.Message.Should().Contain("exit code 7").And.Contain("problem line 30").And.NotContain("problem line 10\n");
    }

    [Fact]
    public async Task Infinite_timeout_is_allowed()
    {
        var result = await _runner.RunAsync(Sh("echo ok") with { Timeout = Timeout.InfiniteTimeSpan }, Ct);

        result.StandardOutput.Should().Be("ok\n");
    }

    [Fact]
    public async Task Non_zero_exit_is_returned_when_the_spec_says_not_to_throw()
    {
        var result = await _runner.RunAsync(Sh("echo nope >&2; exit 3") with { ThrowOnNonZeroExit = false }, Ct);

        result.ExitCode.Should().Be(3);
        result.StandardError.Should().Be("nope\n");
    }

    [Fact]
    public async Task Failure_with_empty_stderr_shows_the_stdout_tail()
    {
        var act = () => _runner.RunAsync(Sh("echo 'error: it went wrong on stdout'; exit 1"), Ct);

        (await act.Should().ThrowAsync<ProcessFailedException>()).Which.Message.Should().Contain("it went wrong on stdout");
    }

    [Fact]
    public async Task Arguments_are_passed_verbatim_without_a_shell()
    {
        const string Tricky = "$(touch pwned) `id` * ; | 'quote' \"dq\" spaces  here";

        var result = await _runner.RunAsync(new ProcessSpec("printf", ["%s", Tricky]) { WorkingDirectory = _dir }, Ct);

        result.StandardOutput.Should().Be(Tricky);
        File.Exists(Path.Combine(_dir, "pwned")).Should().BeFalse();
    }

    [Fact]
    public async Task Standard_input_is_fed_and_closed()
    {
        var result = await _runner.RunAsync(new ProcessSpec("cat", []) { StandardInput = "apiVersion: v1\nkind: Secret\n" }, Ct);

        result.StandardOutput.Should().Be("apiVersion: v1\nkind: Secret\n");
    }

    [Fact]
    public async Task Stdin_is_closed_when_nothing_is_fed_so_readers_do_not_hang()
    {
        var result = await _runner.RunAsync(new ProcessSpec("cat", []) { Timeout = TimeSpan.FromMinutes(1) }, Ct);

        result.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public async Task Environment_and_working_directory_are_applied()
    {
        var spec = Sh("printf '%s|%s' \"$RUNNER_TEST_VALUE\" \"$(pwd)\"") with
        {
            Environment = new Dictionary<string, string> { ["RUNNER_TEST_VALUE"] = "from-spec" },
            WorkingDirectory = _dir,
        };

        var result = await _runner.RunAsync(spec, Ct);

        result.StandardOutput.Should().Be($"from-spec|{new DirectoryInfo(_dir).FullName}");
    }

    [Fact]
    public async Task Megabytes_on_both_streams_do_not_deadlock()
    {
        // stderr is written completely before stdout: a runner reading the streams one after
        // the other would block on a full pipe here.
        const int Lines = 300_000;
        var script = $"awk 'BEGIN {{ for (i = 0; i < {Lines}; i++) print \"stderr line of some length\" }}' >&2; " +
                     $"awk 'BEGIN {{ for (i = 0; i < {Lines}; i++) print \"stdout line of some length\" }}'";

        var result = await _runner.RunAsync(Sh(script) with { LogOutput = false, Timeout = TimeSpan.FromMinutes(2) }, Ct);

        result.StandardError.Length.Should().Be(Lines * "stderr line of some length\n".Length);
        result.StandardOutput.Length.Should().Be(Lines * "stdout line of some length\n".Length);
    }

    [Fact]
    public async Task Large_stdin_and_stdout_flow_at_the_same_time()
    {
        var input = string.Concat(Enumerable.Repeat("0123456789abcdef0123456789abcdef\n", 150_000));

        var result = await _runner.RunAsync(new ProcessSpec("cat", []) { StandardInput = input, LogOutput = false }, Ct);

        result.StandardOutput.Should().Be(input);
    }

    [Fact]
    public async Task Timeout_kills_the_process_and_the_child_it_spawned()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var spec = Sh("sleep 300 & echo $! > \"$1\"; echo started >&2; wait", pidFile) with { Timeout = TimeSpan.FromSeconds(2) };

        var act = () => _runner.RunAsync(spec, Ct);

        var timeout = (await act.Should().ThrowAsync<ProcessTimeoutException>()).Which;
        timeout.Timeout.Should().Be(TimeSpan.FromSeconds(2));
        timeout.Message.Should().Contain("timed out").And.Contain("sleep 300");
        timeout.StandardErrorTail.Should().Be("started");
        (await ProcessProbe.WaitUntilDeadAsync(ReadPid(pidFile))).Should().BeTrue("the shell's child must be killed with it");
    }

    [Fact]
    public async Task Cancellation_kills_the_process_tree_and_throws_OperationCanceled()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = _runner.RunAsync(Sh("sleep 300 & echo $! > \"$1\"; wait", pidFile), cts.Token);
        await ProcessProbe.WaitForFileAsync(pidFile);

        await cts.CancelAsync();

        await run.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        (await ProcessProbe.WaitUntilDeadAsync(ReadPid(pidFile))).Should().BeTrue();
    }

    [Fact]
    public async Task Missing_tool_names_the_tool_and_how_to_install_it()
    {
        var runner = new ProcessRunner(resolver: new ExecutableResolver(toolDirectory: null, path: () => _dir));

        var act = () => runner.RunAsync(new ProcessSpec("kind", ["version"]), Ct);

        var missing = (await act.Should().ThrowAsync<ToolNotFoundException>()).Which;
        missing.Tool.Should().Be("kind");
        missing.Message.Should().Contain("'kind' was not found").And.Contain(_dir).And.Contain("https://kind.sigs.k8s.io");
    }

    [Fact]
    public async Task Tool_directory_is_searched_before_PATH()
    {
        FakeTool.Write(_dir, "printf", "echo from-tool-dir");
        var runner = new ProcessRunner(resolver: new ExecutableResolver(_dir));

        var result = await runner.RunAsync(new ProcessSpec("printf", ["%s", "from-path"]), Ct);

        result.StandardOutput.Should().Be("from-tool-dir\n");
    }

    [Fact]
    public void Non_executable_file_in_tool_directory_is_skipped()
    {
        var notExecutable = Path.Combine(_dir, "printf");
        File.WriteAllText(notExecutable, "#!/bin/sh\necho wrong\n");

        new ExecutableResolver(_dir).TryResolve("printf").Should().NotBe(notExecutable).And.NotBeNull();
    }

    [Fact]
    public async Task Secrets_are_redacted_in_the_exception_and_in_the_log()
    {
        var token = new SecretValue("s3cr3t-root-token-value");
        var shaped = TestTokens.Named("shaped-in-stderr");
        var spec = Sh($"echo \"using $1\"; echo \"login failed for $1 and {shaped}\" >&2; exit 2", token.Reveal()) with { Secrets = [token] };

        var act = () => _runner.RunAsync(spec, Ct);

        var failure = (await act.Should().ThrowAsync<ProcessFailedException>()).Which;
        failure.Message.Should().NotContain(token.Reveal()).And.NotContain(shaped);
        failure.CommandLine.Should().Contain(Redactor.Mask).And.NotContain(token.Reveal());
        failure.StandardErrorTail.Should().Be($"login failed for {Redactor.Mask} and {Redactor.Mask}");
        _log.Messages.Should().Contain(m => m.Contains($"using {Redactor.Mask}", StringComparison.Ordinal));
        _log.Messages.Should().NotContain(m => m.Contains(token.Reveal(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Output_lines_are_logged_unless_the_spec_opts_out()
    {
        // The arithmetic keeps the expected output out of the (always logged) command line.
        await _runner.RunAsync(Sh("echo visible-$((40 + 2))"), Ct);
        await _runner.RunAsync(Sh("echo hidden-$((40 + 3))") with { LogOutput = false }, Ct);

        _log.Messages.Should().Contain(m => m.Contains("visible-42", StringComparison.Ordinal));
        _log.Messages.Should().NotContain(m => m.Contains("hidden-43", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Background_process_line_is_awaited_and_dispose_kills_the_tree()
    {
        var pidFile = Path.Combine(_dir, "child.pid");
        var process = _runner.Start(Sh("sleep 300 & echo $! > \"$1\"; echo 'Forwarding from 127.0.0.1:41234 -> 8200'; wait", pidFile));
        await using (process)
        {
            var line = await process.WaitForOutputLineAsync(l => l.StartsWith("Forwarding", StringComparison.Ordinal), TimeSpan.FromMinutes(1), Ct);

            line.Should().Be("Forwarding from 127.0.0.1:41234 -> 8200");
            process.HasEnded.Should().BeFalse();
        }

        (await ProcessProbe.WaitUntilDeadAsync(ReadPid(pidFile))).Should().BeTrue();
        process.HasEnded.Should().BeTrue();
    }

    [Fact]
    public async Task Background_process_that_exits_before_the_line_fails_with_its_stderr()
    {
        await using var process = _runner.Start(Sh("echo 'error: unable to forward port' >&2; exit 1"));

        var act = () => process.WaitForOutputLineAsync(l => l.StartsWith("Forwarding", StringComparison.Ordinal), TimeSpan.FromMinutes(1), Ct);

        var failure = (await act.Should().ThrowAsync<ProcessFailedException>()).Which;
        failure.StandardErrorTail.Should().Be("error: unable to forward port");
        failure.ExitCode.Should().Be(1);
    }

    [Fact]
    public async Task Background_process_end_is_seen_by_a_waiter_woken_at_the_end_every_time()
    {
        // Repeated: the wake-up at the end and the end itself can interleave either way; both orders must report the exit.
        for (var i = 0; i < 25; i++)
        {
            await using var process = _runner.Start(Sh("echo starting; exit 4"));

            var act = () => process.WaitForOutputLineAsync(l => l.StartsWith("Forwarding", StringComparison.Ordinal), TimeSpan.FromSeconds(20), Ct);

            (await act.Should().ThrowAsync<ProcessFailedException>("attempt {0} must report the exit, not a timeout", i)).Which.ExitCode.Should().Be(4);
            process.HasEnded.Should().BeTrue();
        }
    }

    [Fact]
    public async Task Background_process_wait_times_out_when_the_line_never_comes()
    {
        await using var process = _runner.Start(Sh("echo unrelated; sleep 300"));

        var act = () => process.WaitForOutputLineAsync(l => l.StartsWith("Forwarding", StringComparison.Ordinal), TimeSpan.FromMilliseconds(300), Ct);

        await act.Should().ThrowAsync<ProcessTimeoutException>();
        process.RecentOutput().Should().Be("unrelated");
    }

    private static int ReadPid(string pidFile) => int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
