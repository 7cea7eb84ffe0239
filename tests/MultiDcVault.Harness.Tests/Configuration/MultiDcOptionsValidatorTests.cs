using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using Xunit;

namespace MultiDcVault.Harness.Tests.Configuration;

public sealed class MultiDcOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("hashicorp/vault", "it has no tag, which means :latest")]
    [InlineData("hashicorp/vault:latest", "it uses :latest")]
    [InlineData("localhost:5000/vault", "it has no tag, which means :latest")]
    public void An_image_that_would_mean_latest_is_refused_with_one_line(string image, string why)
    {
        var problems = MultiDcOptionsValidator.Validate(new MultiDcOptions { VaultImage = image });

        problems.Should().ContainSingle().Which.Should().StartWith($"VaultImage={image} is not valid: {why}").And.NotContain("\n");
    }

    [Theory]
    [InlineData("hashicorp/vault:2.0.1")]
    [InlineData("localhost:5000/vault-operator:dev")]
    [InlineData("hashicorp/vault@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("hashicorp/vault:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_version_tag_or_a_digest_pins_an_image(string image)
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions { KindNodeImage = image, CentralVaultImage = image }).Should().BeEmpty();
    }

    [Theory]
    [InlineData(nameof(MultiDcOptions.OperatorImage))]
    [InlineData(nameof(MultiDcOptions.BankVaultsImage))]
    [InlineData(nameof(MultiDcOptions.VaultImage))]
    public void An_image_loaded_into_the_kind_nodes_must_be_pinned_by_tag_not_digest(string property)
    {
        const string digest = "hashicorp/vault:2.0.4@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var options = property switch
        {
            nameof(MultiDcOptions.OperatorImage) => new MultiDcOptions { OperatorImage = digest },
            nameof(MultiDcOptions.BankVaultsImage) => new MultiDcOptions { BankVaultsImage = digest },
            _ => new MultiDcOptions { VaultImage = digest, CentralVaultImage = "hashicorp/vault:2.0.4" },
        };

        MultiDcOptionsValidator.Validate(options).Should().ContainSingle()
            .Which.Should().StartWith($"{property}={digest} is not valid: give a tag, not a digest").And.Contain("kind#2734").And.NotContain("\n");
    }

    [Fact]
    public void Every_image_setting_is_checked_for_a_pin()
    {
        var problems = MultiDcOptionsValidator.Validate(new MultiDcOptions
        {
            KindNodeImage = "kindest/node",
            OperatorImage = "op:latest",
            BankVaultsImage = "ghcr.io/bank-vaults/bank-vaults",
            VaultImage = "hashicorp/vault:LATEST",
            CentralVaultImage = "hashicorp/vault",
        });

        problems.Select(p => p[..p.IndexOf('=', StringComparison.Ordinal)])
            .Should().Equal("KindNodeImage", "OperatorImage", "BankVaultsImage", "VaultImage", "CentralVaultImage");
    }

    [Fact]
    public void A_metallb_version_without_a_pinned_manifest_is_refused()
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions { MetalLbVersion = "v0.14.9" })
            .Should().Equal("MetalLbVersion=v0.14.9 is not valid: no SHA-256 of its native manifest is pinned; use one of v0.16.0, v0.16.1");
    }

    [Fact]
    public void Options_set_in_code_are_named_by_property()
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions { PoolSize = 0, RaftPerformanceMultiplier = 11 })
            .Should().Equal(
                "PoolSize=0 is not valid: use 1..1024 addresses per cluster and IP family",
                "RaftPerformanceMultiplier=11 is not valid: use 1..10 (Vault's default is 5)");
    }

    [Theory]
    [InlineData("abcdefghij-abcdefghij-abcdefghij-abcdefgh", true)] // 41 characters
    [InlineData("abcdefghij-abcdefghij-abcdefghij-abcdefg", false)] // 40 characters
    public void Cluster_names_longer_than_the_kind_and_operator_limit_are_refused(string longName, bool refused)
    {
        var problems = MultiDcOptionsValidator.Validate(new MultiDcOptions { ClusterNames = [longName, "b", "c"] });

        if (refused)
        {
            problems.Should().ContainSingle().Which.Should().Contain($"cluster name '{longName}' has 41 characters; the maximum is 40");
        }
        else
        {
            problems.Should().BeEmpty();
            (longName + "-control-plane").Length.Should().BeLessThanOrEqualTo(63);
        }
    }

    [Theory]
    [InlineData("dc-1")]
    [InlineData("1dc")]
    [InlineData("a")]
    public void Dns_labels_are_accepted_as_cluster_names(string name)
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions { ClusterNames = [name, "x", "y"] }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("dc_1")]
    [InlineData("dc-")]
    [InlineData("-dc")]
    [InlineData("dc.1")]
    [InlineData("Dc")]
    [InlineData("")]
    public void Non_dns_labels_are_refused_as_cluster_names(string name)
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions { ClusterNames = [name, "x", "y"] })
            .Should().ContainSingle().Which.Should().Contain($"cluster name '{name}' is not a DNS-1123 label");
    }

    [Fact]
    public void Empty_image_references_and_versions_are_refused()
    {
        var problems = MultiDcOptionsValidator.Validate(new MultiDcOptions
        {
            KindNodeImage = "",
            OperatorImage = " ",
            BankVaultsImage = "",
            VaultImage = "",
            CentralVaultImage = "",
            MetalLbVersion = "",
            OperatorChartVersion = "",
            OperatorChart = "",
        });

        problems.Should().HaveCount(8).And.OnlyContain(p => p.Contains("without spaces", StringComparison.Ordinal));
        problems.Should().Contain(p => p.StartsWith("KindNodeImage= is not valid", StringComparison.Ordinal));
    }

    [Fact]
    public void Up_timeout_and_work_directory_must_be_usable()
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions { UpTimeout = TimeSpan.Zero, WorkDirectory = "" })
            .Should().HaveCount(2);
    }

    [Fact]
    public void Long_session_names_are_refused()
    {
        MultiDcOptionsValidator.Validate(new MultiDcOptions { Session = new string('s', 41) })
            .Should().ContainSingle().Which.Should().Contain("the maximum is 40");
    }

    [Fact]
    public void Throw_if_invalid_lists_every_problem()
    {
        var act = () => MultiDcOptionsValidator.ThrowIfInvalid(new MultiDcOptions { ClusterNames = ["a", "a", "A", "b"] });

        act.Should().Throw<OptionsValidationException>().Which.Problems.Should().HaveCount(3);
    }
}
