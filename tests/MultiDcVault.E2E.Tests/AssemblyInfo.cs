using MultiDcVault.Fixtures;
using Xunit;

// One environment for the whole E2E run: brought up once, torn down (unless MULTIDC_KEEP=1) after the last test.
[assembly: AssemblyFixture(typeof(MultiDcEnvironmentFixture))]

// Every test faults or inspects the one shared cluster: two at once would see each other's faults (also set in
// xunit.runner.json; the attribute keeps it so when a runner is given another configuration).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
