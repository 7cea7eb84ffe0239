using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace MultiDcVault.Harness.Tests.TestSupport.KubeApi;

/// <summary>
/// What the stand-in serves, shaped after the Kubernetes API reference: legacy discovery (/api, /apis,
/// /api/v1, /apis/&lt;group&gt;/&lt;version&gt; as APIResourceList), objects by path, lists of stored pods with
/// label-selector filtering, pod log text, server-side apply answered with the applied object, JSON merge patches
/// (RFC 7386) of stored objects answered with the result, deletes.
/// Absent objects get a NotFound Status. <see cref="Override"/> lets a test answer first.
/// </summary>
internal sealed class StandInApi
{
    private static readonly (string GroupVersion, (string Name, string Kind, bool Namespaced)[] Resources)[] Discovery =
    [
        ("v1", [("namespaces", "Namespace", false), ("pods", "Pod", true), ("pods/log", "Pod", true), ("services", "Service", true),
                ("secrets", "Secret", true), ("serviceaccounts", "ServiceAccount", true), ("configmaps", "ConfigMap", true), ("events", "Event", true)]),
        ("apps/v1", [("deployments", "Deployment", true), ("statefulsets", "StatefulSet", true), ("daemonsets", "DaemonSet", true)]),
        ("rbac.authorization.k8s.io/v1", [("roles", "Role", true), ("rolebindings", "RoleBinding", true),
                ("clusterroles", "ClusterRole", false), ("clusterrolebindings", "ClusterRoleBinding", false)]),
        ("apiextensions.k8s.io/v1", [("customresourcedefinitions", "CustomResourceDefinition", false)]),
        ("admissionregistration.k8s.io/v1", [("validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false)]),
        ("metallb.io/v1beta1", [("ipaddresspools", "IPAddressPool", true), ("l2advertisements", "L2Advertisement", true)]),
        ("vault.banzaicloud.com/v1alpha1", [("vaults", "Vault", true)]),
    ];

    private readonly ConcurrentDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _logs = new(StringComparer.Ordinal);

    /// <summary>Answers a request before the defaults when it returns non-null (e.g. a webhook error, a changing Service).</summary>
    public Func<RecordedRequest, StandInResponse?>? Override { get; set; }

    /// <summary>Stores an object at its API path (derived from apiVersion, kind, namespace and name).</summary>
    public void Put(string json)
    {
        var item = JsonNode.Parse(json)!.AsObject();
        _objects[PathOf(item)] = item;
    }

    public void PutLog(string @namespace, string pod, string? container, bool previous, string text) =>
        _logs[$"{@namespace}/{pod}/{container}/{previous}"] = text;

    public static string PathOf(JsonObject item)
    {
        var apiVersion = item["apiVersion"]!.GetValue<string>();
        var kind = item["kind"]!.GetValue<string>();
        var metadata = item["metadata"]!.AsObject();
        var (_, resources) = Discovery.Single(d => d.GroupVersion == apiVersion);
        var resource = resources.First(r => r.Kind == kind && !r.Name.Contains('/', StringComparison.Ordinal));
        var prefix = apiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{apiVersion}" : $"/api/{apiVersion}";
        var scope = resource.Namespaced ? $"/namespaces/{metadata["namespace"]?.GetValue<string>() ?? "default"}" : string.Empty;
        return $"{prefix}{scope}/{resource.Name}/{metadata["name"]!.GetValue<string>()}";
    }

    internal StandInResponse Answer(RecordedRequest request)
    {
        if (Override?.Invoke(request) is { } overridden)
        {
            return overridden;
        }

        var path = request.Path.TrimEnd('/');
        if (request.Method == "GET" && DiscoveryDocument(path) is { } discovery)
        {
            return new StandInResponse(200, discovery.ToJsonString());
        }

        if (request.Method == "GET" && OpenApi(path) is { } openApi)
        {
            return new StandInResponse(200, openApi.ToJsonString());
        }

        if (request.Method == "GET" && path.EndsWith("/log", StringComparison.Ordinal))
        {
            return Log(path, request);
        }

        if (request.Method == "GET" && (path.EndsWith("/pods", StringComparison.Ordinal)))
        {
            return new StandInResponse(200, PodList(path, request).ToJsonString());
        }

        return request.Method switch
        {
            "GET" when _objects.TryGetValue(path, out var found) => new StandInResponse(200, found.ToJsonString()),
            "DELETE" when _objects.TryRemove(path, out var removed) => new StandInResponse(200, removed.ToJsonString()),
            "PATCH" when request.MediaType == "application/apply-patch+yaml" => Apply(path, request),
            "PATCH" when request.MediaType == "application/merge-patch+json" && _objects.TryGetValue(path, out var stored) => MergePatch(path, stored, request),
            _ => NotFound(path),
        };
    }

    private StandInResponse MergePatch(string path, JsonObject stored, RecordedRequest request)
    {
        var patched = (JsonObject)stored.DeepClone();
        Merge(patched, JsonNode.Parse(request.Body)!.AsObject());
        _objects[path] = patched;
        return new StandInResponse(200, patched.ToJsonString());
    }

    // RFC 7386: objects merge member by member, null removes a member, anything else replaces it.
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject inner && target[key] is JsonObject existing)
            {
                Merge(existing, inner);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private StandInResponse Apply(string path, RecordedRequest request)
    {
        // The server would merge and return the live object; echoing the applied one is enough for the client.
        var applied = JsonNode.Parse(request.Body)!.AsObject();
        _objects[path] = applied;
        return new StandInResponse(200, applied.ToJsonString());
    }

    private StandInResponse Log(string path, RecordedRequest request)
    {
        // /api/v1/namespaces/{ns}/pods/{pod}/log
        var segments = path.Split('/');
        var query = request.QueryParameters.ToDictionary(p => p.Key, p => p.Value);
        var key = $"{segments[4]}/{segments[6]}/{query.GetValueOrDefault("container")}/{query.GetValueOrDefault("previous") == "true"}";
        if (!_logs.TryGetValue(key, out var text))
        {
            return NotFound(path);
        }

        if (query.TryGetValue("tailLines", out var tail))
        {
            var lines = text.TrimEnd('\n').Split('\n');
            text = string.Join('\n', lines.TakeLast(int.Parse(tail, System.Globalization.CultureInfo.InvariantCulture))) + "\n";
        }

        return new StandInResponse(200, text, "text/plain");
    }

    private JsonObject PodList(string path, RecordedRequest request)
    {
        var prefix = path == "/api/v1/pods" ? "/api/v1/namespaces/" : path + "/";
        var selector = request.QueryParameters.FirstOrDefault(p => p.Key == "labelSelector").Value;
        var wanted = string.IsNullOrEmpty(selector)
            ? []
            : selector.Split(',').Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var items = _objects
            .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && o.Value["kind"]?.GetValue<string>() == "Pod")
            .Where(o => wanted.All(w => o.Value["metadata"]?["labels"]?[w.Key]?.GetValue<string>() == w.Value))
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => o.Value.DeepClone())
            .ToArray();
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PodList",
            ["metadata"] = new JsonObject { ["resourceVersion"] = "1000" },
            ["items"] = new JsonArray(items),
        };
    }

