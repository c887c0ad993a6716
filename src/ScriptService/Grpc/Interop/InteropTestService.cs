using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;

namespace ScriptService.Grpc.Interop;

/// <summary>
/// grpc.testing.TestService as the public interop test descriptions ask of a server, on the base
/// Grpc.Tools generates. It exists to prove the service stack against other languages' clients; it
/// is hosted only with --interop. UnimplementedCall is not overridden: the generated base answers
/// UNIMPLEMENTED.
/// </summary>
public sealed class InteropTestService : TestService.TestServiceBase
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    /// <summary>grpc-dotnet's way for a call to ask for compressed responses (the header itself is not sent).</summary>
    private const string ResponseEncodingKey = "grpc-internal-encoding-request";

    public override Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public override Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        // Synchronous unless there are response headers to write: the benchmark's UnaryCall then costs no state machine.
        var echo = EchoMetadataAsync(context, request.ResponseCompressed?.Value == true);
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
        return new SimpleResponse { Payload = Zeros(request.ResponseSize) };
    }

    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, request.ResponseParameters.Any(p => p.Compressed?.Value == true)).ConfigureAwait(false);
        ThrowIfErrorRequested(request.ResponseStatus);
        await WriteResponsesAsync(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        var total = 0;
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            EnsureCompressedAsExpected(requestStream.Current.ExpectCompressed, context);
            total += requestStream.Current.Payload?.Body.Length ?? 0;
        }
        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public override async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await EchoMetadataAsync(context, compressResponses: false).ConfigureAwait(false);
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requestStream.Current;
            ThrowIfErrorRequested(request.ResponseStatus);
            await WriteResponsesAsync(request, responseStream, context).ConfigureAwait(false);
        }
    }

    public override async Task HalfDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
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

    private static Task EchoMetadataAsync(ServerCallContext context, bool compressResponses)
    {
        // Looked up in the HTTP headers first: grpc-dotnet builds RequestHeaders (every header as
        // metadata) on first use, which a call without echo headers need not pay for.
        var http = context.GetHttpContext().Request.Headers;
        var echoTrailing = http.ContainsKey(EchoTrailingKey);
        var echoInitial = http.ContainsKey(EchoInitialKey);
        if (!echoTrailing && !echoInitial && !compressResponses)
        {
            return Task.CompletedTask;
        }
        var trailing = echoTrailing ? context.RequestHeaders.Get(EchoTrailingKey) : null;
        if (trailing is not null)
        {
            context.ResponseTrailers.Add(trailing);
        }
        var initial = echoInitial ? context.RequestHeaders.Get(EchoInitialKey) : null;
        if (initial is null && !compressResponses)
        {
            return Task.CompletedTask;
        }
        var headers = new Metadata();
        if (initial is not null)
        {
            headers.Add(initial);
        }
        if (compressResponses)
        {
            headers.Add(ResponseEncodingKey, "gzip");
        }
        return context.WriteResponseHeadersAsync(headers);
    }

    // The interop client first probes with expect_compressed set on an uncompressed message: the server must refuse it.
    private static void EnsureCompressedAsExpected(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value != true)
        {
            return;
        }
        // grpc-encoding is a protocol header, not metadata (grpc-dotnet leaves it out of RequestHeaders): read it from the HTTP request.
        var encoding = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString();
        if (encoding.Length == 0 || string.Equals(encoding, "identity", StringComparison.Ordinal))
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

/// <summary>grpc.testing.UnimplementedService with nothing overridden: every call is UNIMPLEMENTED.</summary>
public sealed class UnimplementedInteropService : UnimplementedService.UnimplementedServiceBase
{
}
