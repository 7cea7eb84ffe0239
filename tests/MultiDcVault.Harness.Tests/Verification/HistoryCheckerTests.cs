using FluentAssertions;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Verification;

public sealed class HistoryCheckerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    internal static WriteRecord Write(long counter, double startMs, double endMs, WriteOutcomeKind outcome = WriteOutcomeKind.Acknowledged, string? node = "primary", string key = "writer/a", string writer = "a") =>
        new(writer, key, counter, T0.AddMilliseconds(startMs), T0.AddMilliseconds(endMs), outcome, node, null);

    private static Dictionary<string, long?> Final(params (string Key, long? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    [Fact]
    public void An_acknowledged_counter_above_the_final_value_is_lost()
    {
        WriteRecord[] history = [Write(1, 0, 10), Write(2, 20, 30), Write(3, 40, 50)];

        var result = HistoryChecker.Check(history, Final(("writer/a", 2)));

        result.Passed.Should().BeFalse();
        result.Lost.Should().ContainSingle().Which.Write.Counter.Should().Be(3);
        result.Lost[0].FinalValue.Should().Be(2);
        result.Summary.Should().Contain("1 acknowledged but lost").And.Contain("lost: writer/a=3").And.Contain("final read: 2");
    }

    [Fact]
    public void Indeterminate_and_failed_writes_are_counted_but_never_lost()
    {
        WriteRecord[] history =
        [
            Write(1, 0, 10),
            Write(2, 20, 10_020, WriteOutcomeKind.Indeterminate),
            Write(2, 10_030, 10_040, WriteOutcomeKind.Failed),
            Write(2, 10_050, 10_060),
            Write(3, 10_070, 20_070, WriteOutcomeKind.Indeterminate),
        ];

        var result = HistoryChecker.Check(history, Final(("writer/a", 2)));

        result.Passed.Should().BeTrue(result.Summary);
        result.Lost.Should().BeEmpty();
        (result.Attempts, result.Acknowledged, result.Indeterminate, result.Failed).Should().Be((5, 2, 2, 1));
        result.Summary.Should().StartWith("PASSED: 5 write attempts, 2 acknowledged, 2 indeterminate, 1 failed, 0 acknowledged but lost");
    }

    [Fact]
    public void An_indeterminate_write_that_did_land_is_fine()
    {
        WriteRecord[] history = [Write(1, 0, 10), Write(2, 20, 10_020, WriteOutcomeKind.Indeterminate)];

        HistoryChecker.Check(history, Final(("writer/a", 2))).Passed.Should().BeTrue();
    }

    [Fact]
    public void With_one_key_per_write_an_acknowledged_key_that_is_missing_is_lost()
    {
        WriteRecord[] history =
        [
            Write(1, 0, 10, key: "writer/a/1"),
            Write(2, 20, 30, key: "writer/a/2"),
            Write(3, 40, 50, WriteOutcomeKind.Indeterminate, key: "writer/a/3"),
        ];

        var result = HistoryChecker.Check(history, Final(("writer/a/1", 1), ("writer/a/3", null)));

        result.Lost.Should().ContainSingle().Which.Write.Key.Should().Be("writer/a/2");
        result.Lost[0].FinalValue.Should().BeNull();
        result.Summary.Should().Contain("final read: missing");
    }

    [Fact]
    public void A_final_value_no_writer_ever_attempted_is_unexplained()
    {
        WriteRecord[] history = [Write(1, 0, 10), Write(2, 20, 30, WriteOutcomeKind.Indeterminate)];

        var result = HistoryChecker.Check(history, Final(("writer/a", 7)));

        result.Passed.Should().BeFalse();
        result.Unexplained.Should().ContainSingle().Which.Should().Be(new UnexplainedValue("writer/a", 7, 2));
    }

    [Fact]
    public void Two_nodes_interleaving_acknowledged_writes_is_split_brain()
    {
        // Writer a goes to the isolated old leader, writer b to the new one; both keep being acknowledged.
        WriteRecord[] history =
        [
            Write(1, 0, 10, node: "primary"),
            Write(1, 5, 15, node: "secondary", key: "writer/b", writer: "b"),
            Write(2, 20, 30, node: "primary"),
            Write(2, 35, 45, node: "secondary", key: "writer/b", writer: "b"),
            Write(3, 50, 60, node: "primary"),
        ];

        var result = HistoryChecker.Check(history, Final(("writer/a", 3), ("writer/b", 2)));

        result.Passed.Should().BeFalse();
        result.SplitBrain.Should().NotBeEmpty();
        var evidence = result.SplitBrain[0];
        evidence.Before.ServedBy.Should().Be(evidence.After.ServedBy);
        evidence.Between.ServedBy.Should().NotBe(evidence.Before.ServedBy);
        evidence.Before.Precedes(evidence.Between).Should().BeTrue();
        evidence.Between.Precedes(evidence.After).Should().BeTrue();
        result.Summary.Should().Contain("split brain: node '");
    }

    [Fact]
    public void A_clean_failover_with_overlapping_writes_is_not_split_brain()
    {
        WriteRecord[] history =
        [
            Write(1, 0, 10, node: "primary"),
            Write(2, 20, 30, node: "primary"),
            Write(3, 25, 4_000, node: "primary", key: "writer/b", writer: "b"), // slow write overlapping the handover
            Write(3, 40, 5_000, WriteOutcomeKind.Indeterminate, node: null),
            Write(3, 5_010, 5_020, node: "secondary"),
            Write(4, 5_030, 5_040, node: "secondary"),
        ];

        var result = HistoryChecker.Check(history, Final(("writer/a", 4), ("writer/b", 3)));

        result.SplitBrain.Should().BeEmpty();
        result.Passed.Should().BeTrue(result.Summary);
    }

    [Fact]
    public void Leadership_moving_away_and_back_slower_than_two_handovers_is_not_split_brain()
    {
        WriteRecord[] history =
        [
            Write(1, 0, 10, node: "primary"),
            Write(2, 600, 610, node: "secondary"),
            Write(3, 1_200, 1_210, node: "primary"),
        ];

        HistoryChecker.FindSplitBrain(history, TimeSpan.FromMilliseconds(500)).Should().BeEmpty();
        HistoryChecker.FindSplitBrain(history, TimeSpan.FromMilliseconds(700)).Should().ContainSingle(
            "with a longer minimum handover the same history cannot be explained by two elections");
    }

    [Fact]
    public void The_old_leader_winning_a_later_election_after_the_heal_is_not_split_brain()
    {
        // Two drill writers every 100 ms: primary serves until the fault at 10 s, secondary from 13 s (election plus
        // its start-up), the fault is healed at 25 s and primary wins a later election at 33 s: X, Y, X legitimately.
        var history = new List<WriteRecord>();
        long a = 0, b = 0;
        for (var t = 0; t < 40_000; t += 100)
        {
            var node = t < 10_000 ? "primary" : t < 13_000 ? null : t < 33_000 ? "secondary" : "primary";
            var outcome = node is null ? WriteOutcomeKind.Indeterminate : WriteOutcomeKind.Acknowledged;
            history.Add(Write(outcome == WriteOutcomeKind.Acknowledged ? ++a : a + 1, t, t + 30, outcome, node, "writer/a", "a"));
            history.Add(Write(outcome == WriteOutcomeKind.Acknowledged ? ++b : b + 1, t + 50, t + 90, outcome, node, "writer/b", "b"));
        }

        var check = HistoryChecker.Check(history, Final(("writer/a", a), ("writer/b", b)));

        check.SplitBrain.Should().BeEmpty("each handover took seconds, far more than two minimum handovers");
        check.Passed.Should().BeTrue(check.Summary);
    }

    [Fact]
    public void Writes_without_a_known_server_never_count_as_split_brain()
    {
        WriteRecord[] history =
        [
            Write(1, 0, 10, node: "primary"),
            Write(2, 20, 30, node: null),
            Write(3, 40, 50, node: "primary"),
        ];

        HistoryChecker.FindSplitBrain(history, TimeSpan.FromMilliseconds(500)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_final_state_is_read_once_per_key()
    {
        WriteRecord[] history = [Write(1, 0, 10), Write(2, 20, 30), Write(1, 0, 10, key: "writer/b")];
        var reads = new List<string>();

        var state = await HistoryChecker.ReadFinalStateAsync(
            history,
            (key, _) => { reads.Add(key); return Task.FromResult<long?>(key == "writer/a" ? 2 : null); },
            TestContext.Current.CancellationToken);

        reads.Should().Equal("writer/a", "writer/b");
        state.Should().BeEquivalentTo(new Dictionary<string, long?> { ["writer/a"] = 2, ["writer/b"] = null });
    }
}
