using FluentAssertions;
using MultiDcVault.Harness.Provisioning;
using Xunit;

namespace MultiDcVault.Harness.Tests.Provisioning;

public sealed class ToolCacheTests
{
    [Fact]
    public void MULTIDC_TOOLS_DIR_wins_over_XDG_CACHE_HOME()
    {
        var cache = ToolCache.FromEnvironment(name => name switch
        {
            "MULTIDC_TOOLS_DIR" => "/opt/multidc-tools",
            "XDG_CACHE_HOME" => "/xdg",
            _ => null,
        });

        cache.Root.Should().Be("/opt/multidc-tools");
        cache.ExecutablePath(PinnedTools.Kind).Should().Be("/opt/multidc-tools/kind-v0.32.0/kind");
        cache.BinDirectory.Should().Be("/opt/multidc-tools/bin");
    }

    [Fact]
    public void XDG_CACHE_HOME_is_honoured()
    {
        ToolCache.FromEnvironment(name => name == "XDG_CACHE_HOME" ? "/xdg/cache" : null)
            .ExecutablePath(PinnedTools.Helm).Should().Be("/xdg/cache/multidc/tools/helm-v4.2.0/helm");
    }

    [Fact]
    public void Without_variables_the_cache_is_under_the_home_directory()
    {
        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

        ToolCache.FromEnvironment(_ => null).Root.Should().Be(Path.Combine(home, ".cache", "multidc", "tools"));
    }
}
