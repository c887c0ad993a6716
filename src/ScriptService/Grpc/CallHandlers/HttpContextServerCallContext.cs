using System.Buffers;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>
/// One call's state on top of Kestrel's HttpContext: request metadata, deadline, cancellation,
/// message reading and writing (one write at a time), and the end of the call (one status, once).
/// </summary>
internal sealed class HttpContextServerCallContext : ServerCallContext
{
    // Timers cannot be longer than this; a longer grpc-timeout is as good as none.
    private static readonly TimeSpan MaxTimerDueTime = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly HttpContext _httpContext;
    private readonly GrpcServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _method;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private CancellationTokenSource? _cts;
    private bool _finished;
    private Task? _deadlineTask;
    private ITimer? _deadlineTimer;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private ICompressionProvider? _requestProvider;
    private ICompressionProvider? _responseProvider;
    private bool _responseEncodingChosen;
    private bool _messageWritten;
    private volatile bool _requestReset;
    private int _ended;
    private volatile bool _deadlineExceeded;
    private DateTime _deadline = DateTime.MaxValue;

    public HttpContextServerCallContext(HttpContext httpContext, string method, GrpcServerOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _httpContext = httpContext;
        _method = method;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        ResponseCompressionAlgorithm = options.ResponseCompressionAlgorithm;
    }

