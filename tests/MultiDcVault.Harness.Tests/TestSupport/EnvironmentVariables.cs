using Xunit;

namespace MultiDcVault.Harness.Tests.TestSupport;

/// <summary>Tests that change process environment variables run alone, so no other test sees their values.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class EnvironmentVariables
{
    public const string Collection = "Process environment variables";
}
