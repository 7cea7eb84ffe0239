using System.Net;
using FluentAssertions;
using MultiDcVault.Harness.Infrastructure.Vault;
using MultiDcVault.Harness.Tests.TestSupport;
using Xunit;

namespace MultiDcVault.Harness.Tests.Infrastructure.Vault;

/// <summary>Real TLS handshakes against a loopback server whose certificate a test CA signed (IP SAN 127.0.0.1).</summary>
public sealed class VaultClientTlsTests : IDisposable
{
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _ca = TestPki.CreateCa("multidc test CA");
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _otherCa = TestPki.CreateCa("some other CA");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    private static async Task<VaultHealth> HealthVia(FakeVaultServer server, VaultTls tls)
    {
        using var client = new VaultClient(new VaultClientOptions { Address = server.BaseAddress, Tls = tls });
        return await client.GetHealthAsync(Ct);
    }

    private static FakeVaultServer Serve(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        FakeVaultServer.Start(_ => FakeResponse.Json(200, VaultSamples.HealthActive), certificate);

    [Fact]
    public async Task Server_signed_by_the_trusted_CA_is_accepted()
    {
        using var cert = TestPki.CreateServerCertificate(_ca, IPAddress.Loopback);
        await using var server = Serve(cert);

        var health = await HealthVia(server, VaultTls.TrustCaPem(TestPki.ToPem(_ca)));

        health.State.Should().Be(VaultNodeState.Active);
    }

    [Fact]
    public async Task Server_signed_by_another_CA_is_rejected()
    {
        using var cert = TestPki.CreateServerCertificate(_otherCa, IPAddress.Loopback);
        await using var server = Serve(cert);

        var act = () => HealthVia(server, VaultTls.TrustCaPem(TestPki.ToPem(_ca)));

        (await act.Should().ThrowAsync<VaultUnreachableException>()).Which.Message.Should().Contain("certificate");
        server.Requests.Should().BeEmpty("no request may be sent over an untrusted connection");
    }

    [Fact]
    public async Task Trusted_CA_does_not_excuse_a_certificate_for_another_IP()
    {
        using var cert = TestPki.CreateServerCertificate(_ca, IPAddress.Parse("127.0.0.2"));
        await using var server = Serve(cert);

        var act = () => HealthVia(server, VaultTls.TrustCaPem(TestPki.ToPem(_ca)));

        await act.Should().ThrowAsync<VaultUnreachableException>();
        server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task System_trust_rejects_a_private_CA()
    {
        using var cert = TestPki.CreateServerCertificate(_ca, IPAddress.Loopback);
        await using var server = Serve(cert);

        var act = () => HealthVia(server, VaultTls.SystemTrust);

        await act.Should().ThrowAsync<VaultUnreachableException>();
    }

    [Fact]
    public async Task Skip_verify_accepts_an_untrusted_certificate_only_when_asked_for()
    {
        using var cert = TestPki.CreateServerCertificate(_otherCa, IPAddress.Parse("127.0.0.2"));
        await using var server = Serve(cert);

        var health = await HealthVia(server, VaultTls.InsecureSkipVerify());

        health.State.Should().Be(VaultNodeState.Active);
        new VaultClientOptions { Address = server.BaseAddress }.Tls.Mode.Should().Be(VaultTlsMode.SystemTrust, "verification is on unless asked off");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")]
    public void Unusable_CA_pem_is_refused_with_a_hint(string pem)
    {
        var act = () => VaultTls.TrustCaPem(pem);

        act.Should().Throw<ArgumentException>();
    }
}
