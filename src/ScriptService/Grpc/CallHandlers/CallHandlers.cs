using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

public delegate Task<TResponse> UnaryMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);
public delegate Task ServerStreamingMethod<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
public delegate Task<TResponse> ClientStreamingMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);
public delegate Task DuplexStreamingMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

public sealed class UnaryServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser;
    private readonly UnaryMethod<TRequest, TResponse> _method;

    public UnaryServerCallHandler(string method, MessageParser<TRequest> parser, UnaryMethod<TRequest, TResponse> invoker, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
        : base(method, options, timeProvider, logger)
    {
        _parser = parser;
        _method = invoker;
    }

    internal override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(_parser).ConfigureAwait(false);
        var response = await _method(request, call).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The service method returned no response message."));
        await call.WriteMessageAsync(response, null, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}

public sealed class ServerStreamingServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser;
    private readonly ServerStreamingMethod<TRequest, TResponse> _method;

    public ServerStreamingServerCallHandler(string method, MessageParser<TRequest> parser, ServerStreamingMethod<TRequest, TResponse> invoker, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
        : base(method, options, timeProvider, logger)
    {
        _parser = parser;
        _method = invoker;
    }

    internal override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(_parser).ConfigureAwait(false);
        await _method(request, new HttpContextStreamWriter<TResponse>(call), call).ConfigureAwait(false);
    }
}

public sealed class ClientStreamingServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser;
    private readonly ClientStreamingMethod<TRequest, TResponse> _method;

    public ClientStreamingServerCallHandler(string method, MessageParser<TRequest> parser, ClientStreamingMethod<TRequest, TResponse> invoker, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
        : base(method, options, timeProvider, logger)
    {
        _parser = parser;
        _method = invoker;
    }

    protected override bool IsRequestStreaming => true;

    internal override async Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        var response = await _method(new HttpContextStreamReader<TRequest>(call, _parser), call).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The service method returned no response message."));
        await call.WriteMessageAsync(response, null, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}

public sealed class DuplexStreamingServerCallHandler<TRequest, TResponse> : ServerCallHandlerBase
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser<TRequest> _parser;
    private readonly DuplexStreamingMethod<TRequest, TResponse> _method;

    public DuplexStreamingServerCallHandler(string method, MessageParser<TRequest> parser, DuplexStreamingMethod<TRequest, TResponse> invoker, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
        : base(method, options, timeProvider, logger)
    {
        _parser = parser;
        _method = invoker;
    }

    protected override bool IsRequestStreaming => true;

    internal override Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call) =>
        _method(new HttpContextStreamReader<TRequest>(call, _parser), new HttpContextStreamWriter<TResponse>(call), call);
}

/// <summary>A method with no implementation, or a path that names no known service or method.</summary>
public sealed class UnimplementedServerCallHandler : ServerCallHandlerBase
{
    private readonly string _message;

    public UnimplementedServerCallHandler(string method, string message, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
        : base(method, options, timeProvider, logger) => _message = message;

    internal override Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call) =>
        Task.FromException(new RpcException(new Status(StatusCode.Unimplemented, _message)));
}