    public HttpContext HttpContext => _httpContext;
    public override string Method => _method;
    public override string Host => _httpContext.Request.Host.Value ?? "";
    public override string Peer => _httpContext.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        var ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => $"ipv6:[{ip}]:{_httpContext.Connection.RemotePort}",
        var ip => $"ipv4:{ip}:{_httpContext.Connection.RemotePort}",
    };
    public override DateTime Deadline => _deadline;
    public override Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders();

    private Metadata ReadRequestHeaders()
    {
        MetadataHeaders.TryRead(_httpContext.Request.Headers, out var metadata, out _);
        return metadata;
    }
    public override CancellationToken CancellationToken => _cts?.Token ?? _httpContext.RequestAborted;
    public override Metadata ResponseTrailers => _responseTrailers ??= new Metadata();
    public override Status Status { get; set; } = Status.DefaultSuccess;
    public override WriteOptions? WriteOptions { get; set; }
    public override string? ResponseCompressionAlgorithm { get; set; }

    private int MaxReceive => _options.MaxReceiveMessageSize ?? int.MaxValue;

    /// <summary>Reads the request's protocol headers. Returns the status to end the call with when they are unusable.</summary>
    public Status? Initialize()
    {
        var headers = _httpContext.Request.Headers;

        var encoding = headers[GrpcProtocol.EncodingHeader].ToString();
        if (encoding.Length > 0 && !string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.Ordinal))
        {
            _requestProvider = _options.FindProvider(encoding);
            // grpc-accept-encoding is sent to clients that compress (or whose responses we compress), not on
            // every call: it is optional, and an extra header on each response costs throughput.
            _httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = _options.AcceptEncodingValue;
            if (_requestProvider is null)
            {
                return new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {_options.AcceptEncodingValue}");
            }
        }

        // Metadata is built on first use (most handlers never look); only a bad -bin value must refuse the call now.
        if (MetadataHeaders.FindInvalidBinaryHeader(headers) is { } badKey)
        {
            return new Status(StatusCode.Internal, $"Invalid base64 value in binary header '{badKey}'.");
        }

        var timeoutText = headers[GrpcProtocol.TimeoutHeader].ToString();
        TimeSpan? timeout = null;
        if (timeoutText.Length > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutText, out var parsed))
            {
                return new Status(StatusCode.Internal, $"Invalid grpc-timeout value '{timeoutText}'.");
            }
            timeout = parsed;
        }

        if (timeout is { } due && due < MaxTimerDueTime)
        {
            // Only a call with a deadline needs a token source of its own; others use RequestAborted as is.
            _cts = CancellationTokenSource.CreateLinkedTokenSource(_httpContext.RequestAborted);
            _deadline = _timeProvider.GetUtcNow().UtcDateTime + due;
            _deadlineTimer = _timeProvider.CreateTimer(static state => ((HttpContextServerCallContext)state!).OnDeadline(), this, due, Timeout.InfiniteTimeSpan);
        }
        return null;
    }

    // ---- reading ----

    /// <summary>The next message of the request stream, or null at its end.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken) where T : class, IMessage<T>
    {
        var reader = _httpContext.Request.BodyReader;
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Kestrel reports RST_STREAM from the client this way, sometimes before RequestAborted fires.
                _requestReset = true;
                throw new RpcException(new Status(StatusCode.Cancelled, "The client reset the request stream."));
            }
            var buffer = result.Buffer;
            bool found;
            bool compressed;
            ReadOnlySequence<byte> payload;
            try
            {
                found = MessageFraming.TryReadFrame(ref buffer, MaxReceive, out compressed, out payload);
            }
            catch
            {
                reader.AdvanceTo(buffer.Start);
                throw;
            }

            if (found)
            {
                T message;
                try
                {
                    message = Parse(parser, payload, compressed);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }
                return message;
            }

            if (result.IsCompleted)
            {
                var leftOver = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (leftOver == 0)
                {
                    return null;
                }
                throw new RpcException(new Status(StatusCode.Internal, "Incomplete message."));
            }
            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start);
                throw new OperationCanceledException();
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// The one request message of a unary or server-streaming call: the body is read to its end in a
    /// single loop (one async frame instead of two message reads), and must hold exactly one message.
    /// </summary>
    public async ValueTask<T> ReadSingleMessageAsync<T>(MessageParser<T> parser) where T : class, IMessage<T>
    {
        var reader = _httpContext.Request.BodyReader;
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                // Kestrel ends a pending body read itself when the stream is reset, so only the deadline's token is
                // passed: touching RequestAborted makes Kestrel create a token source for every call.
                result = await reader.ReadAsync(_cts?.Token ?? default).ConfigureAwait(false);
            }
            catch (IOException)
            {
                _requestReset = true;
                throw new RpcException(new Status(StatusCode.Cancelled, "The client reset the request stream."));
            }
            var buffer = result.Buffer;
            var rest = buffer;
            bool found;
            bool compressed;
            ReadOnlySequence<byte> payload;
            try
            {
                // Also refuses an oversized message from its header, before the body is buffered.
                found = MessageFraming.TryReadFrame(ref rest, MaxReceive, out compressed, out payload);
            }
            catch
            {
                reader.AdvanceTo(buffer.Start);
                throw;
            }
            if (found && rest.Length > 0)
            {
                reader.AdvanceTo(buffer.End);
                throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received."));
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                try
                {
                    if (result.IsCanceled)
                    {
                        throw new OperationCanceledException();
                    }
                    if (!found)
                    {
                        throw new RpcException(new Status(StatusCode.Internal, "Incomplete message."));
                    }
                    return Parse(parser, payload, compressed);
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed) where T : IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }
            if (_requestProvider is null)
            {
                throw new RpcException(new Status(StatusCode.Internal, "Request sent 'identity' grpc-encoding value with compressed message."));
            }
            var data = MessageCompression.Decompress(_requestProvider, payload.ToArray(), MaxReceive);
            return parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Error parsing the request message."));
        }
    }

    // ---- writing ----

    public override async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        if (_httpContext.Response.HasStarted)
        {
            throw new InvalidOperationException("Response headers can only be sent once per call.");
        }
        MetadataHeaders.Append(responseHeaders, (key, value) => _httpContext.Response.Headers.Append(key, value));
        ChooseResponseEncoding();
        await _httpContext.Response.StartAsync(CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one message. <paramref name="flush"/> is false for unary responses: Kestrel flushes them with the trailers.</summary>
    public async Task WriteMessageAsync(IMessage message, WriteOptions? writeOptions, bool flush, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ended) != 0)
        {
            throw new InvalidOperationException("Can't write the message because the call is complete.");
        }
        if (!_writeLock.Wait(0))
        {
            throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
        }
        try
        {
            if (Volatile.Read(ref _ended) != 0)
            {
                throw new InvalidOperationException("Can't write the message because the call is complete.");
            }
            var size = message.CalculateSize();
            if (size > (_options.MaxSendMessageSize ?? int.MaxValue))
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size."));
            }
            ChooseResponseEncoding();
            var writer = _httpContext.Response.BodyWriter;
            var flags = (writeOptions ?? WriteOptions)?.Flags ?? default;
            var compress = _responseProvider is not null && (flags & WriteFlags.NoCompress) == 0;
            if (!compress)
            {
                var span = writer.GetSpan(GrpcProtocol.HeaderSize + size);
                MessageFraming.WriteHeader(span, compressed: false, size);
                message.WriteTo(span.Slice(GrpcProtocol.HeaderSize, size));
                writer.Advance(GrpcProtocol.HeaderSize + size);
            }
            else
            {
                var compressedBytes = MessageCompression.Compress(_responseProvider!, message.ToByteArray());
                var span = writer.GetSpan(GrpcProtocol.HeaderSize + compressedBytes.Length);
                MessageFraming.WriteHeader(span, compressed: true, compressedBytes.Length);
                compressedBytes.CopyTo(span[GrpcProtocol.HeaderSize..]);
                writer.Advance(GrpcProtocol.HeaderSize + compressedBytes.Length);
            }
            _messageWritten = true;
            if (flush)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    // The response encoding is fixed when the headers go out: grpc-encoding is a header, not a trailer.
    private void ChooseResponseEncoding()
    {
        if (_responseEncodingChosen)
        {
            return;
        }
        _responseEncodingChosen = true;
        var response = _httpContext.Response;
        var algorithm = ResponseCompressionAlgorithm;
        if (algorithm is null || response.HasStarted)
        {
            return;
        }
        var provider = _options.FindProvider(algorithm);
        if (provider is null || !ClientAccepts(algorithm))
        {
            return;
        }
        _responseProvider = provider;
        response.Headers[GrpcProtocol.EncodingHeader] = algorithm;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = _options.AcceptEncodingValue;
    }

    private bool ClientAccepts(string algorithm)
    {
        foreach (var value in _httpContext.Request.Headers[GrpcProtocol.AcceptEncodingHeader])
        {
            if (value is null)
            {
                continue;
            }
            foreach (var part in value.Split(','))
            {
                if (string.Equals(part.Trim(), algorithm, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- the end of the call ----

    private bool TryEnd() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>The handler returned normally.</summary>
    public async Task EndCallAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!TryEnd())
            {
                return;
            }
            var status = _deadlineExceeded ? DeadlineExceededStatus : Status;
            WriteStatusSafely(status);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The handler threw: map the exception to a status, without leaking details unless enabled.</summary>
    public async Task ProcessHandlerErrorAsync(Exception exception)
    {
        Status status;
        if (_deadlineExceeded)
        {
            status = DeadlineExceededStatus;
        }
        else if (_requestReset || _httpContext.RequestAborted.IsCancellationRequested)
        {
            status = new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }
        else if (exception is RpcException rpc)
        {
            status = rpc.Status;
            foreach (var entry in rpc.Trailers)
            {
                ResponseTrailers.Add(entry);
            }
        }
        else
        {
            _logger.LogError(exception, "Error when executing service method '{Method}'.", _method);
            status = new Status(StatusCode.Unknown, _options.EnableDetailedErrors
                ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                : "Exception was thrown by handler.");
        }

        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!TryEnd())
            {
                return;
            }
            // Once a message is out the status must go in trailers; an error before any message uses trailers-only.
            WriteStatusSafely(status);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static readonly Status DeadlineExceededStatus = new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    private void WriteStatusSafely(Status status)
    {
        // RequestAborted is not consulted here: it would cost every call a token source. A reset stream makes
        // the trailer write a no-op or throw, and the throw is caught below.
        if (_requestReset)
        {
            return; // Nobody is listening; Kestrel has reset the stream.
        }
        try
        {
            GrpcStatusWriter.WriteStatus(_httpContext.Response, status, _responseTrailers, _messageWritten);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "Could not write the status of '{Method}'.", _method);
        }
    }

    private void OnDeadline()
    {
        lock (_writeLock)
        {
            if (_finished)
            {
                return;
            }
            _deadlineExceeded = true;
            _cts?.Cancel();
            _deadlineTask = Task.Run(DeadlineExceededAsync);
        }
    }

    // The handler may ignore its token; the client still gets DEADLINE_EXCEEDED now, not when the handler returns.
    private async Task DeadlineExceededAsync()
    {
        try
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        try
        {
            if (!TryEnd())
            {
                return;
            }
            WriteStatusSafely(DeadlineExceededStatus);
            await _httpContext.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Could not complete '{Method}' after its deadline.", _method);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Called once the request delegate is about to return: after this the HttpContext may be reused,
    /// so a deadline that fires later must not touch it, and one that is writing must be waited for.
    /// </summary>
    public Task FinishAsync()
    {
        // Without a deadline timer nothing can race the end of the request.
        return _deadlineTimer is null ? Task.CompletedTask : FinishWithDeadlineAsync();
    }

    private async Task FinishWithDeadlineAsync()
    {
        Task? deadlineTask;
        lock (_writeLock)
        {
            _finished = true;
            deadlineTask = _deadlineTask;
        }
        _deadlineTimer?.Dispose();
        if (deadlineTask is not null)
        {
            await deadlineTask.ConfigureAwait(false);
        }
        _cts?.Dispose();
    }
}
