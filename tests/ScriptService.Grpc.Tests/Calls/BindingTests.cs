using Grpc.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using ScriptService.Grpc.Binding;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.Tests.Calls;

public class BindingTests
{
    private static GrpcServiceBinder Binder() => new(new GrpcServerOptions(), TimeProvider.System, NullLoggerFactory.Instance);

    [Fact]
    public void Routes_come_from_the_descriptor_with_each_call_kind()
    {
        var bindings = Binder().Bind(BehaviourService.Descriptor, new Interop.InteropTestService());
        var byPath = bindings.ToDictionary(b => b.Path, StringComparer.Ordinal);
        Assert.Equal(BehaviourService.Descriptor.Methods.Count, bindings.Count);
        Assert.IsType<CallHandlers.UnaryServerCallHandler<SimpleRequest, SimpleResponse>>(byPath["/grpc.testing.TestService/UnaryCall"].Handler);
        Assert.IsType<CallHandlers.ServerStreamingServerCallHandler<StreamingOutputCallRequest, StreamingOutputCallResponse>>(byPath["/grpc.testing.TestService/StreamingOutputCall"].Handler);
        Assert.IsType<CallHandlers.ClientStreamingServerCallHandler<StreamingInputCallRequest, StreamingInputCallResponse>>(byPath["/grpc.testing.TestService/StreamingInputCall"].Handler);
        Assert.IsType<CallHandlers.DuplexStreamingServerCallHandler<StreamingOutputCallRequest, StreamingOutputCallResponse>>(byPath["/grpc.testing.TestService/FullDuplexCall"].Handler);
        Assert.False(byPath["/grpc.testing.TestService/UnimplementedCall"].IsImplemented);
        Assert.IsType<CallHandlers.UnimplementedServerCallHandler>(byPath["/grpc.testing.TestService/UnimplementedCall"].Handler);
    }

    private sealed class WrongShape
    {
        public Task<SimpleResponse> UnaryCall(SimpleRequest request) => Task.FromResult(new SimpleResponse());
    }

    [Fact]
    public void A_method_of_the_right_name_and_wrong_shape_fails_at_startup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Binder().Bind(BehaviourService.Descriptor, new WrongShape()));
        Assert.Contains("UnaryCall", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServerCallContext", error.Message, StringComparison.Ordinal);
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

        var notImplemented = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnimplementedCall", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.Unimplemented, notImplemented.GrpcStatus);

        var otherService = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.UnimplementedService/UnimplementedCall", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.Unimplemented, otherService.GrpcStatus);
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
