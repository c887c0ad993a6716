using System.Net;
using Grpc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Grpc.Core;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>The gate: content type and HTTP version checks, before any call exists.</summary>
public class GateTests
{
    private const string EmptyCall = "/grpc.testing.TestService/EmptyCall";

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc; charset=utf-8")]
    public async Task Grpc_content_types_are_served(string contentType)
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(EmptyCall, Raw.Frame(new Empty()), contentType));
        Assert.Equal(HttpStatusCode.OK, response.Message.StatusCode);
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal("application/grpc", response.Message.Content.Headers.ContentType?.MediaType);
        Assert.Single(response.Frames);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task Other_content_types_get_415_with_a_grpc_status(string? contentType)
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(EmptyCall, Raw.Frame(new Empty()), contentType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Message.StatusCode);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Contains("Content-Type", response.GrpcMessage, StringComparison.Ordinal);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task Http11_request_gets_426_with_a_grpc_status_where_the_endpoint_speaks_http11()
    {
        // With TLS the host offers HTTP/1.1 and h2 by ALPN: an HTTP/1.1 request then reaches the gate.
        await using var server = await TestServer.StartAsync(protocols: HttpProtocols.Http1AndHttp2);
        using var http11 = TestServer.CreateHttpClient(server.Address, HttpVersion.Version11);
        var request = Raw.Request(EmptyCall, Raw.Frame(new Empty()));
        request.Version = HttpVersion.Version11;
        var response = await Raw.SendAsync(http11, request);
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.Message.StatusCode);
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Equal("Request protocol 'HTTP/1.1' is not supported.", response.GrpcMessage);
    }

    [Fact]
    public async Task Http11_request_to_the_cleartext_http2_endpoint_is_refused_at_once()
    {
        await using var server = await TestServer.StartAsync();
        using var http11 = TestServer.CreateHttpClient(server.Address, HttpVersion.Version11);
        var request = Raw.Request(EmptyCall, Raw.Frame(new Empty()));
        request.Version = HttpVersion.Version11;
        var response = await Raw.SendAsync(http11, request);
        // Kestrel's own refusal: the connection never becomes a gRPC call.
        Assert.Equal(HttpStatusCode.BadRequest, response.Message.StatusCode);
        Assert.Null(response.GrpcStatus);
    }

    [Fact]
    public async Task Get_is_not_a_grpc_call()
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = new CancellationTokenSource(TestServer.TestTimeout);
        var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, EmptyCall) { Version = HttpVersion.Version20 }, timeout.Token);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
