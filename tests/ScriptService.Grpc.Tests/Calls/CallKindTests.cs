using Google.Protobuf;
using Grpc.Testing;
using ScriptService.Grpc.Client;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>All four call kinds through the descriptor-bound interop service and our client.</summary>
public class CallKindTests
{
    private static ServiceClient TestService(TestServer server) =>
        server.Client.ForService(TestReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("TestService"));

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    [Fact]
    public async Task Unary()
    {
        await using var server = await TestServer.StartAsync();
        var service = TestService(server);
        Assert.NotNull(await service.UnaryAsync<Empty, Empty>("EmptyCall", new Empty()));
        var response = await service.UnaryAsync<SimpleRequest, SimpleResponse>("UnaryCall", new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) });
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
        var sizes = new List<int>();
        await foreach (var response in TestService(server).ServerStreamingAsync<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", request))
        {
            sizes.Add(response.Payload.Body.Length);
        }
        Assert.Equal(new[] { 31415, 9, 2653, 58979 }, sizes);
    }

    [Fact]
    public async Task Client_streaming()
    {
        await using var server = await TestServer.StartAsync();
        var requests = new[] { 27182, 8, 1828, 45904 }.Select(size => new StreamingInputCallRequest { Payload = Zeros(size) });
        var response = await TestService(server).ClientStreamingAsync<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall", requests);
        Assert.Equal(74922, response.AggregatedPayloadSize);
    }

    [Fact]
    public async Task Duplex_streaming_ping_pong()
    {
        await using var server = await TestServer.StartAsync();
        await using var call = TestService(server).Start<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall",
            new CallOptions(Timeout: TestServer.TestTimeout));
        foreach (var (requestSize, responseSize) in new[] { (27182, 31415), (8, 9), (1828, 2653), (45904, 58979) })
        {
            var request = new StreamingOutputCallRequest { Payload = Zeros(requestSize) };
            request.ResponseParameters.Add(new ResponseParameters { Size = responseSize });
            await call.WriteAsync(request);
            Assert.True(await call.MoveNextAsync());
            Assert.Equal(responseSize, call.Current.Payload.Body.Length);
        }
        await call.CompleteRequestAsync();
        Assert.False(await call.MoveNextAsync());
        Assert.Equal(StatusCode.OK, call.Status.StatusCode);
    }

    [Fact]
    public async Task Duplex_with_no_requests_ends_with_no_responses()
    {
        await using var server = await TestServer.StartAsync();
        await using var call = TestService(server).Start<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall");
        await call.CompleteRequestAsync();
        Assert.False(await call.MoveNextAsync());
        Assert.Equal(StatusCode.OK, call.Status.StatusCode);
    }
}
