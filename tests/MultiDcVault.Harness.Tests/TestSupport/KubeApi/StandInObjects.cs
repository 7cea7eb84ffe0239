namespace MultiDcVault.Harness.Tests.TestSupport.KubeApi;

/// <summary>Objects shaped after the Kubernetes API reference (core/v1 Pod, Service, Secret; apps/v1 StatefulSet; the Bank-Vaults Vault CR).</summary>
internal static class StandInObjects
{
    public static string Pod(string name, string @namespace = "default", bool ready = true, string? uid = null, string? deletionTimestamp = null, string labels = """{"app.kubernetes.io/name":"vault","vault_cr":"vault-primary"}""") => """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"@NAME","namespace":"@NS","uid":"@UID",@DELETION"labels":@LABELS},
         "spec":{"containers":[{"name":"vault","image":"hashicorp/vault:1.21.1"},{"name":"bank-vaults","image":"ghcr.io/bank-vaults/bank-vaults:v1.32.0"}]},
         "status":{"phase":"Running","podIP":"10.244.0.7","conditions":[{"type":"Ready","status":"@READY"}],
           "containerStatuses":[{"name":"vault","ready":@BOOL,"restartCount":1,"image":"hashicorp/vault:1.21.1","imageID":"","started":true,"state":{}}]}}
        """
        .Replace("@NAME", name).Replace("@NS", @namespace).Replace("@UID", uid ?? "7c1f3a9e-0d2b-4b8e-9f61-3a2c5d4e6f70")
        .Replace("@DELETION", deletionTimestamp is null ? string.Empty : $"\"deletionTimestamp\":\"{deletionTimestamp}\",")
        .Replace("@LABELS", labels).Replace("@READY", ready ? "True" : "False").Replace("@BOOL", ready ? "true" : "false");

    public static string Service(string name, string? ingressIp, string @namespace = "default") => """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"@NAME","namespace":"@NS"},
         "spec":{"type":"LoadBalancer","clusterIP":"10.96.12.34","ports":[{"name":"api-port","port":8200,"protocol":"TCP","targetPort":8200,"nodePort":31820}]},
         "status":{"loadBalancer":@LB}}
        """
        .Replace("@NAME", name).Replace("@NS", @namespace)
        .Replace("@LB", ingressIp is null ? "{}" : """{"ingress":[{"ip":"@IP","ipMode":"VIP"}]}""".Replace("@IP", ingressIp));

    // data values are base64 of "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n" and "server".
    public static string TlsSecret(string name, string @namespace = "default") => """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"@NAME","namespace":"@NS"},"type":"Opaque",
         "data":{"ca.crt":"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNBCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K","server.crt":"c2VydmVy"}}
        """.Replace("@NAME", name).Replace("@NS", @namespace);

    public static string StatefulSet(string name, int replicas, int ready, string @namespace = "default") => """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"@NAME","namespace":"@NS"},
         "spec":{"replicas":@REPLICAS,"serviceName":"@NAME","selector":{"matchLabels":{"vault_cr":"@NAME"}},"template":{"metadata":{},"spec":{"containers":[]}}},
         "status":{"replicas":@REPLICAS,"readyReplicas":@READY,"availableReplicas":@READY}}
        """.Replace("@NAME", name).Replace("@NS", @namespace).Replace("@REPLICAS", $"{replicas}").Replace("@READY", $"{ready}");

    public static string Deployment(string name, string @namespace, bool available) => """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"@NAME","namespace":"@NS","generation":1},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"metallb","component":"@NAME"}},"template":{"metadata":{"labels":{"app":"metallb","component":"@NAME"}},"spec":{"containers":[]}}},
         "status":{"observedGeneration":1,"replicas":1,"readyReplicas":@READY,"availableReplicas":@READY,
           "conditions":[{"type":"Available","status":"@AVAILABLE","reason":"@REASON","message":"Deployment @AVAILABLEWORD minimum availability."},
                         {"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}}
        """.Replace("@NAME", name).Replace("@NS", @namespace).Replace("@READY", available ? "1" : "0").Replace("@AVAILABLEWORD", available ? "has" : "does not have")
        .Replace("@AVAILABLE", available ? "True" : "False").Replace("@REASON", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable");

    /// <summary>A meta/v1 Status failure body, as the API server sends it with a 4xx/5xx (NotFound 404, Conflict 409, Invalid 422, InternalError 500).</summary>
    public static string Status(int code, string reason, string message) => new System.Text.Json.Nodes.JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    }.ToJsonString();

    public static string Vault(string name, string @namespace = "default") => """
        {"apiVersion":"vault.banzaicloud.com/v1alpha1","kind":"Vault","metadata":{"name":"@NAME","namespace":"@NS"},
         "spec":{"size":3,"image":"hashicorp/vault:1.21.1"},
         "status":{"nodes":["@NAME-0","@NAME-1","@NAME-2"],"leader":"@NAME-0","conditions":[{"type":"Healthy","status":"True"}]}}
        """.Replace("@NAME", name).Replace("@NS", @namespace);
}
