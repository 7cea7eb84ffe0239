namespace MultiDcVault.Harness.Clusters;

/// <summary>Puts images already on the host into a cluster's nodes; one instance per up (dispose it to remove what it wrote).</summary>
internal interface IClusterImageLoader : IAsyncDisposable
{
    Task LoadAsync(string cluster, IReadOnlyList<string> images, CancellationToken cancellationToken);
}
