using FluentAssertions;
using MultiDcVault.Harness.Planning.Manifests;
using Xunit;

namespace MultiDcVault.Harness.Tests.Planning.Manifests;

public sealed class ManifestTemplateTests
{
    private static readonly Dictionary<string, TemplateValue> Values = new()
    {
        ["name"] = TemplateValue.Text("vault-a"),
        ["count"] = TemplateValue.Integer(3),
        ["pools"] = TemplateValue.List(["10.0.0.1-10.0.0.9", "fd00::/120"]),
    };

    [Fact]
    public void Every_embedded_template_is_valid_yaml()
    {
        var names = ManifestTemplate.EmbeddedTemplateNames();

        names.Should().Contain(["kind/cluster.yaml", "metallb/pool.yaml", "operator/values.yaml", "vault/rbac.yaml",
            "vault/vault.yaml", "vault/follower-raft-ca.yaml", "vault/transit-seal.yaml"]);
        foreach (var name in names)
        {
            var act = () => ManifestTemplate.Load(name);
            act.Should().NotThrow(name);
        }
    }

    [Fact]
    public void Whole_value_tokens_keep_their_type_and_embedded_tokens_interpolate()
    {
        var yaml = ManifestTemplate.Parse("t.yaml", "a: \"{{name}}\"\nb: \"{{count}}\"\nc: \"{{pools}}\"\nd: \"https://{{ name }}:{{count}}\"\n")
            .Bind(Values).Emit();

        var doc = (Dictionary<string, object?>)YamlObjects.ParseSingle(yaml)!;
        doc["a"].Should().Be("vault-a");
        doc["b"].Should().Be(3L);
        doc["c"].Should().BeEquivalentTo(new List<object?> { "10.0.0.1-10.0.0.9", "fd00::/120" });
        doc["d"].Should().Be("https://vault-a:3");
        doc.Keys.Should().Equal("a", "b", "c", "d");
    }

    [Fact]
    public void An_unknown_token_names_itself_and_the_template()
    {
        var act = () => ManifestTemplate.Parse("vault/x.yaml", "a: \"{{nmae}}\"\n").Bind(Values);

        act.Should().Throw<InvalidOperationException>().WithMessage("*manifests/vault/x.yaml*{{nmae}}*");
    }

    [Theory]
    [InlineData("a: \"{{ name\"\n")]
    [InlineData("a: \"{{na-me}}\"\n")]
    public void A_malformed_token_is_rejected(string template)
    {
        var act = () => ManifestTemplate.Parse("t.yaml", template).Bind(Values);

        act.Should().Throw<InvalidOperationException>().WithMessage("*malformed token*");
    }

    [Fact]
    public void A_list_token_inside_a_string_is_rejected()
    {
        var act = () => ManifestTemplate.Parse("t.yaml", "a: \"x {{pools}}\"\n").Bind(Values);

        act.Should().Throw<InvalidOperationException>().WithMessage("*list*whole value*");
    }

    [Fact]
    public void A_value_is_never_scanned_for_tokens_again()
    {
        var values = new Dictionary<string, TemplateValue> { ["name"] = TemplateValue.Text("{{count}}") };

        var yaml = ManifestTemplate.Parse("t.yaml", "a: \"x-{{name}}\"\n").Bind(values).Emit();

        ((Dictionary<string, object?>)YamlObjects.ParseSingle(yaml)!)["a"].Should().Be("x-{{count}}");
    }

    [Fact]
    public void Fragments_add_keys_and_list_items_but_cannot_overwrite_a_value()
    {
        var merged = ManifestTemplate.Parse("base.yaml", "spec:\n  a: 1\n  list: [first]\n")
            .Merge(ManifestTemplate.Parse("frag.yaml", "spec:\n  b: 2\n  list: [second]\n"))
            .Emit();
        var spec = (Dictionary<string, object?>)((Dictionary<string, object?>)YamlObjects.ParseSingle(merged)!)["spec"]!;
        spec["a"].Should().Be(1L);
        spec["b"].Should().Be(2L);
        spec["list"].Should().BeEquivalentTo(new List<object?> { "first", "second" });

        var clash = () => ManifestTemplate.Parse("base.yaml", "spec:\n  a: 1\n").Merge(ManifestTemplate.Parse("frag.yaml", "spec:\n  a: 2\n"));
        clash.Should().Throw<InvalidOperationException>().WithMessage("*frag.yaml*$.spec.a*");
    }

    [Fact]
    public void Multi_document_templates_emit_every_document()
    {
        var yaml = ManifestTemplate.Parse("t.yaml", "a: \"{{name}}\"\n---\nb: 2\n").Bind(Values).Emit();

        YamlObjects.ParseAll(yaml).Should().HaveCount(2);
        yaml.Should().NotContain("...");
    }
}
