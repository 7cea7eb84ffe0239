using MultiDcVault.Harness.Health;
using MultiDcVault.Harness.Infrastructure.Secrets;
using MultiDcVault.Harness.Infrastructure.Polling;

namespace MultiDcVault.Harness.Drills;

/// <summary>
/// Waits until the KV v2 mount the drills write to accepts a write and reads it back. The mount comes from the
/// Vault CR's externalConfig, which the operator's configurer applies some time after bank-vaults initialised
/// the leader — Raft can be formed before it exists, and a fresh KV v2 mount is briefly "upgrading".
/// </summary>
internal static class KvMountReadiness
{
    public const string ProbeKey = "multidc-ready/kv";

    public static async Task WaitAsync(
        IKvCounterStore store,
        string datacenter,
        TimeSpan timeout,
        TimeSpan interval,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentException.ThrowIfNullOrWhiteSpace(datacenter);
        var lastSeen = "no attempt yet";
        long attempt = 0;
        await Poll.UntilAsync(
            async ct =>
            {
                attempt++;
                try
                {
                    await store.WriteCounterAsync(datacenter, ProbeKey, attempt, ct);
                    if (await store.ReadCounterAsync(datacenter, ProbeKey, ct) == attempt)
                    {
                        return true;
                    }

                    lastSeen = "the write was acknowledged but reading it back did not return it";
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // Request timeouts surface as OperationCanceledException too; only the caller's token ends the wait.
                    lastSeen = Redactor.Default.Redact(ex.Message);
                }

                return false;
            },
            accepted => accepted,
            PollSchedule.For(timeout, interval),
            timeProvider,
            _ => $"The KV v2 mount used by the tests did not accept a write through '{datacenter}' within {timeout}. Last error: {lastSeen}. " +
                 "The mount comes from the Vault CR's externalConfig (secrets: path secret, kv version 2), applied by the operator's " +
                 "configurer Deployment: check its logs (kubectl logs deploy/vault-<cluster>-configurer).",
            cancellationToken);
    }
}
