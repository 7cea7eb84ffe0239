using MultiDcVault.Cli.Commands;
using MultiDcVault.Cli.Operations;
using MultiDcVault.Harness.Environment;
using MultiDcVault.Harness.Planning;
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

        await console.Out.WriteLineAsync($"Environment '{handle.Plan.Options.Session}' is up and stays up until 'multidc down'.");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Datacenter").AddColumn("Role").AddColumn("Vault endpoint").AddColumn("LB IP").AddColumn("Kubeconfig").AddColumn("Context");
        foreach (var dc in handle.Datacenters)
        {
            table.AddRow(
                new Text(dc.Name), new Text(dc.Role == ClusterRole.Leader ? "raft bootstrap" : "follower"), new Text(Address(dc.VaultAddress)),
                new Text(dc.LoadBalancerIp), new Text(dc.KubeconfigPath), new Text(dc.KubeContext));
        }

        ansi.Write(table);
        await console.Out.WriteLineAsync($"Central Vault (transit KMS): {Address(handle.CentralVaultHostAddress)} from this host, {Address(handle.CentralVaultInNetworkAddress)} from the clusters.");
        await console.Out.WriteLineAsync($"Vault CA certificates: {AccessFiles.Directory(handle)}");

        var first = handle.Datacenters[0];
        if (tokenPath is not null)
        {
            await console.Out.WriteLineAsync($"Root token: saved to {tokenPath} (readable only by you; not printed). Use it with:");
            await console.Out.WriteLineAsync($"  export VAULT_ADDR={Address(first.VaultAddress)} VAULT_CACERT={caFiles[first.Name]} VAULT_TOKEN=\"$(cat {tokenPath})\"");
            await console.Out.WriteLineAsync("  or print it: multidc token --reveal");
        }
        else
        {
            await console.Out.WriteLineAsync($"Root token: could not be read yet ({tokenProblem}); run 'multidc token' to save it to a file.");
        }

        foreach (var dc in handle.Datacenters)
        {
            await console.Out.WriteLineAsync($"  kubectl --kubeconfig {dc.KubeconfigPath} --context {dc.KubeContext} get pods -n {handle.Plan.Options.Namespace}");
        }

        await console.Out.WriteLineAsync("Next: multidc status | multidc failover | multidc partition <dc> | multidc heal | multidc logs | multidc down");
    }

    /// <summary>"https://172.18.255.200:8200": no trailing slash, as VAULT_ADDR is usually written.</summary>
    internal static string Address(Uri uri) => uri.AbsolutePath == "/" ? uri.GetLeftPart(UriPartial.Authority) : uri.AbsoluteUri;
}
