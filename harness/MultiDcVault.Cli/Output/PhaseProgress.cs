using System.Globalization;
using MultiDcVault.Harness.Environment.Steps;
using MultiDcVault.Harness.Infrastructure.Secrets;
using Spectre.Console.Rendering;
using Spectre.Console;

namespace MultiDcVault.Cli.Output;

/// <summary>
/// Shows the phases of a long operation as they happen: a live Spectre table (phase, cluster,
/// state, time) for a person at a terminal, one plain line per event on stderr otherwise, so CI
/// logs and `--output json` stdout stay clean. Keeps every event for the timing summary.
/// </summary>
internal sealed class PhaseProgress : IProgress<PhaseEvent>
{
    private readonly Lock _gate = new();
    private readonly List<PhaseEvent> _events = [];
    private readonly CliConsole _console;
    private readonly Dictionary<(string Phase, string? Cluster), int> _rows = [];
    private Table? _table;
    private LiveDisplayContext? _live;

    private PhaseProgress(CliConsole console) => _console = console;

    public IReadOnlyList<PhaseEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Runs <paramref name="operation"/> with a reporter; returns its result and the events seen.</summary>
    public static async Task<(T Result, PhaseProgress Progress)> RunAsync<T>(CliConsole console, Func<IProgress<PhaseEvent>, Task<T>> operation)
    {
        var progress = new PhaseProgress(console);
        if (!console.Interactive)
        {
            return (await operation(progress), progress);
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Phase").AddColumn("Cluster").AddColumn("State").AddColumn(new TableColumn("Time").RightAligned()).AddColumn("Detail");
        var result = await new LiveDisplay(console.CreateAnsiConsole(), table).AutoClear(false).StartAsync(async context =>
        {
            lock (progress._gate)
            {
                progress._table = table;
                progress._live = context;
            }

            return await operation(progress);
        });
        return (result, progress);
    }

    public void Report(PhaseEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _events.Add(value);
            value = Summarised(value);
            if (_table is null || _live is null)
            {
                _console.Error.WriteLine($"[{value.At.ToLocalTime():HH:mm:ss}] {value}");
                return;
            }

            var key = (value.Phase, value.Cluster);
            IRenderable[] cells =
            [
                new Text(value.Phase), new Text(value.Cluster ?? "-"), new Markup(StateMarkup(value.State)),
                new Text(Seconds(value.Duration)), new Text(value.Message ?? string.Empty),
            ];
            if (_rows.TryGetValue(key, out var row))
            {
                for (var column = 0; column < cells.Length; column++)
                {
                    _table.UpdateCell(row, column, cells[column]);
                }
            }
            else
            {
                _rows[key] = _table.Rows.Count;
                _table.AddRow(cells);
            }

            _live.Refresh();
        }
    }

    /// <summary>Per-phase timings of finished phases, slowest first: where the minutes went.</summary>
    public async Task PrintTimingsAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var finished = Events.Where(e => e.Duration is not null && e.State is PhaseState.Succeeded or PhaseState.Failed)
            .OrderByDescending(e => e.Duration)
            .ToList();
        if (finished.Count == 0)
        {
            return;
        }

        await output.WriteLineAsync("Phase timings:");
        foreach (var e in finished)
        {
            var name = e.Cluster is null ? e.Phase : $"{e.Phase} [{e.Cluster}]";
            await output.WriteLineAsync($"  {name,-40} {Seconds(e.Duration),8}  {e.State.ToString().ToLowerInvariant()}");
        }
    }

    /// <summary>
    /// The event with only the first line of its message, redacted: the command's final error
    /// prints the full failure (e.g. every missing prerequisite) once, so progress must not repeat it.
    /// </summary>
    internal static PhaseEvent Summarised(PhaseEvent value)
    {
        if (value.Message is not { } message)
        {
            return value;
        }

        var firstLine = message.ReplaceLineEndings("\n").Split('\n', 2)[0].TrimEnd().TrimEnd(':');
        return value with { Message = Redactor.Default.Redact(firstLine) };
    }

    private static string StateMarkup(PhaseState state) => state switch
    {
        PhaseState.Started => "[yellow]running[/]",
        PhaseState.Succeeded => "[green]done[/]",
        PhaseState.Failed => "[red]failed[/]",
        _ => "[grey]skipped[/]",
    };

    private static string Seconds(TimeSpan? duration) =>
        duration is { } d ? d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s" : string.Empty;
}
