using System.Net;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Tests.Planning.Manifests;
using PinnedMetalLbManifest = MultiDcVault.Harness.Tests.TestSupport.PinnedMetalLbManifest;
using MultiDcVault.Harness.Tests.TestSupport.KubeApi;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Kubernetes;

/// <summary>
/// Each operation of <see cref="KubernetesApi"/> against the recording stand-in, compared with what the real
/// kubectl sends for the same operation against the same stand-in. Intended differences are asserted where
/// they occur: kubectl's /version probe and discovery are left out of the comparison; its lists add limit=500.
/// </summary>
[Trait("Category", "KubernetesApi")]
public sealed class KubernetesApiTests : IAsyncLifetime
{
    private readonly StandInSession _session = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KubernetesApi Api => _session.Api;

    private KubeTarget Target => _session.Target;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    [Fact]
    public async Task Reads_a_pod_with_the_request_kubectl_get_sends_and_over_the_client_certificate()
    {
        _session.StandIn.Api.Put(StandInObjects.Pod("vault-primary-0", ready: false, deletionTimestamp: "2026-12-02T05:40:31Z"));

        var ours = await _session.RecordAsync(async () =>
        {
            var pod = await Api.TryGetPodAsync(Target, "default", "vault-primary-0", Ct);
            pod!.Metadata.Uid.Should().Be("7c1f3a9e-0d2b-4b8e-9f61-3a2c5d4e6f70");
            pod.IsReady().Should().BeFalse();
            pod.Metadata.DeletionTimestamp.Should().NotBeNull();
        });
        var kubectl = await _session.KubectlAsync(Ct, null, "get", "pod", "vault-primary-0", "--namespace", "default", "-o", "json");

        SameOperations(ours, kubectl);
        ours.Should().OnlyContain(r => r.ClientCertificateVerified, "kind's API server authenticates the admin by its client certificate");
        (await Api.TryGetPodAsync(Target, "default", "vault-primary-9", Ct)).Should().BeNull("NotFound is absence, not an error");
    }

    [Fact]
    public async Task Lists_pods_by_selector_in_a_namespace_and_in_all_like_kubectl_but_without_paging()
    {
        _session.StandIn.Api.Put(StandInObjects.Pod("speaker-a", "metallb-system", labels: """{"app":"metallb","component":"speaker"}"""));
        _session.StandIn.Api.Put(StandInObjects.Pod("controller-b", "metallb-system", labels: """{"app":"metallb","component":"controller"}"""));

        var ours = await _session.RecordAsync(async () =>
        {
            var pods = await Api.WaitForPodsReadyAsync(Target, "metallb-system", "app=metallb,component=speaker", TimeSpan.FromSeconds(5), Ct);
            pods.Select(p => p.Metadata.Name).Should().Equal("speaker-a");
            (await Api.ListPodsAsync(Target, null, "app=metallb", Ct)).Items.Should().HaveCount(2);
        });
        var kubectl = (await _session.KubectlAsync(Ct, null, "get", "pods", "--namespace", "metallb-system", "--selector", "app=metallb,component=speaker", "-o", "json"))
            .Concat(await _session.KubectlAsync(Ct, null, "get", "pods", "--all-namespaces", "--selector", "app=metallb", "-o", "json")).ToList();

        // Intended differences: kubectl pages lists (limit=500), the harness's lists are a handful of pods;
        // KubernetesClient always says watch=false on a list, which is the server's default.
        var kubectlWithoutPaging = kubectl.Select(r => r with { Query = r.Query.Replace("&limit=500", string.Empty, StringComparison.Ordinal) }).ToList();
        var oursWithoutWatch = ours.Select(r => r with { Query = r.Query.Replace("&watch=false", string.Empty, StringComparison.Ordinal) }).ToList();
        kubectl.Where(r => !StandInSession.IsDiscovery(r)).Should().OnlyContain(r => r.Query.Contains("limit=500"));
        ours.Should().OnlyContain(r => r.Query.EndsWith("&watch=false", StringComparison.Ordinal));
        SameOperations(oursWithoutWatch, kubectlWithoutPaging);
    }

