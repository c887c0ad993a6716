using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>Streams both ways on one HTTP/2 stream; the service reads and writes as it likes, one write at a time.</summary>
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
