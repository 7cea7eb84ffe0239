namespace MultiDcVault.Harness.Tests.Infrastructure.Processes;

/// <summary>Looks at /proc to tell whether a pid is still a live process.</summary>
internal static class ProcessProbe
{
    /// <summary>Gone or a zombie (killed but not yet reaped, e.g. when PID 1 does not reap orphans) counts as dead.</summary>
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Signals are asynchronous: give the kernel a moment before deciding.</summary>
    public static async Task<bool> WaitUntilDeadAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            if (!IsAlive(pid))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    public static async Task WaitForFileAsync(string path)
    {
        for (var i = 0; i < 200 && !(File.Exists(path) && new FileInfo(path).Length > 0); i++)
        {
            await Task.Delay(50);
        }
    }
}
