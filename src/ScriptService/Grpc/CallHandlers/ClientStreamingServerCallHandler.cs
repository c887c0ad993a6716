using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>A stream of requests in (exempt from the minimum request body rate), one response out.</summary>
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
        // Not flushed, so no token: reading call.CancellationToken would make Kestrel create RequestAborted's source.
        await call.WriteMessageAsync(response, null, flush: false, default).ConfigureAwait(false);
    }
}
