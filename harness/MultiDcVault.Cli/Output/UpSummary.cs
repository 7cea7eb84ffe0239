using MultiDcVault.Cli.Operations;
using MultiDcVault.Harness.Orchestration;
using MultiDcVault.Harness.Topology;
using Spectre.Console;

namespace MultiDcVault.Cli.Output;

/// <summary>What a person needs after `up`: endpoints, kubeconfigs, the central Vault and how to get the token (never the token itself).</summary>
internal static class UpSummary
{
    public static async Task PrintAsync(CliConsole console, EnvironmentHandle handle, CancellationToken cancellationToken)
    {
        var ansi = console.CreateAnsiConsole();
        var caFiles = await AccessFiles.WriteCaFilesAsync(handle, cancellationToken);
        string? tokenPath = null;
        string? tokenProblem = null;
        try
        {
            tokenPath = await AccessFiles.WriteRootTokenAsync(handle, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            tokenProblem = Commands.CommandExecution.Describe(ex);
        }

        ansi.WriteLine($"Environment '{handle.Plan.Options.Session}' is up and stays up until 'multidc down'.");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Datacenter").AddColumn("Role").AddColumn("Vault endpoint").AddColumn("LB IP").AddColumn("Kubeconfig").AddColumn("Context");
        foreach (var dc in handle.Datacenters)
        {
            table.AddRow(
                new Text(dc.Name), new Text(dc.Role == ClusterRole.Leader ? "raft bootstrap" : "follower"), new Text(dc.VaultAddress.ToString()),
                new Text(dc.LoadBalancerIp), new Text(dc.KubeconfigPath), new Text(dc.KubeContext));
        }

        ansi.Write(table);
        ansi.WriteLine($"Central Vault (transit KMS): {handle.CentralVaultHostAddress} from this host, {handle.CentralVaultInNetworkAddress} from the clusters.");
        ansi.WriteLine($"Vault CA certificates: {AccessFiles.Directory(handle)}");

        var first = handle.Datacenters[0];
        if (tokenPath is not null)
        {
            ansi.WriteLine($"Root token: saved to {tokenPath} (readable only by you; not printed). Use it with:");
            ansi.WriteLine($"  export VAULT_ADDR={first.VaultAddress} VAULT_CACERT={caFiles[first.Name]} VAULT_TOKEN=\"$(cat {tokenPath})\"");
            ansi.WriteLine("  or print it: multidc token --reveal");
        }
        else
        {
            ansi.WriteLine($"Root token: could not be read yet ({tokenProblem}); run 'multidc token' to save it to a file.");
        }

        foreach (var dc in handle.Datacenters)
        {
            ansi.WriteLine($"  kubectl --kubeconfig {dc.KubeconfigPath} --context {dc.KubeContext} get pods -n {handle.Plan.Options.Namespace}");
        }

        ansi.WriteLine("Next: multidc status | multidc failover | multidc partition <dc> | multidc heal | multidc logs | multidc down");
    }
}
