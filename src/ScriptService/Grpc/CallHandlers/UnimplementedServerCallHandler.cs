using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>A method with no implementation, or a path that names no known service or method.</summary>
public sealed class UnimplementedServerCallHandler : ServerCallHandlerBase
{
    private readonly string _message;

    public UnimplementedServerCallHandler(string method, string message, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
        : base(method, options, timeProvider, logger) => _message = message;

    internal override Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call) =>
        Task.FromException(new RpcException(new Status(StatusCode.Unimplemented, _message)));
}
