using Google.Protobuf;
using Grpc.Testing;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.Interop;

/// <summary>
/// grpc.testing.TestService as the public interop test descriptions ask of a server. It exists to
/// prove the protocol layer against other languages' clients; it is hosted only with --interop.
/// UnimplementedCall and CacheableUnaryCall are deliberately absent: the binder answers UNIMPLEMENTED.
/// </summary>
public sealed class InteropTestService
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";
    private const string Gzip = "gzip";

    public Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        // Synchronous unless there are response headers to echo: the benchmark's UnaryCall then costs no state machine.
        var echo = EchoMetadataAsync(context);
        return echo.IsCompletedSuccessfully ? Task.FromResult(Respond(request, context)) : RespondAfter(echo, request, context);
    }

    private static async Task<SimpleResponse> RespondAfter(Task echo, SimpleRequest request, ServerCallContext context)
    {
        await echo.ConfigureAwait(false);
        return Respond(request, context);
    }

    private static SimpleResponse Respond(SimpleRequest request, ServerCallContext context)
    {
        EnsureCompressedAsExpected(request.ExpectCompressed, context);
        ThrowIfErrorRequested(request.ResponseStatus);
        if (request.ResponseCompressed?.Value == true)
        {
            context.ResponseCompressionAlgorithm = Gzip;
        }
        return new SimpleResponse { Payload = Zeros(request.ResponseSize) };
    }

    public async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        ThrowIfErrorRequested(request.ResponseStatus);
        await WriteResponsesAsync(request, responseStream, context).ConfigureAwait(false);
    }

    public async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        var total = 0;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            EnsureCompressedAsExpected(requestStream.Current.ExpectCompressed, context);
            total += requestStream.Current.Payload?.Body.Length ?? 0;
        }
        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            ThrowIfErrorRequested(request.ResponseStatus);
            await WriteResponsesAsync(request, responseStream, context).ConfigureAwait(false);
        }
    }

    public async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        var requests = new List<StreamingOutputCallRequest>();
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            requests.Add(requestStream.Current);
        }
        foreach (var request in requests)
        {
            await WriteResponsesAsync(request, responseStream, context).ConfigureAwait(false);
        }
    }

    private static async Task WriteResponsesAsync(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        if (request.ResponseParameters.Any(p => p.Compressed?.Value == true))
        {
            context.ResponseCompressionAlgorithm = Gzip;
        }
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken).ConfigureAwait(false);
            }
            responseStream.WriteOptions = parameters.Compressed?.Value == true ? new WriteOptions() : new WriteOptions(WriteFlags.NoCompress);
            await responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = Zeros(parameters.Size) }).ConfigureAwait(false);
        }
    }

    private static Task EchoMetadataAsync(ServerCallContext context)
    {
        var trailing = context.RequestHeaders.Get(EchoTrailingKey);
        if (trailing is not null)
        {
            context.ResponseTrailers.Add(trailing);
        }
        var initial = context.RequestHeaders.Get(EchoInitialKey);
        return initial is null ? Task.CompletedTask : context.WriteResponseHeadersAsync(new Metadata { initial });
    }

    // The interop client first probes with expect_compressed set on an uncompressed message: the server must refuse it.
    private static void EnsureCompressedAsExpected(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value != true)
        {
            return;
        }
        // grpc-encoding is a protocol header, not metadata: read it from the HTTP request, as Grpc.AspNetCore's interop server does.
        var encoding = context.GetHttpContext().Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length == 0 || string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Expected a compressed request message."));
        }
    }

    private static void ThrowIfErrorRequested(EchoStatus? status)
    {
        if (status is not null && status.Code != 0)
        {
            throw new RpcException(new Status((StatusCode)status.Code, status.Message));
        }
    }

    private static Payload Zeros(int size) => new() { Type = PayloadType.Compressable, Body = UnsafeByteOperations.UnsafeWrap(new byte[size]) };
}
