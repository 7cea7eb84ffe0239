using System.Globalization;
using MultiDcVault.Harness.Infrastructure.Processes;

namespace MultiDcVault.Harness.Infrastructure.Helm;

/// <summary>The helm CLI (v3.12+ and v4), always with an explicit --kubeconfig and --kube-context.</summary>
internal sealed class HelmCli
{
    private readonly IProcessRunner _runner;
    private readonly string _executable;

    public HelmCli(IProcessRunner runner, string executable = "helm")
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        ArgumentException.ThrowIfNullOrEmpty(executable);
        _executable = executable;
    }

    public Task UpgradeInstallAsync(HelmRelease release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentException.ThrowIfNullOrEmpty(release.Release);
        ArgumentException.ThrowIfNullOrEmpty(release.Chart);
        ArgumentException.ThrowIfNullOrEmpty(release.Version);

        List<string> arguments =
        [
            "upgrade", "--install", release.Release, release.Chart,
            "--version", release.Version,
            "--namespace", release.Namespace,
            .. Target(release.KubeconfigPath, release.KubeContext),
        ];
        if (release.CreateNamespace)
        {
            arguments.Add("--create-namespace");
        }

        if (release.Wait)
        {
            arguments.Add("--wait");
        }

        arguments.AddRange(["--timeout", GoDuration(release.Timeout)]);
        foreach (var file in release.ValuesFiles)
        {
            ArgumentException.ThrowIfNullOrEmpty(file);
            arguments.AddRange(["-f", file]);
        }

        foreach (var (key, value) in release.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (key.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Helm value key '{key}' must not contain '='.", nameof(release));
            }

            arguments.AddRange(["--set-string", $"{key}={value}"]);
        }

        var spec = new ProcessSpec(_executable, arguments)
        {
            // helm's own --timeout governs the waiting; the process gets room for chart pulls on top.
            Timeout = release.Timeout + TimeSpan.FromMinutes(5),
            Secrets = release.SecretValues,
        };
        return _runner.RunAsync(spec, cancellationToken);
    }

    /// <summary>
    /// `helm uninstall`; a release that is already gone is fine. (Checked from stderr rather than with
    /// --ignore-not-found, which only exists from helm 3.13.)
    /// </summary>
    public async Task UninstallAsync(string release, string @namespace, string kubeconfigPath, string kubeContext, CancellationToken cancellationToken, bool wait = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(release);
        List<string> arguments = ["uninstall", release, "--namespace", @namespace, .. Target(kubeconfigPath, kubeContext)];
        if (wait)
        {
            arguments.Add("--wait");
        }

        var spec = new ProcessSpec(_executable, arguments) { Timeout = TimeSpan.FromMinutes(5), ThrowOnNonZeroExit = false };
        var result = await _runner.RunAsync(spec, cancellationToken);
        if (result.ExitCode != 0 && !result.StandardError.Contains("release: not found", StringComparison.Ordinal))
        {
            throw new ProcessFailedException(CommandLine.Format(spec), result.ExitCode, CommandLine.Redact(OutputTail.Of(result.StandardError), spec));
        }
    }

    public async Task<ToolVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(new ProcessSpec(_executable, ["version", "--short"]) { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken);
        return ParseVersion(result.StandardOutput);
    }

    /// <summary>Parses `helm version --short`: "v3.16.2+g13654a5", "v4.0.0+g...", or a dev build's "v4.2".</summary>
    public static ToolVersion ParseVersion(string output) => ToolVersion.Parse(output);

    private static string[] Target(string kubeconfigPath, string kubeContext)
    {
        ArgumentException.ThrowIfNullOrEmpty(kubeconfigPath);
        ArgumentException.ThrowIfNullOrEmpty(kubeContext);
        return ["--kubeconfig", kubeconfigPath, "--kube-context", kubeContext];
    }

    private static string GoDuration(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Ceiling(value.TotalSeconds)}s");
}
