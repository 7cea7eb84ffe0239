namespace MultiDcVault.Harness.Configuration;

/// <summary>The <c>multidc</c> commands, by what they need of the settings (the CLI builds its options from these groups).</summary>
internal static class SettingCommands
{
    public const string Plan = "plan";
    public const string Doctor = "doctor";
    public const string Up = "up";
    public const string Logs = "logs";
    public const string Down = "down";

    /// <summary>Commands that attach to a running environment: they need only what finds it.</summary>
    public static IReadOnlyList<string> Attach { get; } = ["status", "token", "failover", "scenario", "partition", "latency", "heal"];

    /// <summary>Every command that takes settings, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Plan, Doctor, Up, .. Attach, Logs, Down];

    /// <summary>What decides what is built: <c>plan</c> renders it, <c>up</c> builds it.</summary>
    internal static IReadOnlyList<string> Build { get; } = [Plan, Up];

    /// <summary>The network and its pools: what is built, and what the doctor's subnet check checks.</summary>
    internal static IReadOnlyList<string> NetworkPlan { get; } = [Plan, Doctor, Up];

    /// <summary>The cluster count and names: also the doctor's memory estimate, logs' datacenter names and down's clusters.</summary>
    internal static IReadOnlyList<string> Clusters { get; } = [Plan, Doctor, Up, Logs, Down];

    /// <summary>
    /// The existing-clusters settings (kubeconfigs, contexts, annotations, the KMS): so far only <c>plan</c> takes them;
    /// <c>up</c>, <c>down</c> and the faults for existing clusters are later steps of the same work.
    /// </summary>
    internal static IReadOnlyList<string> ExistingPlan { get; } = [Plan];
}
