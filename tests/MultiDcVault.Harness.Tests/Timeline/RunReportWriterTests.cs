using FluentAssertions;
using MultiDcVault.Harness.Timeline;
using MultiDcVault.Harness.Verification;
using Xunit;

namespace MultiDcVault.Harness.Tests.Timeline;

public sealed class RunReportWriterTests
{
    [Theory]
    [InlineData("Partitioning the leader: partition(primary)", "partitioning-the-leader-partition-primary")]
    [InlineData("  ../../etc ", "etc")]
    [InlineData("???", "run")]
    public void Slug_keeps_letters_and_digits_and_nothing_that_could_leave_the_directory(string label, string slug) =>
        RunReportWriter.Slug(label).Should().Be(slug);

    [Fact]
    public void A_long_label_makes_a_slug_of_at_most_60_characters() =>
        RunReportWriter.Slug(new string('a', 100)).Should().HaveLength(60);

    [Fact]
    public void The_report_directory_is_the_run_id_under_reports_in_the_work_directory() =>
        RunReportWriter.DirectoryFor("/w", "failover-20260101-120000").Should().Be(Path.Combine("/w", "reports", "failover-20260101-120000"));

    [Fact]
    public async Task Without_timelines_the_report_is_written_with_none_listed()
    {
        var directory = Directory.CreateTempSubdirectory("multidc-report-").FullName;
        try
        {
            var report = new RunReport { RunId = "r", StartedAt = RecordedHistory.Start };

            var markdown = await RunReportWriter.WriteAsync(report, [], directory, TestContext.Current.CancellationToken);

            markdown.Should().Be(Path.Combine(directory, RunReport.MarkdownFileName));
            Directory.GetFiles(directory).Select(Path.GetFileName).Should().BeEquivalentTo(RunReport.JsonFileName, RunReport.MarkdownFileName);
            (await RunReport.ReadJsonAsync(Path.Combine(directory, RunReport.JsonFileName), TestContext.Current.CancellationToken)).Timelines.Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
