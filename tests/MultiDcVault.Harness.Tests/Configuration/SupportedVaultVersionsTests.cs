using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Configuration;

/// <summary>The Vault versions the harness claims to support are named in one place, and every place that shows them agrees.</summary>
public sealed class SupportedVaultVersionsTests
{
    [Fact]
    public void The_newest_community_image_of_each_line_is_supported()
    {
        // 1.21.4: endoflife-date/endoflife.date a70eca3 products/hashicorp-vault.md (tracks the community
        // git tags of hashicorp/vault: 1.21 latest 1.21.4); hashicorp/vault-helm aa1c92e
        // .github/workflows/acceptance.yaml tests the community image only at VAULT_N and its newer
        // 1.21.9 only as hashicorp/vault-enterprise (test/acceptance/setup_suite.bash).
        // 2.0.4: hashicorp/vault-helm v0.34.1 CHANGELOG.md / values.yaml (server.image.tag 2.0.4), the
        // 2.0 patch before endoflife-date/endoflife.date#10903 added the 2.1 line (v2.1.0).
        // 2.1.2: hashicorp/vault:2.1.2@sha256:c2f666266f383d2cf424d86b8bb8ce7d065562173ffec2b476d762943608bb55,
        // pinned in several public repositories; no newer 2.1 patch is pinned anywhere public.
        SupportedVaultVersions.Images.Should().Equal("hashicorp/vault:1.21.4", "hashicorp/vault:2.0.4", "hashicorp/vault:2.1.2");
    }

    [Fact]
    public void The_default_stays_on_a_line_the_pinned_operator_is_tested_with()
    {
        // bank-vaults/vault-operator v1.24.0 .github/workflows/ci.yaml, acceptance-test matrix:
        // vault_version ["1.21.3", "1.21.4", "2.0.0", "2.0.1"].
        string[] operatorTestedLines = ["1.21", "2.0"];
        var version = SupportedVaultVersions.DefaultImage[(SupportedVaultVersions.Repository.Length + 1)..];

        operatorTestedLines.Should().Contain(string.Join('.', version.Split('.').Take(2)));
    }

    [Fact]
    public void The_default_vault_image_is_a_supported_one()
    {
        SupportedVaultVersions.Images.Should().Contain(SupportedVaultVersions.DefaultImage);
        new MultiDcOptions().VaultImage.Should().Be(SupportedVaultVersions.DefaultImage);
    }

    [Fact]
    public void One_image_per_release_line_oldest_first()
    {
        // Each entry stands for a whole minor line (1.21.x, 2.0.x, 2.1.x): two patches of one line
        // would spend a CI job on the older patch.
        var lines = SupportedVaultVersions.Versions.Select(v => string.Join('.', v.Split('.').Take(2)));

        lines.Should().OnlyHaveUniqueItems();
        SupportedVaultVersions.Versions.Select(Version.Parse).Should().BeInAscendingOrder();
    }

    [Fact]
    public void The_cli_help_and_the_readme_name_the_default_and_the_tested_versions()
    {
        MultiDcSettings.VaultImage.Default.Should().Be(SupportedVaultVersions.DefaultImage);
        MultiDcSettings.VaultImage.Description.Should().EndWith("CI tests " + string.Join(", ", SupportedVaultVersions.Versions));

        var root = SharedDirectory.FindRepositoryRoot();
        Assert.SkipWhen(root is null, $"{SharedDirectory.SolutionFileName} not found above {AppContext.BaseDirectory}: the tests run outside the repository.");
        var row = File.ReadLines(Path.Combine(root!.FullName, "README.md"))
            .Single(l => l.StartsWith("| `MULTIDC_VAULT_IMAGE` |", StringComparison.Ordinal));
        row.Should().Contain(MultiDcSettings.VaultImage.Description).And.Contain($"| `{SupportedVaultVersions.DefaultImage}` |");
    }

    [Theory]
    [InlineData("hashicorp/vault:2.1.2", "2.1.2")]
    [InlineData("hashicorp/vault:1.21.4", "1.21.4")]
    [InlineData("registry.local:5000/hashicorp/vault:2.0.4", "2.0.4")]
    [InlineData("hashicorp/vault:2.1.2@sha256:c2f666266f383d2cf424d86b8bb8ce7d065562173ffec2b476d762943608bb55", "2.1.2")]
    public void The_version_of_an_image_is_its_tag(string image, string version)
    {
        SupportedVaultVersions.VersionTextOf(image).Should().Be(version);
    }

