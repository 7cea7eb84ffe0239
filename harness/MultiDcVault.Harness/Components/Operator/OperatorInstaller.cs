using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Infrastructure.Helm;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning;

namespace MultiDcVault.Harness.Components.Operator;

/// <summary>
/// The Bank-Vaults vault-operator chart in one cluster: helm upgrade --install of the pinned OCI chart
/// with --wait, the rendered values file (operator image, pull policy Never for a loaded image) and the
/// bank-vaults image the chart passes to the operator.
/// </summary>
internal sealed class OperatorInstaller(HelmCli helm, UpSettings settings)
{
    public const string ReleaseName = "vault-operator";

    /// <summary>The helm release for <paramref name="plan"/> in one cluster; <paramref name="valuesFile"/> is the rendered operator values.</summary>
    public HelmRelease Release(EnvironmentPlan plan, KubeTarget target, string valuesFile)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(target);
        var options = plan.Options;
        var (bankVaultsRepository, bankVaultsTag) = ImageReference.Split(options.BankVaultsImage);
        return new HelmRelease(ReleaseName, options.OperatorChart, options.OperatorChartVersion, options.Namespace, target.KubeconfigPath, target.Context)
        {
            ValuesFiles = [valuesFile],
            Values = new Dictionary<string, string>
            {
                ["bankVaults.image.repository"] = bankVaultsRepository,
                ["bankVaults.image.tag"] = bankVaultsTag,
            },
            Wait = true,
            Timeout = settings.OperatorTimeout,
        };
    }

    public Task InstallAsync(EnvironmentPlan plan, KubeTarget target, string valuesFile, CancellationToken cancellationToken) =>
        helm.UpgradeInstallAsync(Release(plan, target, valuesFile), cancellationToken);
}
