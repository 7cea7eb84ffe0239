using System.Text;

namespace MultiDcVault.Harness.Infrastructure.Processes;

/// <summary>
/// Reads one redirected stream until EOF, keeping the exact text and handing each complete
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
        // Read chunks rather than lines so the text is kept exactly (a missing final newline stays missing).
        var buffer = new char[16 * 1024];
        var partial = new StringBuilder();
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
            {
                lock (_gate)
                {
                    _text.Append(buffer, 0, read);
                }

                var lineStart = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] == '\n')
                    {
                        partial.Append(buffer, lineStart, i - lineStart);
                        Emit(partial, onLine);
                        lineStart = i + 1;
                    }
                }

                partial.Append(buffer, lineStart, read - lineStart);
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

        if (partial.Length > 0)
        {
            Emit(partial, onLine);
        }
    }

    private static void Emit(StringBuilder partial, Action<string> onLine)
    {
        var line = partial.ToString().TrimEnd('\r');
        partial.Clear();
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
