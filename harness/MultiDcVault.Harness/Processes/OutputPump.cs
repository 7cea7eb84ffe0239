using System.Text;

namespace MultiDcVault.Harness.Processes;

/// <summary>
/// Reads one redirected stream line by line until EOF, keeping the text and handing each
/// line to a callback. Both streams get their own pump so neither pipe can fill up and block the child.
/// </summary>
internal sealed class OutputPump
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    /// <summary>Completes at EOF; never faults (a broken pipe just ends the pump).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public static OutputPump Start(StreamReader reader, Action<string> onLine)
    {
        var pump = new OutputPump();
        pump.Completion = Task.Run(() => pump.RunAsync(reader, onLine));
        return pump;
    }

    /// <summary>What has been read so far; safe to call while the pump still runs.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    private async Task RunAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_gate)
                {
                    _text.Append(line).Append('\n');
                }

                try
                {
                    onLine(line);
                }
#pragma warning disable CA1031 // A faulty log sink must not stop the pipe from being drained (the child would block).
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke (process killed): what was read is all there is.
        }
        catch (ObjectDisposedException)
        {
            // The process was disposed while a grandchild still held the pipe open.
        }
    }
}
