using System.Text.RegularExpressions;
using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Configuration;

public sealed partial class MultiDcVariablesTests
{
    [Fact]
    public void A_mistyped_variable_is_named_with_the_closest_known_one()
    {
        var warnings = MultiDcVariables.UnknownWarnings(["MULTIDC_CLUSTER", "MULTIDC_SESION", "MULTIDC_CLUSTERS", "PATH", "MULTIDC_WHATEVER_ELSE"]).ToList();

        warnings.Should().Equal(
            "MULTIDC_CLUSTER is not a multidc variable and is ignored; did you mean MULTIDC_CLUSTERS?",
            "MULTIDC_SESION is not a multidc variable and is ignored; did you mean MULTIDC_SESSION?",
            "MULTIDC_WHATEVER_ELSE is not a multidc variable and is ignored (see the README's Configuration table).");
    }

    [Fact]
    public void Every_settings_variable_and_every_other_one_read_here_is_known()
    {
        MultiDcVariables.UnknownWarnings(MultiDcVariables.Known).Should().BeEmpty();
        MultiDcVariables.Known.Should().Contain(["MULTIDC_KEEP", "MULTIDC_REQUIRE_E2E", "MULTIDC_TOOLS_DIR", SupportedVaultVersions.UpgradeTargetVariable]);
    }

    [Fact]
    public void Every_MULTIDC_name_the_repository_uses_is_in_the_known_list()
    {
        // Keeps the list true: a variable read somewhere but missing here would be reported as a typo.
        var root = SharedDirectory.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        var files = new[] { "harness", "fixtures", "tests", ".ci", ".github" }
            .Select(d => Path.Combine(root.FullName, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith(nameof(MultiDcVariablesTests) + ".cs", StringComparison.Ordinal)
                && (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || Path.GetFileName(f) == "run"))
            .Append(Path.Combine(root.FullName, "README.md"));

        var used = files
            .SelectMany(f => VariableName().Matches(File.ReadAllText(f)).Select(m => (Name: m.Value, File: Path.GetRelativePath(root.FullName, f))))
            .Where(u => !MultiDcVariables.Known.Contains(u.Name, StringComparer.Ordinal))
            .Select(u => $"{u.Name} in {u.File}")
            .Distinct(StringComparer.Ordinal);

        used.Should().BeEmpty();
    }

    [Fact]
    public async Task The_cli_warns_about_a_mistyped_variable_and_still_runs()
    {
        var output = Path.Combine(Path.GetTempPath(), "multidc-vars-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await MultidcProcess.RunAsync(
                ["plan", "--subnet", "172.18.0.0/16", "--out", output],
                new Dictionary<string, string> { ["MULTIDC_CLUSTER"] = "5" },
                TestContext.Current.CancellationToken);

            result.ExitCode.Should().Be(0, result.StandardError);
            result.StandardError.Should().Contain("warning: MULTIDC_CLUSTER is not a multidc variable and is ignored; did you mean MULTIDC_CLUSTERS?");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    // A full name: the prefix followed by at least one more letter, ending on a letter or digit (not "MULTIDC_*").
    [GeneratedRegex(@"\bMULTIDC_[A-Z][A-Z0-9_]*[A-Z0-9]\b")]
    private static partial Regex VariableName();
}
