using System.Diagnostics;

namespace MultiDcVault.Harness.Tests.TestSupport.KubeApi;

/// <summary>
/// Runs the real kubectl of this machine against the stand-in: its kubeconfig and context named explicitly,
/// HOME in a fresh directory (no user config, no discovery cache), KUBECONFIG unset.
/// </summary>
internal static class KubectlAgainstStandIn
{
    public const string Executable = "/usr/bin/kubectl";

    public static bool Available => File.Exists(Executable);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        KubeApiStandIn standIn, string home, CancellationToken cancellationToken, string? standardInput = null, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--kubeconfig", standIn.KubeconfigPath, "--context", KubeApiStandIn.Context, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = home;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start)!;
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
