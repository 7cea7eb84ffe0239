using MultiDcVault.Fixtures;
using Xunit;

// One environment for the whole E2E run: brought up once, torn down (unless MULTIDC_KEEP=1) after the last test.
[assembly: AssemblyFixture(typeof(MultiDcEnvironmentFixture))]
