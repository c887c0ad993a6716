using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Testing;
using Grpc.Core;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>With a certificate configured, https endpoints serve TLS and negotiate h2 by ALPN.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _pfxPath = Path.Combine(Path.GetTempPath(), "scriptservice-grpc-test-" + Guid.NewGuid().ToString("N") + ".pfx");

    public TlsTests()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(_pfxPath, certificate.Export(X509ContentType.Pkcs12, "pw"));
    }

    public void Dispose() => File.Delete(_pfxPath);

    private Task<TestServer> StartAsync() => TestServer.StartAsync(
        url: "https://127.0.0.1:0",
        extraArgs: new[] { "--Grpc:CertificatePath=" + _pfxPath, "--Grpc:CertificatePassword=pw" },
        handler: () => new SocketsHttpHandler
        {
            // The test's own self-signed certificate.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });

    [Fact]
    public async Task Grpc_over_tls_negotiates_h2()
    {
        await using var server = await StartAsync();
        Assert.Equal("https", server.Address.Scheme);
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", Raw.Frame(new Empty())));
        Assert.Equal(HttpVersion.Version20, response.Message.Version);
        Assert.Equal(StatusCode.OK, response.GrpcStatus);

        var viaClient = await server.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 10 }, deadline: TestServer.Deadline());
        Assert.Equal(10, viaClient.Payload.Body.Length);
    }

    [Fact]
    public async Task Http11_over_tls_reaches_the_gate_and_gets_426()
    {
        await using var server = await StartAsync();
        using var http11 = TestServer.CreateHttpClient(server.Address, HttpVersion.Version11,
            new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        var request = Raw.Request("/grpc.testing.TestService/EmptyCall", Raw.Frame(new Empty()));
        request.Version = HttpVersion.Version11;
        var response = await Raw.SendAsync(http11, request);
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.Message.StatusCode);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }
}
