using FluentAssertions;
using MultiDcVault.Harness.Configuration;
using MultiDcVault.Harness.Planning.Manifests;
using MultiDcVault.Harness.Planning;
using Xunit;
using static MultiDcVault.Harness.Tests.Planning.Manifests.ManifestTestData;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

/// <summary>
/// No rendered manifest pulls an unpinned image. Registries move ":latest" (and an untagged name means
/// ":latest"), so a run a month later would test different software than the one that passed.
/// </summary>
public sealed class PlanImagesTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "multidc-plan-images-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Theory]
    [InlineData(UnsealMode.Transit)]
    [InlineData(UnsealMode.Kv)]
    public async Task Every_image_in_every_planned_file_is_pinned(UnsealMode mode)
    {
        var plan = Plan(mode, "ams", "fra", "lon", "par", "waw");

        await new PlanWriter().WriteAsync(plan, RuntimeValues.Placeholders, _out, TestContext.Current.CancellationToken);

        var images = new List<(string File, string Path, string Image)>();
        foreach (var file in Directory.EnumerateFiles(_out, "*.yaml", SearchOption.AllDirectories))
        {
            foreach (var document in YamlObjects.ParseAll(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)))
            {
                images.AddRange(ImageReferences.Find(document).Select(i => (Path.GetRelativePath(_out, file), i.Path, i.Image)));
            }
        }

        // kind node, operator (Helm values), Vault and bank-vaults per cluster: the walk must see them all.
        images.Select(i => i.Image).Should().Contain(
            [plan.Options.KindNodeImage, plan.Options.OperatorImage, plan.Options.VaultImage, plan.Options.BankVaultsImage]);
        images.Should().HaveCount(4 * plan.Clusters.Count);
        images.Where(i => !ImageReference.IsPinned(i.Image)).Should().BeEmpty("every image must carry a tag other than latest, or a digest");
    }

    [Fact]
    public async Task The_operator_adds_no_implicit_unpinned_sidecar_to_any_planned_vault()
    {
        var plan = Plan(UnsealMode.Transit);

        await new PlanWriter().WriteAsync(plan, RuntimeValues.Placeholders, _out, TestContext.Current.CancellationToken);

        foreach (var cluster in plan.Clusters)
        {
            var cr = (Dictionary<string, object?>)YamlObjects.ParseSingle(
                await File.ReadAllTextAsync(Path.Combine(_out, cluster.Name, ManifestFileNames.Vault), TestContext.Current.CancellationToken))!;

            // vault-operator v1.24.0 pkg/apis/vault/v1alpha1/vault_types.go, GetStatsDImage: "prom/statsd-exporter:latest" unless statsdDisabled.
            cr.Spec()["statsdDisabled"].Should().Be(true, cluster.Name);
        }
    }

    [Theory]
    [InlineData("hashicorp/vault:2.0.1", true)]
    [InlineData("localhost:5000/vault-operator:dev", true)]
    [InlineData("kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f", true)]
    [InlineData("prom/statsd-exporter:latest", false)]
    [InlineData("prom/statsd-exporter", false)]
    [InlineData("localhost:5000/vault-operator", false)]
    public void The_pin_check_itself_tells_pinned_from_floating(string image, bool pinned) =>
        ImageReference.IsPinned(image).Should().Be(pinned);

    [Fact]
    public void The_walk_finds_cr_keys_helm_maps_and_nested_containers()
    {
        var document = YamlObjects.ParseSingle("""
            image: {repository: ghcr.io/bank-vaults/vault-operator}
            spec:
              statsdImage: prom/statsd-exporter
              vaultContainers:
                - name: x
                  image: busybox:1.37
            """);

        ImageReferences.Find(document).Select(i => (i.Path, i.Image)).Should().BeEquivalentTo(new[]
        {
            ("$.image", "ghcr.io/bank-vaults/vault-operator"),
            ("$.spec.statsdImage", "prom/statsd-exporter"),
            ("$.spec.vaultContainers[0].image", "busybox:1.37"),
        });
    }
}
