using System.Collections.Concurrent;
using System.Net;
using MultiDcVault.Harness.Infrastructure.Polling;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace MultiDcVault.Harness.Infrastructure.Kubernetes;

/// <summary>
/// Server-side apply of manifest objects, as `kubectl apply --server-side --force-conflicts --validate=strict`
/// does it: one PATCH per object with content type application/apply-patch+yaml (the body is the object as
/// JSON, which is YAML too), the field manager, fieldValidation=Strict and force=true. The resource name and
/// scope of each kind come from one discovery lookup per group/version (cached for this client); a group/version
/// that is not served yet, or lacks the kind, is looked up again until <see cref="KubernetesApiOptions.DiscoveryTimeout"/>
/// (the CRDs of a manifest applied a moment ago are established asynchronously).
/// </summary>
internal sealed class ServerSideApply(k8s.Kubernetes client, string targetName, KubernetesApiOptions options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyDictionary<string, V1APIResource>?>>> _discovery = new();

    public async Task ApplyAsync(IReadOnlyList<ManifestObject> objects, CancellationToken cancellationToken)
    {
        // In order: a manifest lists the Namespace and CRDs before the objects that need them.
        foreach (var item in objects)
        {
            var resource = await ResourceOfAsync(item, cancellationToken);
            var path = $"{Prefix(item.ApiVersion)}/{(resource.Namespaced ? $"namespaces/{item.Namespace ?? "default"}/" : string.Empty)}{resource.Name}/{item.Name}";
            var query = $"?fieldManager={Uri.EscapeDataString(options.FieldManager)}&fieldValidation=Strict&force=true";
            using var request = new HttpRequestMessage(HttpMethod.Patch, path + query)
            {
                Content = new StringContent(item.Body.ToJsonString(), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
            using var response = await SendAsync(request, $"apply {item}", cancellationToken);
        }
    }

    private async Task<V1APIResource> ResourceOfAsync(ManifestObject item, CancellationToken cancellationToken)
    {
        try
        {
            return await Poll.UntilAsync(
                async ct =>
                {
                    // The lookup is shared by concurrent applies, so it runs on no caller's token (its request timeout
                    // bounds it); each caller stops waiting on its own.
                    var kinds = await _discovery.GetOrAdd(
                        item.ApiVersion,
                        v => new Lazy<Task<IReadOnlyDictionary<string, V1APIResource>?>>(() => DiscoverAsync(v, CancellationToken.None))).Value.WaitAsync(ct);
                    if (kinds is not null && kinds.TryGetValue(item.Kind, out var resource))
                    {
                        return resource;
                    }

                    // Not served (yet): forget this answer, so the next attempt asks the server again.
                    _discovery.TryRemove(item.ApiVersion, out _);
                    return null;
                },
                options.DiscoveryTimeout,
                options.PollInterval,
                timeProvider,
                () => string.Empty,
                cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new KubernetesApiException(
                $"apply {item} in {targetName}",
                HttpStatusCode.NotFound,
                $"the server has no kind {item.Kind} in {item.ApiVersion} after {options.DiscoveryTimeout} (is its CRD installed?)");
        }
    }

    /// <summary>The kinds a group/version serves, or null when the server does not serve it (404).</summary>
    private async Task<IReadOnlyDictionary<string, V1APIResource>?> DiscoverAsync(string apiVersion, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Prefix(apiVersion));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await SendAsync(request, $"discover {apiVersion}", cancellationToken, allowNotFound: true);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            var list = KubernetesJson.Deserialize<V1APIResourceList>(await response.Content.ReadAsStringAsync(cancellationToken));

            // Subresources ("pods/log") share the kind of their parent: keep the resources themselves.
            return list.Resources.Where(r => !r.Name.Contains('/', StringComparison.Ordinal)).GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.First());
        }
        catch
        {
            _discovery.TryRemove(apiVersion, out _); // a failed lookup is retried by the next apply
            throw;
        }
    }

    private static string Prefix(string apiVersion) => apiVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{apiVersion}" : $"api/{apiVersion}";

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        request.RequestUri = new Uri(client.BaseUri, request.RequestUri!.OriginalString);
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        var what = $"{operation} in {targetName}";
        using var scope = RequestScope.Start(options.RequestTimeout, timeProvider, cancellationToken);
        try
        {
            // The client's HttpClient has no timeout of its own (see KubernetesApi.Connect): this request's is the scope's.
            var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, scope.Token);
            if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
            {
                return response;
            }

            using (response)
            {
                var message = KubernetesApi.StatusMessage(await response.Content.ReadAsStringAsync(scope.Token));
                throw new KubernetesApiException(what, response.StatusCode, message, new HttpRequestException(message, null, response.StatusCode));
            }
        }
        catch (OperationCanceledException ex) when (scope.TimedOut)
        {
            throw KubernetesApi.TimedOut(what, options.RequestTimeout, ex);
        }
    }
}
