using FluentAssertions;
using MultiDcVault.Harness.Clusters;
using MultiDcVault.Harness.Infrastructure.Docker;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Clusters;

public sealed class ImagePullLogTests
{
    /// <summary>The daemon's POST /images/create stream: image lines without an id, then per-layer status lines (as ImagePullTests replays them).</summary>
    [Fact]
    public void Each_finished_layer_is_one_progress_line_and_the_chatter_in_between_is_not()
    {
        var logger = new CapturingLogger<ImagePullLogTests>();
        var reported = new List<string>();
        var log = new ImagePullLog(logger, "hashicorp/vault:2.0.1", reported.Add);

        log.Report(new ImagePullProgress("2.0.1", "Pulling from hashicorp/vault", null));
        log.Report(new ImagePullProgress("a1", "Pulling fs layer", null));
        log.Report(new ImagePullProgress("b2", "Already exists", null));
        log.Report(new ImagePullProgress("a1", "Downloading", "[==>      ]  1.2MB/9MB"));
        log.Report(new ImagePullProgress("a1", "Downloading", "[=====>   ]  5.0MB/9MB"));
        log.Report(new ImagePullProgress("a1", "Pull complete", null));
        log.Report(new ImagePullProgress("a1", "Pull complete", null));
        log.Report(new ImagePullProgress(null, "Digest: sha256:abc", null));

        logger.Messages.Should().Equal("pulling hashicorp/vault:2.0.1: 1/2 layers", "pulling hashicorp/vault:2.0.1: 2/2 layers");
        reported.Should().Equal("1/2 layers", "2/2 layers");
        log.Layers.Should().Be((2, 2));
    }
}
