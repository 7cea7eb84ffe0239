using FluentAssertions;
using MultiDcVault.Fixtures;
using Xunit;

namespace MultiDcVault.E2E.Tests;

[Trait("Category", "E2E")]
public sealed class ReplicationTests(MultiDcEnvironmentFixture fixture) : E2ETestBase(fixture)
{
    [Fact]
    public async Task A_write_through_each_datacenter_is_readable_through_every_other_datacenter()
    {
        await StartAsync();
        var run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var names = Env.Datacenters.Select(d => d.Name).ToList();

        foreach (var (writer, index) in names.Select((n, i) => (n, i)))
        {
            var key = $"replication/{run}/{writer}";
            var value = run + index;
            await Probe.WriteCounterAsync(writer, key, value, Ct);

            foreach (var reader in names.Where(n => n != writer))
            {
                var read = await Probe.ReadCounterAsync(reader, key, Ct);
                Output.WriteLine($"wrote {key}={value} through {writer}, read {read?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"} through {reader}");
                read.Should().Be(value, $"a write acknowledged through {writer} must be readable through {reader}");
            }
        }
    }
}
