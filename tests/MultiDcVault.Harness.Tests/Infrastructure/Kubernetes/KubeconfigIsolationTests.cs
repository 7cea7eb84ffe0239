using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Kubernetes;
using MultiDcVault.Harness.Tests.TestSupport;
using MultiDcVault.Harness.Tests.TestSupport.KubeApi;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Kubernetes;

/// <summary>
/// The client reads only the named kubeconfig file and context: a garbage ~/.kube/config, a KUBECONFIG that
/// points at garbage, and a current-context in the file that points at a dead port change nothing.
/// </summary>
[Trait("Category", "KubernetesApi")]
[Collection(EnvironmentVariables.Collection)]
public sealed class KubeconfigIsolationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Upstream: kubernetes-client/csharp (master, v20 line; the 21.0.8 DLL behaved the same in a probe),
    // src/KubernetesClient/KubernetesClientConfiguration.ConfigFile.cs: BuildConfigFromConfigFile with an
    // explicit path reads only that file; KUBECONFIG and ~/.kube/config are read only by BuildDefaultConfig.
    [Fact]
    public async Task A_broken_user_kubeconfig_and_a_wrong_current_context_change_nothing()
    {
        await using var session = new StandInSession();
        session.StandIn.Api.Put(StandInObjects.Pod("vault-primary-0"));
        var home = Directory.CreateTempSubdirectory("multidc-home-");
        Directory.CreateDirectory(Path.Combine(home.FullName, ".kube"));
        var garbage = Path.Combine(home.FullName, ".kube", "config");
        await File.WriteAllTextAsync(garbage, "{{ this is: [not a kubeconfig", Ct);
        (await File.ReadAllTextAsync(session.StandIn.KubeconfigPath, Ct)).Should().Contain($"current-context: {KubeApiStandIn.WrongCurrentContext}");

        var (oldHome, oldKubeconfig) = (System.Environment.GetEnvironmentVariable("HOME"), System.Environment.GetEnvironmentVariable("KUBECONFIG"));
        try
        {
            System.Environment.SetEnvironmentVariable("HOME", home.FullName);
            System.Environment.SetEnvironmentVariable("KUBECONFIG", garbage);
            using var api = new KubernetesApi();

            var pod = await api.TryGetPodAsync(session.Target, "default", "vault-primary-0", Ct);

            pod!.Metadata.Name.Should().Be("vault-primary-0");
            session.StandIn.Requests.Should().ContainSingle(r => r.Path == "/api/v1/namespaces/default/pods/vault-primary-0");
            (await File.ReadAllTextAsync(garbage, Ct)).Should().Be("{{ this is: [not a kubeconfig", "the user's file is never written");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable("HOME", oldHome);
            System.Environment.SetEnvironmentVariable("KUBECONFIG", oldKubeconfig);
            home.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_context_missing_from_the_file_is_an_error_not_a_fallback_to_the_current_one()
    {
        await using var session = new StandInSession();
        using var api = new KubernetesApi();

        var act = () => api.TryGetPodAsync(new KubeTarget(session.StandIn.KubeconfigPath, "kind-nowhere"), "default", "vault-primary-0", Ct);

        await act.Should().ThrowAsync<Exception>().Where(e => e.Message.Contains("kind-nowhere"));
        session.StandIn.Requests.Should().BeEmpty();
    }
}
