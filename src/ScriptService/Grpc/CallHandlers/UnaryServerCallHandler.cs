using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>One request message in (exactly one, else INTERNAL), one response out; the response is left unflushed so Kestrel sends it with the trailers.</summary>
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
        // Not flushed, so no token: reading call.CancellationToken would make Kestrel create RequestAborted's source.
        await call.WriteMessageAsync(response, null, flush: false, default).ConfigureAwait(false);
    }
}
