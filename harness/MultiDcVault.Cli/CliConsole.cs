using Spectre.Console;

namespace MultiDcVault.Cli;

/// <summary>The streams and environment a command talks to; tests pass their own.</summary>
/// <param name="Interactive">A person at a terminal: live progress and colours. False for redirected output and CI: plain lines.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, Func<string, string?> ReadVariable, bool Interactive = false)
{
    public static CliConsole System { get; } = new(
        Console.Out,
        Console.Error,
        Environment.GetEnvironmentVariable,
        Interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("CI") is null)
    {
        VariableNames = () => Environment.GetEnvironmentVariables().Keys.Cast<string>(),
    };

    /// <summary>The names of every variable set (to spot a mistyped MULTIDC_* one); none unless given.</summary>
    public Func<IEnumerable<string>> VariableNames { get; init; } = static () => [];

    /// <summary>Spectre rendering onto <see cref="Out"/>: the terminal itself when interactive, plain text without colours otherwise.</summary>
    public IAnsiConsole CreateAnsiConsole()
    {
        if (Interactive)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });

        // Redirected output has no width; keep table rows on one line for grep and logs.
        console.Profile.Width = 400;
        return console;
    }
}
