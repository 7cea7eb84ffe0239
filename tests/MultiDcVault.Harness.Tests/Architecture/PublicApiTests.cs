using System.Reflection;
using System.Runtime.CompilerServices;
using FluentAssertions;
using MultiDcVault.Fixtures;
using MultiDcVault.Harness.Environment;
using PublicApiGenerator;
using Xunit;

namespace MultiDcVault.Harness.Tests.Architecture;

/// <summary>
/// The public surface is what users' test projects compile against, so a change to it is a decision, not a side
/// effect: each assembly's API is kept in an approved file beside this test. When it differs, the test writes the
/// new API to a .received.txt file next to it; review the difference and copy it over the approved file.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Assemblies => [nameof(Harness), nameof(Fixtures)];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_public_api_is_the_approved_one(string name)
    {
        var assembly = name == nameof(Harness) ? typeof(MultiDcEnvironmentBuilder).Assembly : typeof(MultiDcEnvironmentFixture).Assembly;
        var approvedPath = Path.Combine(AppContext.BaseDirectory, "Architecture", "PublicApi", $"{assembly.GetName().Name}.approved.txt");
        var receivedPath = Path.Combine(ReceivedDirectory(), $"{assembly.GetName().Name}.received.txt");
        var actual = Generate(assembly);
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;

        if (actual != approved)
        {
            File.WriteAllText(receivedPath, actual);
        }
        else
        {
            File.Delete(receivedPath);
        }

        actual.Should().Be(approved, $"the public API of {assembly.GetName().Name} changed: review {receivedPath} and, if intended, copy it over Architecture/PublicApi/{Path.GetFileName(approvedPath)}");
    }

    [Fact]
    public void Internal_types_are_not_part_of_the_api()
    {
        // Guards the approval itself: were the generator to list internal types, the approved file would hide a leak.
        var api = Generate(typeof(MultiDcEnvironmentBuilder).Assembly);

        api.Should().Contain("public sealed class MultiDcEnvironmentBuilder");
        api.Should().NotContain("MultiDcEnvironmentFactory", "it is internal");
        api.Should().NotContain("KindCli", "it is internal");
    }

    private static string Generate(Assembly assembly) =>
        assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes =
            [
                "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
                "System.Runtime.Versioning.TargetFrameworkAttribute",
                "System.Reflection.AssemblyMetadataAttribute",
            ],
        }).ReplaceLineEndings("\n");

    /// <summary>Beside the approved files in the source tree when it is there (a developer's checkout), else the output folder.</summary>
    private static string ReceivedDirectory([CallerFilePath] string thisFile = "")
    {
        var source = Path.Combine(Path.GetDirectoryName(thisFile) ?? string.Empty, "PublicApi");
        return Directory.Exists(source) ? source : Path.Combine(AppContext.BaseDirectory, "Architecture", "PublicApi");
    }
}
