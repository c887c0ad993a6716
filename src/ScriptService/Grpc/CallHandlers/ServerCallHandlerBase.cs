using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>
/// The gate every call passes: protocol checks, call setup, and the end of the call. Subclasses
/// (one per call kind) only read requests, invoke the service method and write responses.
/// </summary>
public abstract class ServerCallHandlerBase
{
    private readonly GrpcServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    protected ServerCallHandlerBase(string method, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Method = method;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>"/package.Service/Method".</summary>
    public string Method { get; }

    /// <summary>Client- and duplex-streaming calls may idle for a long time between messages.</summary>
    protected virtual bool IsRequestStreaming => false;

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            GrpcStatusWriter.WriteRefusal(httpContext.Response, StatusCodes.Status426UpgradeRequired,
                new Status(StatusCode.Internal, $"Request protocol '{request.Protocol}' is not supported."));
            return;
        }
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            GrpcStatusWriter.WriteRefusal(httpContext.Response, StatusCodes.Status415UnsupportedMediaType,
                new Status(StatusCode.Internal, $"Content-Type '{request.ContentType}' is not supported."));
            return;
        }

        // Message sizes are limited per message (MaxReceiveMessageSize); a long stream may carry many.
        var maxBodySize = httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (maxBodySize is { IsReadOnly: false })
        {
            maxBodySize.MaxRequestBodySize = null;
        }
        if (IsRequestStreaming)
        {
            var minRate = httpContext.Features.Get<IHttpMinRequestBodyDataRateFeature>();
            if (minRate is not null)
            {
                minRate.MinDataRate = null;
            }
        }

        var call = new HttpContextServerCallContext(httpContext, Method, _options, _timeProvider, _logger);
        httpContext.Response.ContentType = GrpcProtocol.ContentType;
        try
        {
            var refusal = call.Initialize();
            if (refusal is { } status)
            {
                await call.ProcessHandlerErrorAsync(new RpcException(status)).ConfigureAwait(false);
                return;
            }
            try
            {
                await HandleCallCoreAsync(httpContext, call).ConfigureAwait(false);
                await call.EndCallAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await call.ProcessHandlerErrorAsync(ex).ConfigureAwait(false);
            }
        }
        finally
        {
            await call.FinishAsync().ConfigureAwait(false);
        }
    }

    internal abstract Task HandleCallCoreAsync(HttpContext httpContext, HttpContextServerCallContext call);
}