    [Fact]
    public async Task Waits_for_the_load_balancer_ip_while_the_service_is_absent_then_pending()
    {
        var reads = 0;
        _session.StandIn.Api.Override = r => r.Path == "/api/v1/namespaces/default/services/vault-primary"
            ? Interlocked.Increment(ref reads) switch
            {
                1 => null, // absent: the operator has not created it yet
                2 => new StandInResponse(200, StandInObjects.Service("vault-primary", null)),
                _ => new StandInResponse(200, StandInObjects.Service("vault-primary", "172.18.255.200")),
            }
            : null;

        var ours = await _session.RecordAsync(async () =>
            (await Api.WaitForLoadBalancerIpAsync(Target, "default", "vault-primary", TimeSpan.FromSeconds(10), Ct)).Should().Be("172.18.255.200"));
        var kubectl = await _session.KubectlAsync(Ct, null, "get", "service", "vault-primary", "--namespace", "default", "-o", "json");

        ours.Should().HaveCount(3);
        SameOperations([ours[^1]], kubectl);
    }

    [Fact]
    public async Task A_load_balancer_ip_that_never_comes_is_a_timeout_naming_the_service_and_what_was_seen()
    {
        _session.StandIn.Api.Put(StandInObjects.Service("vault-primary", null));

        var act = () => Api.WaitForLoadBalancerIpAsync(Target, "default", "vault-primary", TimeSpan.FromMilliseconds(100), Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).WithMessage("*default/vault-primary*type LoadBalancer, no ingress IP*IPAddressPool*");
    }

