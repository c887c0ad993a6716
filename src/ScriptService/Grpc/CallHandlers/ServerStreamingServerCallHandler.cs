using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>One request message in, a stream of responses out, each flushed as it is written.</summary>
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
