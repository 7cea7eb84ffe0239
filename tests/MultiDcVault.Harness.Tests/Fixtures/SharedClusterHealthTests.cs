using FluentAssertions;
using MultiDcVault.Fixtures;
using Xunit;

namespace MultiDcVault.Harness.Tests.Fixtures;

public sealed class SharedClusterHealthTests
{
    private static readonly TimeSpan Full = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(1);

    [Fact]
    public void After_a_test_leaves_the_cluster_unhealthy_later_tests_wait_briefly_and_name_that_test()
    {
        var health = new SharedClusterHealth(Full, Short);
        health.NextWait.Should().Be(Full);

        health.ReportUnhealthy("FailoverTests.Pause", "autopilot unhealthy");
        health.ReportUnhealthy("KmsDependencyTests.Restart", "not healthy at its start");

        health.NextWait.Should().Be(Short, "a cluster known to be broken must not cost every later test two full waits");
        health.BrokenBy.Should().Be("FailoverTests.Pause", "the first test that broke it is where to look");
        health.DescribeStartFailure(Short, "last reading: voters 2/3")
            .Should().Contain("within 60 s").And.Contain("voters 2/3")
            .And.Contain("'FailoverTests.Pause'").And.Contain("autopilot unhealthy");
    }

    [Fact]
    public void A_cluster_that_became_healthy_again_gets_the_full_wait_and_no_blame()
    {
        var health = new SharedClusterHealth(Full, Short);
        health.ReportUnhealthy("FailoverTests.Pause", "autopilot unhealthy");

        health.ReportHealthy();

        health.NextWait.Should().Be(Full);
        health.BrokenBy.Should().BeNull();
        health.DescribeStartFailure(Full, "last reading").Should().NotContain("unhealthy since");
    }
}
