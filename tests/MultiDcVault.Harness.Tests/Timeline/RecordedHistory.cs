using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;

namespace MultiDcVault.Harness.Tests.Timeline;

/// <summary>
/// A history as a partition drill records it (3 datacenters, one sample round a second for 60 s, a writer every
/// 500 ms): primary leads, is partitioned at 15 s, nobody leads until secondary wins at 21 s, the partition heals
/// at 35 s and primary rejoins as a follower at 37 s. Writes time out (indeterminate) while there is no leader, two
/// are refused (failed). The renderer tests and the README's example picture both draw it.
/// </summary>
internal static class RecordedHistory
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    public static readonly string[] Datacenters = ["primary", "secondary", "tertiary"];
    public const string PartitionLabel = "partition(primary)";

    public static RunTimeline Partition()
    {
        var roles = new List<RoleSample>();
        for (var s = 0; s <= 60; s++)
        {
            var at = Start.AddSeconds(s);
            roles.Add(new RoleSample(at, "primary", s < 15 ? NodeRole.Leader : s < 37 ? NodeRole.Unreachable : NodeRole.Follower));
            roles.Add(new RoleSample(at, "secondary", s is >= 21 ? NodeRole.Leader : NodeRole.Follower));
            roles.Add(new RoleSample(at, "tertiary", NodeRole.Follower));
        }

        var writes = new List<WriteRecord>();
        for (var i = 0; i < 118; i++)
        {
            var start = Start.AddMilliseconds(500 * i + 200);
            var seconds = (start - Start).TotalSeconds;
            var (outcome, latency) = seconds switch
            {
                >= 15 and < 21 when i % 5 == 0 => (WriteOutcomeKind.Failed, 40),
                >= 15 and < 21 => (WriteOutcomeKind.Indeterminate, 300),
                _ => (WriteOutcomeKind.Acknowledged, 15),
            };
            writes.Add(new WriteRecord(
                "w1-leader", "drills/partition/k", i, start, start.AddMilliseconds(latency), outcome,
                outcome == WriteOutcomeKind.Acknowledged ? (seconds < 15 ? "primary" : "secondary") : null, null));
        }

        return new RunTimeline(
            Datacenters, Start, Start.AddSeconds(60), roles,
            [new FaultWindow(PartitionLabel, ["primary"], Start.AddSeconds(15), Start.AddSeconds(35))],
            writes);
    }
}