    [Fact]
    public async Task Reads_a_secret_decoded_and_a_statefulset_like_kubectl_get()
    {
        _session.StandIn.Api.Put(StandInObjects.TlsSecret("vault-primary-tls"));
        _session.StandIn.Api.Put(StandInObjects.StatefulSet("vault-primary", replicas: 3, ready: 2));

        var ours = await _session.RecordAsync(async () =>
        {
            var secret = await Api.GetSecretAsync(Target, "default", "vault-primary-tls", Ct);
            secret.GetString("ca.crt").Should().Be("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
            var set = await Api.TryGetStatefulSetAsync(Target, "default", "vault-primary", Ct);
            set!.Status.ReadyReplicas.Should().Be(2);
        });
        var kubectl = (await _session.KubectlAsync(Ct, null, "get", "secret", "vault-primary-tls", "--namespace", "default", "-o", "json"))
            .Concat(await _session.KubectlAsync(Ct, null, "get", "statefulset", "vault-primary", "--namespace", "default", "-o", "json")).ToList();

        SameOperations(ours, kubectl);
        var missing = () => Api.GetSecretAsync(Target, "default", "nope", Ct);
        (await missing.Should().ThrowAsync<KubernetesApiException>()).Which.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reads_the_vault_resource_status_like_kubectl_get_vaults()
    {
        _session.StandIn.Api.Put(StandInObjects.Vault("vault-primary"));

        var ours = await _session.RecordAsync(async () =>
        {
            var vault = await Api.TryGetVaultAsync(Target, "default", "vault-primary", Ct);
            vault!.Status!.Leader.Should().Be("vault-primary-0");
            vault.Status.Nodes.Should().HaveCount(3);
            vault.Status.IsHealthy.Should().BeTrue();
        });
        var kubectl = await _session.KubectlAsync(Ct, null, "get", "vaults.vault.banzaicloud.com", "vault-primary", "--namespace", "default", "-o", "json");

        SameOperations(ours, kubectl);
        (await Api.TryGetVaultAsync(Target, "default", "vault-other", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Deletes_a_pod_without_waiting_with_kubectls_request_and_body()
    {
        _session.StandIn.Api.Put(StandInObjects.Pod("vault-primary-0"));
        var ours = await _session.RecordAsync(() => Api.DeletePodAsync(Target, "default", "vault-primary-0", Ct));
        _session.StandIn.Api.Put(StandInObjects.Pod("vault-primary-0"));
        var kubectl = await _session.KubectlAsync(Ct, null, "delete", "--namespace", "default", "pod/vault-primary-0", "--ignore-not-found", "--wait=false");

        SameOperations(ours, kubectl, compareBodies: true);

        // Absent is fine, as with --ignore-not-found.
        await Api.DeletePodAsync(Target, "default", "vault-primary-0", Ct);
    }

    [Fact]
    public async Task Reads_pod_logs_of_a_container_with_tail_and_previous_like_kubectl_logs()
    {
        _session.StandIn.Api.Put(StandInObjects.Pod("vault-primary-0"));
        _session.StandIn.Api.PutLog("default", "vault-primary-0", "vault", previous: false, "one\ntwo\nthree\n");
        _session.StandIn.Api.PutLog("default", "vault-primary-0", "vault", previous: true, "crashed\n");

        var ours = await _session.RecordAsync(async () =>
        {
            (await Api.LogsAsync(Target, "default", "vault-primary-0", "vault", tail: 2, Ct)).Should().Be("two\nthree\n");
            (await Api.LogsAsync(Target, "default", "vault-primary-0", "vault", tail: null, Ct, previous: true)).Should().Be("crashed\n");
        });
        var kubectl = (await _session.KubectlAsync(Ct, null, "logs", "--namespace", "default", "vault-primary-0", "--container", "vault", "--tail=2"))
            .Concat(await _session.KubectlAsync(Ct, null, "logs", "--namespace", "default", "vault-primary-0", "--container", "vault", "--previous")).ToList();

        // Intended difference: kubectl first reads the pod to check the container name; the harness names it and lets the server check.
        var kubectlLogs = kubectl.Where(r => r.Path.EndsWith("/log", StringComparison.Ordinal)).ToList();
        kubectl.Where(r => !StandInSession.IsDiscovery(r) && !r.Path.EndsWith("/log", StringComparison.Ordinal))
            .Should().OnlyContain(r => r.Method == "GET" && r.Path == "/api/v1/namespaces/default/pods/vault-primary-0");
        SameOperations(ours, kubectlLogs);
    }

    // The manifest kinds the harness applies: RBAC, a MetalLB pool and L2Advertisement, a Vault CR, the follower CA
    // Secret; quoted scalars ("8200", "true") must stay strings, plain ones become numbers and booleans.
    private const string Manifest = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: vault
          namespace: default
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: vault-auth-delegator
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: system:auth-delegator
        subjects:
        - kind: ServiceAccount
          name: vault
          namespace: default
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata:
          name: multidc-pool
          namespace: metallb-system
        spec:
          addresses:
          - 172.18.255.200-172.18.255.250
          autoAssign: true
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata:
          name: multidc-l2
          namespace: metallb-system
        spec:
          ipAddressPools: [multidc-pool]
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: vault-leader-ca
          namespace: default
        type: Opaque
        stringData:
          port: "8200"
          enabled: "true"
          ca.crt: |
            -----BEGIN CERTIFICATE-----
            CA
            -----END CERTIFICATE-----
        ---
        apiVersion: vault.banzaicloud.com/v1alpha1
        kind: Vault
        metadata:
          name: vault-primary
          namespace: default
        spec:
          size: 3
          image: hashicorp/vault:1.21.1
          config:
            ui: false
            listener:
              tcp:
                address: "0.0.0.0:8200"
            api_addr: https://vault-primary.default:8200
            disable_mlock: true
          annotations:
            ratio: "1.5"
          unsealConfig:
            options:
              preFlightChecks: true
        """;

    [Fact]
    public async Task Applies_server_side_with_kubectls_patches_after_one_discovery_per_group_version()
    {
        var ours = await _session.RecordAsync(() => Api.ApplyAsync(Target, Manifest, Ct));
        var again = await _session.RecordAsync(() => Api.ApplyAsync(Target, Manifest, Ct));
        var kubectl = await _session.KubectlAsync(Ct, Manifest, "apply", "--server-side", "--field-manager=multidc", "--force-conflicts", "--validate=strict", "-f", "-");

        SameOperations(ours, kubectl, compareBodies: true);
        StandInSession.Operations(ours).Should().HaveCount(6).And.OnlyContain(r =>
            r.Method == "PATCH" && r.ContentType == "application/apply-patch+yaml" &&
            r.Query == "?fieldManager=multidc&fieldValidation=Strict&force=true");
        var secret = System.Text.Json.Nodes.JsonNode.Parse(StandInSession.Operations(ours)[4].Body)!;
        secret["stringData"]!["port"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.String);
        secret["stringData"]!["enabled"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.String);
        var vault = System.Text.Json.Nodes.JsonNode.Parse(StandInSession.Operations(ours)[5].Body)!;
        vault["spec"]!["size"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        vault["spec"]!["config"]!["disable_mlock"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.True);

        // Intended difference: the harness looks up each group/version's resources itself, once per client;
        // kubectl reads the aggregated /api and /apis and, for --validate=strict, OpenAPI v3.
        ours.Where(StandInSession.IsDiscovery).Select(r => r.Path).Should().Equal(
            "/api/v1", "/apis/rbac.authorization.k8s.io/v1", "/apis/metallb.io/v1beta1", "/apis/vault.banzaicloud.com/v1alpha1");
        again.Where(StandInSession.IsDiscovery).Should().BeEmpty();
        kubectl.Where(StandInSession.IsDiscovery).Should().Contain(r => r.Path.StartsWith("/openapi/v3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Applies_the_rendered_rbac_vault_cr_and_follower_ca_secret_like_kubectl_apply_server_side()
    {
        // What VaultDeployer applies: RBAC, the Vault CR (its body carries the central Vault token) and the follower's CA Secret.
        var plan = ManifestTestData.Plan();
        var renderer = new ManifestRenderer();
        string[] manifests =
        [
            renderer.RenderRbac(plan).Content,
            renderer.RenderVault(plan, ManifestTestData.Follower(plan), ManifestTestData.KnownValues()).Content,
            renderer.RenderRaftCaSecret(plan, "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n").Content,
        ];

        foreach (var manifest in manifests)
        {
            var ours = await _session.RecordAsync(() => Api.ApplyAsync(Target, manifest, Ct));
            var kubectl = await _session.KubectlAsync(Ct, manifest, "apply", "--server-side", "--field-manager=multidc", "--force-conflicts", "--validate=strict", "-f", "-");

            SameOperations(ours, kubectl, compareBodies: true);
            StandInSession.Operations(ours).Should().NotBeEmpty().And.OnlyContain(r =>
                r.Method == "PATCH" && r.ContentType == "application/apply-patch+yaml" && r.Query == "?fieldManager=multidc&fieldValidation=Strict&force=true");
            StandInSession.Operations(ours).Should().OnlyContain(r => !r.Path.Contains(ManifestTestData.Token, StringComparison.Ordinal) && !r.Query.Contains(ManifestTestData.Token, StringComparison.Ordinal),
                "a token travels only in the body");
        }
    }

    [Fact]
    public async Task Applies_the_pinned_metallb_native_manifest_file_like_kubectl_apply_server_side_f()
    {
        Assert.SkipWhen(PinnedMetalLbManifest.Path is null, PinnedMetalLbManifest.MissingReason);
        var path = PinnedMetalLbManifest.Path!;

        var ours = await _session.RecordAsync(() => Api.ApplyFileAsync(Target, path, Ct));
        var kubectl = await _session.KubectlAsync(Ct, null, "apply", "--server-side", "--field-manager=multidc", "--force-conflicts", "-f", path);

        // CRDs, namespace, RBAC, the webhook Secret and Service, the controller Deployment, the speaker DaemonSet, the webhook configuration.
        SameOperations(ours, kubectl, compareBodies: true);
        var patches = StandInSession.Operations(ours);
        patches.Should().HaveCountGreaterThan(20).And.OnlyContain(r =>
            r.Method == "PATCH" && r.ContentType == "application/apply-patch+yaml" && r.Query == "?fieldManager=multidc&fieldValidation=Strict&force=true");
        patches.Should().Contain(r => r.Path == "/apis/apps/v1/namespaces/metallb-system/deployments/controller")
            .And.Contain(r => r.Path == "/apis/apps/v1/namespaces/metallb-system/daemonsets/speaker")
            .And.Contain(r => r.Path == "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ipaddresspools.metallb.io");
    }

    [Fact]
    public async Task Waits_for_the_controller_deployment_to_be_available_with_the_read_kubectl_get_sends()
    {
        var reads = 0;
        _session.StandIn.Api.Override = r => r.Path == "/apis/apps/v1/namespaces/metallb-system/deployments/controller"
            ? Interlocked.Increment(ref reads) switch
            {
                1 => new StandInResponse(404, StandInObjects.Status(404, "NotFound", "deployments.apps \"controller\" not found")),
                2 => new StandInResponse(200, StandInObjects.Deployment("controller", "metallb-system", available: false)),
                _ => new StandInResponse(200, StandInObjects.Deployment("controller", "metallb-system", available: true)),
            }
            : null;

        var ours = await _session.RecordAsync(() => Api.WaitForDeploymentAvailableAsync(Target, "metallb-system", "controller", TimeSpan.FromSeconds(10), Ct));
        var kubectl = await _session.KubectlAsync(Ct, null, "get", "deployment", "controller", "--namespace", "metallb-system", "-o", "json");

        ours.Should().HaveCount(3, "absent and not yet Available are both waited out");
        SameOperations([ours[^1]], kubectl);
    }

    [Fact]
    public async Task A_deployment_that_never_becomes_available_is_a_timeout_naming_it_and_its_condition()
    {
        _session.StandIn.Api.Put(StandInObjects.Deployment("controller", "metallb-system", available: false));

        var act = () => Api.WaitForDeploymentAvailableAsync(Target, "metallb-system", "controller", TimeSpan.FromMilliseconds(200), Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).WithMessage("*metallb-system/controller*Available=False*minimum availability*");
    }

    [Fact]
    public async Task A_wait_rides_out_a_busy_api_server_and_still_succeeds()
    {
        // Right after cluster creation the API server may answer 503 or 429 for a while.
        _session.StandIn.Api.Put(StandInObjects.Deployment("controller", "metallb-system", available: true));
        var refusals = 0;
        _session.StandIn.Api.Override = r => r.Method == "GET" && r.Path.EndsWith("/deployments/controller", StringComparison.Ordinal) && Interlocked.Increment(ref refusals) <= 2
            ? new StandInResponse(503, StandInObjects.Status(503, "ServiceUnavailable", "the server is currently unable to handle the request"))
            : null;

        await Api.WaitForDeploymentAvailableAsync(Target, "metallb-system", "controller", TimeSpan.FromSeconds(10), Ct);

        refusals.Should().BeGreaterThan(2, "the 503 answers were polled past");
    }

    [Fact]
    public async Task A_wait_that_only_meets_a_failing_api_server_times_out_naming_the_last_failure()
    {
        _session.StandIn.Api.Override = r => r.Method == "GET" && r.Path.EndsWith("/deployments/controller", StringComparison.Ordinal)
            ? new StandInResponse(503, StandInObjects.Status(503, "ServiceUnavailable", "the server is currently unable to handle the request"))
            : null;

        var act = () => Api.WaitForDeploymentAvailableAsync(Target, "metallb-system", "controller", TimeSpan.FromMilliseconds(300), Ct);

        (await act.Should().ThrowAsync<TimeoutException>()).WithMessage("*metallb-system/controller*last read failed*unable to handle the request*");
    }

    [Fact]
    public async Task A_group_not_served_yet_after_its_crds_were_applied_is_looked_up_again_until_it_is()
    {
        // The API server serves a CRD's group/version only once the CRD is Established, a moment after it was applied.
        var lookups = 0;
        _session.StandIn.Api.Override = r => r.Method == "GET" && r.Path == "/apis/metallb.io/v1beta1" && Interlocked.Increment(ref lookups) <= 2
            ? new StandInResponse(404, StandInObjects.Status(404, "NotFound", "the server could not find the requested resource"))
            : null;
        const string pool = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: multidc-pool\n  namespace: metallb-system\nspec:\n  addresses: [172.18.255.200-172.18.255.250]\n";

        var ours = await _session.RecordAsync(() => Api.ApplyAsync(Target, pool, Ct));

        ours.Where(StandInSession.IsDiscovery).Select(r => r.Path).Should().Equal("/apis/metallb.io/v1beta1", "/apis/metallb.io/v1beta1", "/apis/metallb.io/v1beta1");
        StandInSession.Operations(ours).Should().ContainSingle().Which.Path.Should().Be("/apis/metallb.io/v1beta1/namespaces/metallb-system/ipaddresspools/multidc-pool");
    }

    [Fact]
    public async Task A_refused_apply_names_the_object_and_carries_the_servers_message()
    {
        _session.StandIn.Api.Override = r => r.Method == "PATCH" && r.Path.Contains("ipaddresspools", StringComparison.Ordinal)
            ? new StandInResponse(500, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Internal error occurred: failed calling webhook \"ipaddresspoolvalidationwebhook.metallb.io\": no endpoints available for service \"metallb-webhook-service\"","reason":"InternalError","code":500}""")
            : null;

        var act = () => Api.ApplyAsync(Target, Manifest, Ct);

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        error.Status.Should().Be(HttpStatusCode.InternalServerError);
        error.ServerMessage.Should().Contain("failed calling webhook").And.Contain("no endpoints available");
        error.Message.Should().Contain("IPAddressPool metallb-system/multidc-pool");
    }

    [Fact]
    public async Task A_kind_the_server_does_not_serve_is_a_clear_error_before_any_patch()
    {
        var act = () => Api.ApplyAsync(Target, "apiVersion: metallb.io/v1beta1\nkind: BGPPeer\nmetadata:\n  name: x\n  namespace: metallb-system\n", Ct);

        (await act.Should().ThrowAsync<KubernetesApiException>()).WithMessage("*no kind BGPPeer in metallb.io/v1beta1*");
        _session.StandIn.Requests.Should().NotContain(r => r.Method == "PATCH");
    }

    [Fact]
    public async Task A_request_the_api_server_does_not_answer_in_time_is_a_timeout_naming_the_operation_and_a_cancel_stays_a_cancel()
    {
        _session.StandIn.Api.Put(StandInObjects.Pod("vault-primary-0"));
        _session.StandIn.Api.Override = r => r.Method is "GET" or "PATCH" && (r.Path.EndsWith("/pods/vault-primary-0", StringComparison.Ordinal) || r.Path.EndsWith("/secrets/vault-leader-ca", StringComparison.Ordinal))
            ? new StandInResponse(200, StandInObjects.Pod("vault-primary-0")) { Delay = TimeSpan.FromSeconds(20) }
            : null;
        using var api = new KubernetesApi(new KubernetesApiOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var read = () => api.TryGetPodAsync(Target, "default", "vault-primary-0", Ct);
        var apply = () => api.ApplyAsync(Target, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: vault-leader-ca\n  namespace: default\n", Ct);

        (await read.Should().ThrowAsync<TimeoutException>()).WithMessage("get pod default/vault-primary-0 in *: the API server did not answer within 00:00:00.3*");
        (await apply.Should().ThrowAsync<TimeoutException>()).WithMessage("apply Secret default/vault-leader-ca in *: the API server did not answer within 00:00:00.3*");

        using var patient = new KubernetesApi(new KubernetesApiOptions { RequestTimeout = TimeSpan.FromMinutes(1) });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        caller.CancelAfter(TimeSpan.FromMilliseconds(200));
        var cancelled = () => patient.TryGetPodAsync(Target, "default", "vault-primary-0", caller.Token);
        (await cancelled.Should().ThrowAsync<OperationCanceledException>()).Which.Should().NotBeOfType<TimeoutException>();
    }

    [Fact]
    public async Task A_forbidden_read_is_not_absence_and_its_inner_exception_carries_the_status_message()
    {
        const string Message = "secrets \"vault-primary-tls\" is forbidden: User \"kind-admin\" cannot get resource \"secrets\" in API group \"\" in the namespace \"default\"";
        _session.StandIn.Api.Override = r => r.Path == "/api/v1/namespaces/default/secrets/vault-primary-tls"
            ? new StandInResponse(403, StandInObjects.Status(403, "Forbidden", Message))
            : null;

        var act = () => Api.TryGetSecretAsync(Target, "default", "vault-primary-tls", Ct);

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        error.Status.Should().Be(HttpStatusCode.Forbidden);
        error.ServerMessage.Should().Be(Message);
        error.Message.Should().Contain("get secret default/vault-primary-tls").And.Contain(Message);
        var inner = error.InnerException.Should().BeOfType<HttpRequestException>().Subject;
        inner.Message.Should().Be(Message);
        inner.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(422, "Invalid", "IPAddressPool.metallb.io \"multidc-pool\" is invalid: [spec.adresses: Invalid value: \"172.18.255.200-172.18.255.250\": field not declared in schema]")]
    [InlineData(409, "Conflict", "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using metallb.io/v1beta1: .spec.addresses")]
    public async Task A_refused_apply_carries_the_status_message_in_the_exception_and_its_inner(int code, string reason, string message)
    {
        _session.StandIn.Api.Override = r => r.Method == "PATCH" ? new StandInResponse(code, StandInObjects.Status(code, reason, message)) : null;
        const string Pool = "apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: multidc-pool\n  namespace: metallb-system\nspec:\n  adresses: [172.18.255.200-172.18.255.250]\n";

        var act = () => Api.ApplyAsync(Target, Pool, Ct);

        var error = (await act.Should().ThrowAsync<KubernetesApiException>()).Which;
        ((int)error.Status).Should().Be(code);
        error.ServerMessage.Should().Be(message);
        error.Message.Should().StartWith("apply IPAddressPool metallb-system/multidc-pool in ");
        error.InnerException.Should().BeOfType<HttpRequestException>().Which.Message.Should().Be(message);
    }

    [Fact]
    public async Task A_cancelled_apply_does_not_cancel_the_discovery_a_concurrent_apply_shares()
    {
        // The lookup answers late (an APIResourceList as the API reference shapes it), so the first apply is cancelled while it waits.
        const string Resources = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metallb.io/v1beta1","resources":[
             {"name":"ipaddresspools","singularName":"ipaddresspool","namespaced":true,"kind":"IPAddressPool","verbs":["get","list","patch"]},
             {"name":"l2advertisements","singularName":"l2advertisement","namespaced":true,"kind":"L2Advertisement","verbs":["get","list","patch"]}]}
            """;
        _session.StandIn.Api.Override = r => r.Method == "GET" && r.Path == "/apis/metallb.io/v1beta1"
            ? new StandInResponse(200, Resources) { Delay = TimeSpan.FromMilliseconds(600) }
            : null;
        const string Pool = "apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata:\n  name: multidc-l2\n  namespace: metallb-system\n";
        using var first = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        first.CancelAfter(TimeSpan.FromMilliseconds(150));

        var cancelled = Api.ApplyAsync(Target, Pool, first.Token);
        await Task.Delay(50, Ct);
        var concurrent = Api.ApplyAsync(Target, Pool, Ct);

        await cancelled.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        await concurrent; // the shared lookup was not cancelled with the first caller
        _session.StandIn.Requests.Count(r => r.Path == "/apis/metallb.io/v1beta1").Should().Be(1, "one discovery lookup per group/version");
        _session.StandIn.Requests.Count(r => r.Method == "PATCH").Should().Be(1, "the cancelled apply sent nothing");
    }

    private static void SameOperations(IReadOnlyList<RecordedRequest> ours, IReadOnlyList<RecordedRequest> kubectl, bool compareBodies = false)
    {
        var mine = StandInSession.Operations(ours);
        var theirs = StandInSession.Operations(kubectl);
        mine.Select(Shape).Should().Equal(theirs.Select(Shape), "the harness must ask the API server what kubectl asks for the same operation");
        if (compareBodies)
        {
            mine.Zip(theirs).Should().OnlyContain(p => p.First.Body.Length == 0 && p.Second.Body.Length == 0 || StandInSession.SameJson(p.First.Body, p.Second.Body));
        }
    }

    private static string Shape(RecordedRequest r) =>
        $"{r.Method} {r.Path} {string.Join('&', r.QueryParameters.Where(p => p.Key != "timeout").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))} {r.MediaType}";
}
