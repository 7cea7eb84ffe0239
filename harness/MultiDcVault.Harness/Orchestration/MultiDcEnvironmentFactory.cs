using MultiDcVault.Harness.Topology;

namespace MultiDcVault.Harness.Orchestration;

/// <summary>The one way callers (CLI, fixture) get an environment.</summary>
public static class MultiDcEnvironmentFactory
{
    /// <summary>Builds the real environment over Docker, kind, kubectl and helm.</summary>
    public static IMultiDcEnvironment Create(MultiDcOptions options, EnvironmentServices? services = null) =>
        throw new NotSupportedException("Orchestration wiring lands with the orchestration branch.");
}