    /// <summary>
    /// OpenAPI v3 just deep enough for kubectl's check that PATCH takes fieldValidation (the root lists each
    /// group/version; its document has one PATCH path per kind, tagged x-kubernetes-group-version-kind):
    /// without it `kubectl apply --validate=strict` refuses to send anything.
    /// </summary>
    private static JsonObject? OpenApi(string path)
    {
        if (path == "/openapi/v3")
        {
            return new JsonObject
            {
                ["paths"] = new JsonObject(Discovery.Select(d =>
                {
                    var relative = d.GroupVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{d.GroupVersion}" : $"api/{d.GroupVersion}";
                    return KeyValuePair.Create(relative, (JsonNode?)new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{relative}?hash=0" });
                })),
            };
        }

        if (!path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            return null;
        }

        var groupVersion = path["/openapi/v3/".Length..].Split('/', 2)[1];
        if (Discovery.FirstOrDefault(d => d.GroupVersion == groupVersion) is not { Resources: { } resources })
        {
            return null;
        }

        var group = groupVersion.Contains('/', StringComparison.Ordinal) ? groupVersion.Split('/')[0] : string.Empty;
        var version = groupVersion.Split('/')[^1];
        var paths = new JsonObject();
        foreach (var (name, kind, namespaced) in resources.Where(r => !r.Name.Contains('/', StringComparison.Ordinal)))
        {
            var prefix = group.Length == 0 ? "/api/v1" : $"/apis/{groupVersion}";
            paths[$"{prefix}{(namespaced ? "/namespaces/{namespace}" : string.Empty)}/{name}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version },
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "force", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "boolean" } }),
                },
            };
        }

        return new JsonObject { ["openapi"] = "3.0.0", ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.36.0" }, ["paths"] = paths };
    }

    private static JsonObject? DiscoveryDocument(string path)
    {
        if (path == "/api")
        {
            return new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "172.18.0.2:6443" }),
            };
        }

        if (path == "/apis")
        {
            var groups = Discovery.Where(d => d.GroupVersion.Contains('/', StringComparison.Ordinal)).Select(d =>
            {
                var (group, version) = (d.GroupVersion.Split('/')[0], d.GroupVersion.Split('/')[1]);
                var versionNode = new JsonObject { ["groupVersion"] = d.GroupVersion, ["version"] = version };
                return (JsonNode)new JsonObject { ["name"] = group, ["versions"] = new JsonArray(versionNode), ["preferredVersion"] = versionNode.DeepClone() };
            });
            return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray([.. groups]) };
        }

        var groupVersion = path.StartsWith("/api/", StringComparison.Ordinal) ? path[5..] : path.StartsWith("/apis/", StringComparison.Ordinal) ? path[6..] : null;
        if (groupVersion is null || Discovery.FirstOrDefault(d => d.GroupVersion == groupVersion) is not { Resources: { } resources })
        {
            return null;
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["singularName"] = r.Name.Contains('/', StringComparison.Ordinal) ? string.Empty : r.Kind.ToLowerInvariant(),
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = r.Name.Contains('/', StringComparison.Ordinal)
                    ? new JsonArray("get")
                    : new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            })]),
        };
    }

    private static StandInResponse NotFound(string path) => new(404, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = $"the server could not find the requested resource ({path})",
        ["reason"] = "NotFound",
        ["code"] = 404,
    }.ToJsonString());
}
