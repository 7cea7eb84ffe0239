using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Polling;
using MultiDcVault.Harness.Infrastructure.Secrets;

namespace MultiDcVault.Harness.Health;

/// <summary>
/// Waits until Raft is formed across the datacenters: N voters, one agreed leader, autopilot healthy.
/// New nodes stay non-voters for server_stabilization_time (10 s), so this takes a while after the
/// last follower joined. Times out with what it last saw.
/// </summary>
internal sealed class RaftFormationWaiter(IRaftProbe probe, UpSettings settings, TimeProvider timeProvider)
{
    public async Task<RaftObservation> WaitAsync(
        IReadOnlyList<DatacenterEndpoint> datacenters,
        Func<CancellationToken, Task<SecretValue?>> readRootToken,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readRootToken);
        var lastSeen = "nothing yet";
        return await Poll.UntilAsync<RaftObservation>(
            async ct =>
            {
                try
                {
                    var observation = await probe.ObserveAsync(datacenters, await readRootToken(ct), [], ct);
                    lastSeen = observation.Health.ToString();
                    return observation.Health.Healthy ? observation : null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    lastSeen = Redactor.Default.Redact(ex.Message);
                    return null;
                }
            },
            settings.RaftFormationTimeout,
            settings.PollInterval,
            timeProvider,
            () => $"Raft did not form across {datacenters.Count} datacenters within {settings.RaftFormationTimeout}. Last seen: {lastSeen}. " +
                  "Check the Vault pods' logs (raft join errors) and the follower CRs' raftLeaderAddress.",
            cancellationToken);
    }
}
