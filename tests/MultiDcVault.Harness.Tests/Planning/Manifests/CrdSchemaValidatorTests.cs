using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

/// <summary>Rendered manifests against the real upstream CRDs, and the checker's own ability to fail.</summary>
public sealed class CrdSchemaValidatorTests
{
    private const string VaultCrd = "vault.banzaicloud.com_vaults.yaml";
    private const string PoolCrd = "metallb.io_ipaddresspools.yaml";
    private const string AdvertisementCrd = "metallb.io_l2advertisements.yaml";

    private readonly ManifestRenderer _renderer = new();

    public static TheoryData<UnsealMode, int, bool> VaultCases() => new()
    {
        { UnsealMode.Transit, 0, true }, { UnsealMode.Transit, 1, true }, { UnsealMode.Kv, 0, true }, { UnsealMode.Kv, 2, true },
        { UnsealMode.Transit, 1, false }, { UnsealMode.Kv, 1, false },
    };

    [Theory]
    [MemberData(nameof(VaultCases))]
    public void Rendered_vault_crs_satisfy_the_operator_crd(UnsealMode mode, int index, bool knownValues)
    {
        var validator = Load(VaultCrd);
        var plan = Plan(mode);
        var values = knownValues ? KnownValues() : RuntimeValues.Placeholders;

        var violations = validator.Validate(YamlObjects.ParseSingle(_renderer.RenderVault(plan, plan.Clusters[index], values).Content));

        violations.Should().BeEmpty();
    }

    public static TheoryData<UnsealMode, int, bool> ExistingVaultCases() => new()
    {
        { UnsealMode.Transit, 0, true }, { UnsealMode.Transit, 1, true }, { UnsealMode.Transit, 2, false }, { UnsealMode.Kv, 1, false },
    };

    [Theory]
    [MemberData(nameof(ExistingVaultCases))]
    public void Rendered_vault_crs_of_existing_clusters_satisfy_the_operator_crd(UnsealMode mode, int index, bool knownValues)
    {
        var validator = Load(VaultCrd);
        var plan = ExistingPlan(mode);
        var values = knownValues ? ExistingKnownValues() : RuntimeValues.Placeholders with { CentralVaultAddress = plan.Options.CentralVaultAddress };

        var manifests = _renderer.RenderCluster(plan, plan.Clusters[index], values);
        var vault = YamlObjects.ParseSingle(manifests.Single(m => m.FileName == ManifestFileNames.Vault).Content);

        validator.Validate(vault).Should().BeEmpty();
        manifests.Select(m => m.FileName).Should().NotContain([ManifestFileNames.KindConfig, ManifestFileNames.MetalLb]);
    }

    [Fact]
    public void Rendered_metallb_objects_satisfy_the_metallb_crds()
    {
        var pools = Load(PoolCrd);
        var advertisements = Load(AdvertisementCrd);
        var plan = Plan();

        foreach (var cluster in plan.Clusters)
        {
            var docs = YamlObjects.ParseAll(_renderer.RenderMetalLb(plan, cluster).Content).Cast<Dictionary<string, object?>>().ToList();

            pools.Validate(docs.Single(d => Equals(d["kind"], "IPAddressPool"))).Should().BeEmpty();
            advertisements.Validate(docs.Single(d => Equals(d["kind"], "L2Advertisement"))).Should().BeEmpty();
        }
    }

