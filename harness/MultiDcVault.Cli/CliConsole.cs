namespace MultiDcVault.Cli;

/// <summary>The streams and environment a command talks to; tests pass their own.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, Func<string, string?> ReadVariable)
{
    public static CliConsole System { get; } = new(Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}
