using System.Globalization;

namespace MultiDcVault.Cli.Output;

/// <summary>
/// Writes each step of a long command as it happens, synchronously (Progress&lt;T&gt; would post to the thread pool and
/// reorder lines); with a clock, each line starts with the time since the command began ("[+01:23] ...").
/// </summary>
internal sealed class LineProgress(TextWriter output, TimeProvider? elapsedSince = null) : IProgress<string>
{
    private readonly Lock _gate = new();
    private readonly long _start = elapsedSince?.GetTimestamp() ?? 0;

    public void Report(string value)
    {
        var line = elapsedSince is null ? value : Prefix(elapsedSince.GetElapsedTime(_start)) + value;
        lock (_gate)
        {
            output.WriteLine(line);
        }
    }

    private static string Prefix(TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"[+{(int)elapsed.TotalMinutes:00}:{elapsed.Seconds:00}] ");
}
