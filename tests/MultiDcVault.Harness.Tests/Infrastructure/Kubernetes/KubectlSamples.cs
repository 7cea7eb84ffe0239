namespace MultiDcVault.Harness.Tests.Infrastructure.Kubernetes;

/// <summary>kubectl -o json output shaped like a real kind cluster's (trimmed to representative fields).</summary>
internal static class KubectlSamples
{
    public const string TlsSecret = """
        {
            "apiVersion": "v1",
            "data": {
                "ca.crt": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUNBRENDQWFhZ0F3SUJBZ0lRYzJ0dQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==",
                "server.crt": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUNLVENDQWM2Z0F3SUJBZ0lRVDNk\nLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
                "server.key": "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJzZWNyZXRrZXkKLS0tLS1FTkQgRUMgUFJJVkFURSBLRVktLS0tLQo="
            },
            "kind": "Secret",
            "metadata": {
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration": "{\"apiVersion\":\"v1\",\"kind\":\"Secret\"}\n",
                    "vault.banzaicloud.com/tls-expiration-date": "2026-11-02T10:15:42Z"
                },
                "creationTimestamp": "2025-11-02T10:15:42Z",
                "labels": {
                    "app.kubernetes.io/name": "vault",
                    "vault_cr": "vault-primary"
                },
                "managedFields": [
                    {
                        "apiVersion": "v1",
                        "fieldsType": "FieldsV1",
                        "fieldsV1": { "f:data": { ".": {}, "f:ca.crt": {} } },
                        "manager": "vault-operator",
                        "operation": "Update",
                        "time": "2025-11-02T10:15:42Z"
                    }
                ],
                "name": "vault-primary-tls",
                "namespace": "default",
                "ownerReferences": [
                    {
                        "apiVersion": "vault.banzaicloud.com/v1alpha1",
                        "controller": true,
                        "kind": "Vault",
                        "name": "vault-primary",
                        "uid": "5d0c9a36-8f7e-4c47-9d0c-2f1f6f2b9e11"
                    }
                ],
                "resourceVersion": "1342",
                "uid": "0b3f3a4e-2c1d-4c5e-8f9a-7d6e5c4b3a21"
            },
            "type": "Opaque"
        }
        """;

    public const string PendingService = """
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": { "name": "vault-primary", "namespace": "default", "uid": "a1" },
            "spec": {
                "clusterIP": "10.96.120.7",
                "ports": [ { "name": "api-port", "port": 8200, "protocol": "TCP", "targetPort": 8200, "nodePort": 31820 } ],
                "type": "LoadBalancer"
            },
            "status": { "loadBalancer": {} }
        }
        """;

    public const string ServiceWithIp = """
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": { "name": "vault-primary", "namespace": "default" },
            "spec": { "clusterIP": "10.96.120.7", "type": "LoadBalancer", "ports": [ { "name": "api-port", "port": 8200, "protocol": "TCP", "targetPort": "api-port" } ] },
            "status": { "loadBalancer": { "ingress": [ { "ip": "172.18.255.200", "ipMode": "VIP" } ] } }
        }
        """;

    public const string VaultCr = """
        {
            "apiVersion": "vault.banzaicloud.com/v1alpha1",
            "kind": "Vault",
            "metadata": { "name": "vault-primary", "namespace": "default", "generation": 2 },
            "spec": { "size": 1, "image": "hashicorp/vault:1.21.1" },
            "status": {
                "conditions": [ { "status": "True", "type": "Healthy" } ],
                "leader": "vault-primary-0",
                "nodes": [ "vault-primary-0" ]
            }
        }
        """;

    public static string PodList(params (string Name, bool Ready)[] pods) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + string.Join(',', pods.Select(p =>
            $$$"""
            {"metadata":{"name":"{{{p.Name}}}","namespace":"metallb-system","labels":{"app":"metallb"}},
             "status":{"phase":"Running","podIP":"10.244.0.5",
                       "conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"{{{(p.Ready ? "True" : "False")}}}"}],
                       "containerStatuses":[{"name":"speaker","ready":{{{(p.Ready ? "true" : "false")}}},"restartCount":0,"image":"quay.io/metallb/speaker:v0.16.1"}]}}
            """)) + "],\"metadata\":{\"resourceVersion\":\"\"}}";
}
