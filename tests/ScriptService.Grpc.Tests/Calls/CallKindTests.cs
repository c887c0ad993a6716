using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>All four call kinds through the interop service with Grpc.Net.Client and the generated client.</summary>
public class CallKindTests
{
    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    [Fact]
    public async Task Unary()
    {
        await using var server = await TestServer.StartAsync();
        Assert.NotNull(await server.Client.EmptyCallAsync(new Empty(), deadline: TestServer.Deadline()));
        var response = await server.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) }, deadline: TestServer.Deadline());
        Assert.Equal(314159, response.Payload.Body.Length);
    }

    [Fact]
    public async Task Server_streaming()
    {
        await using var server = await TestServer.StartAsync();
        var request = new StreamingOutputCallRequest();
        foreach (var size in new[] { 31415, 9, 2653, 58979 })
        {
            request.ResponseParameters.Add(new ResponseParameters { Size = size });
        }
        using var call = server.Client.StreamingOutputCall(request, deadline: TestServer.Deadline());
        var sizes = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            sizes.Add(response.Payload.Body.Length);
        }
        Assert.Equal(new[] { 31415, 9, 2653, 58979 }, sizes);
    }

    [Fact]
    public async Task Client_streaming()
    {
        await using var server = await TestServer.StartAsync();
        using var call = server.Client.StreamingInputCall(deadline: TestServer.Deadline());
        foreach (var size in new[] { 27182, 8, 1828, 45904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) });
        }
        await call.RequestStream.CompleteAsync();
        Assert.Equal(74922, (await call).AggregatedPayloadSize);
    }

    [Fact]
    public async Task Duplex_streaming_ping_pong()
    {
        await using var server = await TestServer.StartAsync();
        using var call = server.Client.FullDuplexCall(deadline: TestServer.Deadline());
        foreach (var (requestSize, responseSize) in new[] { (27182, 31415), (8, 9), (1828, 2653), (45904, 58979) })
        {
            var request = new StreamingOutputCallRequest { Payload = Zeros(requestSize) };
            request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
            await call.RequestStream.WriteAsync(request);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(responseSize, call.ResponseStream.Current.Payload.Body.Length);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Duplex_with_no_requests_ends_with_no_responses()
    {
        await using var server = await TestServer.StartAsync();
        using var call = server.Client.FullDuplexCall(deadline: TestServer.Deadline());
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Unknown_service_and_unknown_method_are_unimplemented()
    {
        await using var server = await TestServer.StartAsync();
        var unknownService = await Raw.SendAsync(server.Http, Raw.Request("/no.Such/Method", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.Unimplemented, unknownService.GrpcStatus);
        Assert.Equal("Service is unimplemented.", unknownService.GrpcMessage);
        Assert.True(unknownService.TrailersOnly);

        var unknownMethod = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/NoSuchMethod", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.Unimplemented, unknownMethod.GrpcStatus);
        Assert.Equal("Method is unimplemented.", unknownMethod.GrpcMessage);

        var notOverridden = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnimplementedCallAsync(new Empty(), deadline: TestServer.Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, notOverridden.StatusCode);

        var otherService = new UnimplementedService.UnimplementedServiceClient(server.Channel);
        var none = await Assert.ThrowsAsync<RpcException>(() => otherService.UnimplementedCallAsync(new Empty(), deadline: TestServer.Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, none.StatusCode);
    }

    [Fact]
    public async Task Non_grpc_requests_to_unknown_paths_are_plain_404()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request("/nothing/here", Array.Empty<byte>(), "text/plain"));
        Assert.True(response.Message.StatusCode == System.Net.HttpStatusCode.NotFound, response.Message.ToString() + System.Text.Encoding.UTF8.GetString(response.Body));
        Assert.Null(response.GrpcStatus);
    }
}