    [Fact]
    public void Unknown_fields_are_rejected_with_their_path_except_where_the_schema_preserves_them()
    {
        var validator = Load(VaultCrd);
        var cr = ValidFollowerCr();
        cr.Spec()["raftLeaderAdress"] = "10.0.0.1";
        cr.Spec().Map("unsealConfig").Map("vault")["tokn"] = "x";
        ((Dictionary<string, object?>)cr.Spec().List("bankVaultsVolumeMounts")[0]!)["mountpath"] = "/x";
        cr.Map("metadata")["nmae"] = "x";
        cr.Config()["anything_vault_accepts"] = new Dictionary<string, object?> { ["nested"] = 1L };

        var violations = validator.Validate(cr);

        violations.Should().HaveCount(4);
        violations.Should().Contain(v => v.StartsWith("$.spec.raftLeaderAdress: unknown field", StringComparison.Ordinal));
        violations.Should().Contain(v => v.StartsWith("$.spec.unsealConfig.vault.tokn: unknown field", StringComparison.Ordinal));
        violations.Should().Contain(v => v.StartsWith("$.spec.bankVaultsVolumeMounts[0].mountpath: unknown field", StringComparison.Ordinal));
        violations.Should().Contain(v => v.StartsWith("$.metadata.nmae: unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_types_are_rejected_with_their_path()
    {
        var validator = Load(VaultCrd);
        var plan = Plan();
        var yaml = _renderer.RenderVault(plan, Follower(plan), KnownValues()).Content
            .Replace("size: 1", "size: \"1\"", StringComparison.Ordinal)
            .Replace("serviceType: LoadBalancer", "serviceType: yes", StringComparison.Ordinal);
        var cr = (Dictionary<string, object?>)YamlObjects.ParseSingle(yaml)!;
        ((Dictionary<string, object?>)cr.Spec().List("volumes")[0]!).Map("secret")["secretName"] = 5L;
        cr.Spec()["envsConfig"] = new Dictionary<string, object?> { ["VAULT_RAFT_CACERT"] = "/vault/raft-tls/ca.crt" };

        var violations = validator.Validate(cr);

        violations.Should().BeEquivalentTo(
            "$.spec.size: expected integer, got string \"1\"",
            "$.spec.serviceType: expected string, got boolean true",
            "$.spec.volumes[0].secret.secretName: expected string, got integer 5",
            "$.spec.envsConfig: expected array, got object");
    }

    [Fact]
    public void Missing_required_fields_are_reported()
    {
        var validator = Load(VaultCrd);
        var cr = ValidFollowerCr();
        cr.Spec().Map("unsealConfig").Map("vault").Remove("unsealKeysPath");
        ((Dictionary<string, object?>)cr.Spec().List("bankVaultsVolumeMounts")[0]!).Remove("mountPath");
        cr.Map("metadata").Remove("name");

        var violations = validator.Validate(cr);

        violations.Should().BeEquivalentTo(
            "$.spec.unsealConfig.vault.unsealKeysPath: required field is missing",
            "$.spec.bankVaultsVolumeMounts[0].mountPath: required field is missing",
            "$.metadata.name: required field is missing");
    }

    [Fact]
    public void Quantities_accept_integers_and_strings_but_not_objects()
    {
        var validator = Load(VaultCrd);
        var cr = ValidFollowerCr();
        var requests = ((Dictionary<string, object?>)cr.Spec().List("volumeClaimTemplates")[0]!).Spec().Map("resources").Map("requests");

        requests["storage"] = 1073741824L;
        validator.Validate(cr).Should().BeEmpty();

        requests["storage"] = new Dictionary<string, object?>();
        validator.Validate(cr).Should().ContainSingle().Which
            .Should().Be("$.spec.volumeClaimTemplates[0].spec.resources.requests.storage: expected integer or string, got object");
    }

    [Fact]
    public void A_wrong_api_version_or_kind_is_reported()
    {
        var validator = Load(PoolCrd);
        var plan = Plan();
        var pool = (Dictionary<string, object?>)YamlObjects.ParseAll(_renderer.RenderMetalLb(plan, plan.Leader).Content)[0]!;

        pool["kind"] = "AddressPool";
        validator.Validate(pool).Should().ContainSingle().Which.Should().StartWith("$.kind: expected IPAddressPool");

        pool["apiVersion"] = "metallb.io/v1alpha1";
        validator.Validate(pool).Should().ContainSingle().Which.Should().StartWith("$.apiVersion: expected metallb.io/v1beta1");
    }

    [Fact]
    public void Enums_patterns_int_or_string_and_additional_properties_are_enforced()
    {
        var validator = CrdSchemaValidator.FromYaml(SyntheticCrd);
        var valid = YamlObjects.ParseSingle("""
            apiVersion: example.test/v1
            kind: Widget
            metadata: {name: w, labels: {a: b}}
            spec:
              mode: Fast
              port: http
              code: AB12
              tags: {x: "1"}
              free: {anything: [1, 2]}
            """);
        var invalid = YamlObjects.ParseSingle("""
            apiVersion: example.test/v1
            kind: Widget
            metadata: {name: w, labels: {a: 1}}
            spec:
              mode: Slow
              port: 1.5
              code: ab12
              tags: {x: 1}
            """);

        validator.Validate(valid).Should().BeEmpty();
        validator.Validate(invalid).Should().BeEquivalentTo(
            "$.metadata.labels.a: expected string, got integer 1",
            "$.spec.mode: string \"Slow\" is not one of [string \"Fast\", string \"Safe\"]",
            "$.spec.port: expected integer or string, got number 1.5",
            "$.spec.code: \"ab12\" does not match pattern ^[A-Z]{2}[0-9]+$",
            "$.spec.tags.x: expected string, got integer 1",
            "$.spec.free: required field is missing");
    }

    [Fact]
    public void Only_served_versions_are_used()
    {
        var validator = CrdSchemaValidator.FromYaml(SyntheticCrd);

        validator.ServedVersions.Should().Equal("v1");
        validator.Validate(YamlObjects.ParseSingle("apiVersion: example.test/v0\nkind: Widget\nmetadata: {name: w}\n"))
            .Should().ContainSingle().Which.Should().StartWith("$.apiVersion:");
    }

    private const string SyntheticCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        spec:
          group: example.test
          names: {kind: Widget}
          versions:
            - name: v0
              served: false
              schema: {openAPIV3Schema: {type: object}}
            - name: v1
              served: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    apiVersion: {type: string}
                    kind: {type: string}
                    metadata: {type: object}
                    spec:
                      type: object
                      required: [free]
                      properties:
                        mode: {type: string, enum: [Fast, Safe]}
                        port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                        code: {type: string, pattern: "^[A-Z]{2}[0-9]+$"}
                        tags: {type: object, additionalProperties: {type: string}}
                        free: {x-kubernetes-preserve-unknown-fields: true}
        """;

    private Dictionary<string, object?> ValidFollowerCr()
    {
        var plan = Plan(UnsealMode.Transit);
        return VaultCr(plan, Follower(plan), KnownValues());
    }

    private static CrdSchemaValidator Load(string crdFile)
    {
        var schemas = SharedDirectory.Schemas();
        Assert.SkipWhen(schemas is null, SharedDirectory.MissingSchemasReason);
        return CrdSchemaValidator.LoadFile(Path.Combine(schemas!, crdFile));
    }
}
