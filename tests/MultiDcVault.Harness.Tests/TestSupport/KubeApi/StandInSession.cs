using System.Text.Json.Nodes;
using MultiDcVault.Harness.Infrastructure.Kubernetes;

namespace MultiDcVault.Harness.Tests.TestSupport.KubeApi;

/// <summary>A stand-in, a harness client for it, and kubectl runs against it, each with a fresh HOME.</summary>
internal sealed class StandInSession : IAsyncDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("multidc-kubeapi-");

    public StandInSession()
    {
        StandIn = KubeApiStandIn.Start(_directory.FullName);
        Api = new KubernetesApi(new KubernetesApiOptions { PollInterval = TimeSpan.FromMilliseconds(20), DiscoveryTimeout = TimeSpan.FromSeconds(1) });
    }

    public KubeApiStandIn StandIn { get; }

    public KubernetesApi Api { get; }

    public KubeTarget Target => StandIn.Target;

    /// <summary>The requests <paramref name="action"/> made, the stand-in's log cleared before.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> RecordAsync(Func<Task> action)
    {
        StandIn.ClearRequests();
        await action();
        return StandIn.Requests;
    }

    /// <summary>Runs kubectl with <paramref name="arguments"/> (after --kubeconfig/--context) and returns its requests; it must succeed.</summary>
    public async Task<IReadOnlyList<RecordedRequest>> KubectlAsync(CancellationToken cancellationToken, string? standardInput, params string[] arguments)
    {
        var home = Directory.CreateDirectory(Path.Combine(_directory.FullName, "home-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        StandIn.ClearRequests();
        var (exit, _, error) = await KubectlAgainstStandIn.RunAsync(StandIn, home, cancellationToken, standardInput, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} failed ({exit}): {error}");
        }

        return StandIn.Requests;
    }

    /// <summary>
    /// The requests that carry the operation: without kubectl's /version probe, its discovery (aggregated
    /// /api and /apis, per group/version lists) and its OpenAPI lookups, and without the harness's discovery.
    /// Those differ by design and are asserted apart.
    /// </summary>
    public static IReadOnlyList<RecordedRequest> Operations(IReadOnlyList<RecordedRequest> requests) =>
        [.. requests.Where(r => !IsDiscovery(r))];

    public static bool IsDiscovery(RecordedRequest request) =>
        request.Method == "GET" &&
        (request.Path is "/version" or "/api" or "/apis" or "/api/v1" ||
         request.Path.StartsWith("/openapi/", StringComparison.Ordinal) ||
         (request.Path.StartsWith("/apis/", StringComparison.Ordinal) && request.Path.Count(c => c == '/') == 3));

    /// <summary>Bodies compared as JSON (key order and whitespace do not matter to the server).</summary>
    public static bool SameJson(string left, string right) =>
        JsonNode.DeepEquals(JsonNode.Parse(left), JsonNode.Parse(right));

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await StandIn.DisposeAsync();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a kubectl cache file still open: the temp directory is reaped later
        }
    }
}