    [Theory]
    [InlineData("hashicorp/vault@sha256:c2f666266f383d2cf424d86b8bb8ce7d065562173ffec2b476d762943608bb55", "has no version tag")]
    [InlineData("hashicorp/vault:2.1", "has no version tag")]
    [InlineData("hashicorp/vault:2.1.2-ent", "has no version tag")]
    [InlineData("hashicorp/vault:v2.1.2", "has no version tag")]
    [InlineData("hashicorp/vault:latest", "is not pinned")]
    [InlineData("hashicorp/vault", "is not pinned")]
    public void An_image_without_a_version_tag_has_no_version(string image, string why)
    {
        var act = () => SupportedVaultVersions.VersionOf(image);

        act.Should().Throw<ArgumentException>().WithMessage($"*{why}*");
    }

    [Fact]
    public void The_default_upgrade_target_is_the_next_version_of_the_matrix()
    {
        SupportedVaultVersions.UpgradeTarget("hashicorp/vault:1.21.4", null).Should().Be("hashicorp/vault:2.0.4");
        SupportedVaultVersions.UpgradeTarget("hashicorp/vault:2.0.4", "  ").Should().Be("hashicorp/vault:2.1.2");
    }

    [Fact]
    public void The_newest_image_has_no_default_target_and_the_message_says_how_to_name_one()
    {
        var act = () => SupportedVaultVersions.UpgradeTarget("hashicorp/vault:2.1.2", null);

        act.Should().Throw<OptionsValidationException>().WithMessage(
            "*hashicorp/vault:2.1.2 is the newest the CI matrix tests (hashicorp/vault:1.21.4, hashicorp/vault:2.0.4, hashicorp/vault:2.1.2)*--to-vault-image or MULTIDC_UPGRADE_TO_VAULT_IMAGE*");
    }

    [Fact]
    public void An_image_outside_the_matrix_has_no_default_target()
    {
        var act = () => SupportedVaultVersions.UpgradeTarget("hashicorp/vault:2.0.3", null);

        act.Should().Throw<OptionsValidationException>().WithMessage("*hashicorp/vault:2.0.3 is not one the CI matrix tests*--to-vault-image or MULTIDC_UPGRADE_TO_VAULT_IMAGE*");
    }

    [Theory]
    [InlineData("hashicorp/vault:2.0.4", "hashicorp/vault:2.1.2")]
    [InlineData("hashicorp/vault:2.0.3", "hashicorp/vault:2.0.4")]
    [InlineData("hashicorp/vault:2.1.2", "hashicorp/vault:2.2.0")]
    [InlineData("hashicorp/vault:1.21.4", "hashicorp/vault:2.1.2")]
    public void A_named_newer_target_is_taken_even_outside_the_matrix(string current, string target)
    {
        SupportedVaultVersions.UpgradeTarget(current, target).Should().Be(target);
    }

    [Theory]
    [InlineData("hashicorp/vault:2.0.4", "hashicorp/vault:2.0.4", "runs the version the environment already runs")]
    [InlineData("hashicorp/vault:2.0.4", "registry.local:5000/hashicorp/vault:2.0.4", "runs the version the environment already runs")]
    [InlineData("hashicorp/vault:2.1.2", "hashicorp/vault:2.0.4", "is older than the environment's hashicorp/vault:2.1.2: Vault does not support downgrading its Raft storage")]
    [InlineData("hashicorp/vault:2.0.4", "hashicorp/vault:1.21.4", "is older than*downgrading")]
    [InlineData("hashicorp/vault:2.0.4", "hashicorp/vault:latest", "is not pinned")]
    [InlineData("hashicorp/vault:2.0.4", "hashicorp/vault:2.1", "has no version tag")]
    [InlineData("hashicorp/vault@sha256:c2f666266f383d2cf424d86b8bb8ce7d065562173ffec2b476d762943608bb55", "hashicorp/vault:2.1.2", "has no version tag")]
    public void A_target_that_is_not_newer_or_has_no_version_is_refused(string current, string target, string why)
    {
        var act = () => SupportedVaultVersions.UpgradeTarget(current, target);

        act.Should().Throw<OptionsValidationException>().WithMessage($"*{why}*").Which.Message.Should().NotContain("(Parameter");
    }
}
