using System.Globalization;
using MultiDcVault.Harness.Health;
using Spectre.Console;

namespace MultiDcVault.Cli.Output;

/// <summary>`multidc status` as one table for people, or a stable JSON document for scripts.</summary>
internal static class StatusView
{
    public static void Render(IAnsiConsole console, EnvironmentStatus status)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(status);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Cluster").AddColumn("LB IP").AddColumn("Pod").AddColumn("Sealed").AddColumn("Raft role")
            .AddColumn(new TableColumn("Last contact").RightAligned()).AddColumn("Autopilot").AddColumn("Problem");
        foreach (var dc in status.Datacenters)
        {
            table.AddRow(
                new Text(dc.Name),
                new Text(dc.LoadBalancerIp ?? "-"),
                new Text(dc.Pod ?? "-"),
                new Text(dc.Sealed switch { true => "sealed", false => "no", null => "?" }),
                new Text(dc.RaftRole),
                new Text(LastContact(dc.LastContact)),
                new Text(dc.AutopilotHealthy switch { true => "healthy", false => "unhealthy", null => "?" }),
                new Text(dc.Problem ?? string.Empty));
        }

        console.Write(table);
        var verdict = status.Healthy ? "HEALTHY" : "DEGRADED";
        var tolerance = status.FailureTolerance?.ToString(CultureInfo.InvariantCulture) ?? "?";
        console.WriteLine($"{verdict}: leader {status.Leader ?? "none"}, {status.Voters} voters, failure tolerance {tolerance}.");
        if (status.InjectedFaults.Count > 0)
        {
            console.WriteLine(
                $"Faults injected by the harness are in place ({string.Join(", ", status.InjectedFaults.Select(f => $"{f.Datacenter} {f.Reason}"))}): " +
                "expected to degrade the cluster; undo with 'multidc heal'.");
        }

        foreach (var problem in status.Problems)
        {
            console.WriteLine($"  problem: {problem}");
        }
    }

    public static string ToJson(EnvironmentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return CliJson.Serialize(new
        {
            healthy = status.Healthy,
            leader = status.Leader,
            voters = status.Voters,
            failureTolerance = status.FailureTolerance,
            problems = status.Problems,
            injectedFaults = status.InjectedFaults.Select(f => new { cluster = f.Datacenter, fault = f.Reason }),
            datacenters = status.Datacenters.Select(dc => new
            {
                cluster = dc.Name,
                loadBalancerIp = dc.LoadBalancerIp,
                pod = dc.Pod,
                @sealed = dc.Sealed,
                raftRole = dc.RaftRole,
                lastContactMs = dc.LastContact is { } contact ? (long?)Math.Round(contact.TotalMilliseconds) : null,
                autopilotHealthy = dc.AutopilotHealthy,
                problem = dc.Problem,
            }),
        });
    }

    private static string LastContact(TimeSpan? contact) => contact switch
    {
        null => "-",
        { TotalSeconds: < 1 } c => c.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms",
        var c => c.Value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
    };
}
