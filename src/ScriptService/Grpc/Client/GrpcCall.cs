using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Google.Protobuf;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Client;

/// <summary>
/// One call in flight, of any kind: requests go out as they are written (full duplex over one HTTP/2
/// stream); responses are read one by one; the status and trailers are known once the responses end.
/// </summary>
public sealed class GrpcCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    private readonly MessageParser<TResponse> _parser;
    private readonly CallOptions _options;
    private readonly int _maxReceive;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cts;
    private readonly Task<HttpResponseMessage> _responseTask;
    private readonly ICompressionProvider? _requestCompression;
    private HttpResponseMessage? _response;
    private Stream? _responseStream;
    private ICompressionProvider? _responseCompression;
    private Status? _status;
    private Metadata? _trailers;
    private Metadata? _responseHeaders;
    private TResponse? _current;
    private volatile bool _deadlineHit;
    private volatile bool _cancelledByCaller;

    internal GrpcCall(HttpClient http, string path, MessageParser<TResponse> parser, CallOptions options, int maxReceive)
    {
        _parser = parser;
        _options = options;
        _maxReceive = maxReceive;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);

        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ChannelContent(_outgoing.Reader),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        request.Headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        request.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, "identity,gzip,deflate");
        if (options.RequestCompression is { } encoding)
        {
            _requestCompression = encoding switch
            {
                "gzip" => new GzipCompressionProvider(),
                "deflate" => new DeflateCompressionProvider(),
                _ => throw new ArgumentException($"Unknown compression '{encoding}'."),
            };
            request.Headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, encoding);
        }
        if (options.Timeout is { } timeout)
        {
            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
            _cts.CancelAfter(timeout);
            _cts.Token.Register(() => _deadlineHit = !_cancelledByCaller && !options.CancellationToken.IsCancellationRequested);
        }
        if (options.Headers is not null)
        {
            foreach (var entry in options.Headers)
            {
                request.Headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? MetadataEncoding.EncodeBinary(entry.ValueBytes) : entry.Value);
            }
        }
        _responseTask = http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _cts.Token);
    }

    public TResponse Current => _current ?? throw new InvalidOperationException("No current response.");

    /// <summary>The status; available once <see cref="MoveNextAsync"/> has returned false or thrown.</summary>
    public Status Status => _status ?? throw new InvalidOperationException("The call has not ended yet.");

    public Metadata Trailers => _trailers ?? throw new InvalidOperationException("The call has not ended yet.");

    public async Task<Metadata> ResponseHeadersAsync()
    {
        await EnsureResponseAsync().ConfigureAwait(false);
        return _responseHeaders!;
    }

    /// <summary>The raw HTTP response, once headers arrived (for protocol tests).</summary>
    public HttpResponseMessage? HttpResponse => _response;

    public ValueTask WriteAsync(TRequest message)
    {
        var bytes = message.ToByteArray();
        var compressed = _requestCompression is not null;
        if (compressed)
        {
            bytes = MessageCompression.Compress(_requestCompression!, bytes);
        }
        var frame = new byte[GrpcProtocol.HeaderSize + bytes.Length];
        MessageFraming.WriteHeader(frame, compressed, bytes.Length);
        bytes.CopyTo(frame, GrpcProtocol.HeaderSize);
        return _outgoing.Writer.TryWrite(frame) ? ValueTask.CompletedTask : ValueTask.FromException(new InvalidOperationException("The request stream is complete."));
    }

    /// <summary>Half-closes: no more requests.</summary>
    public Task CompleteRequestAsync()
    {
        _outgoing.Writer.TryComplete();
        return Task.CompletedTask;
    }

    /// <summary>Cancels the call: the HTTP/2 stream is reset.</summary>
    public void Cancel()
    {
        _cancelledByCaller = true;
        _cts.Cancel();
    }

    public async Task<bool> MoveNextAsync()
    {
        if (_status is not null)
        {
            return false;
        }
        try
        {
            await EnsureResponseAsync().ConfigureAwait(false);
            if (_status is not null)
            {
                return false;
            }
            var header = new byte[GrpcProtocol.HeaderSize];
            if (!await ReadExactlyOrEndAsync(_responseStream!, header).ConfigureAwait(false))
            {
                EndFromTrailers();
                return false;
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
            if (length > (uint)_maxReceive)
            {
                Cancel();
                _status = new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
                _trailers = new Metadata();
                return false;
            }
            var payload = new byte[length];
            if (!await ReadExactlyOrEndAsync(_responseStream!, payload).ConfigureAwait(false) && length > 0)
            {
                _status = new Status(StatusCode.Internal, "Incomplete message.");
                _trailers = new Metadata();
                return false;
            }
            if (header[0] == 1)
            {
                if (_responseCompression is null)
                {
                    throw new RpcException(new Status(StatusCode.Internal, "Compressed message without grpc-encoding."));
                }
                payload = MessageCompression.Decompress(_responseCompression, payload, _maxReceive);
            }
            _current = _parser.ParseFrom(payload);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
        {
            _status = _deadlineHit
                ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : _cts.IsCancellationRequested
                    ? new Status(StatusCode.Cancelled, "Call canceled by the client.")
                    : new Status(StatusCode.Unavailable, "Error reading the response: " + ex.Message);
            _trailers = new Metadata();
            return false;
        }
    }

    /// <summary>Reads the one response of a unary or client-streaming call; throws <see cref="RpcException"/> unless OK.</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var got = await MoveNextAsync().ConfigureAwait(false);
        var response = got ? Current : default;
        if (got && await MoveNextAsync().ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.Internal, "More than one response message."));
        }
        EnsureSuccess();
        return response ?? throw new RpcException(new Status(StatusCode.Internal, "No response message."));
    }

    public void EnsureSuccess()
    {
        if (Status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(Status, Trailers);
        }
    }

    private async Task EnsureResponseAsync()
    {
        if (_response is not null || _status is not null)
        {
            return;
        }
        _response = await _responseTask.ConfigureAwait(false);
        _responseHeaders = ReadMetadata(_response.Headers);
        var encoding = GetHeader(_response.Headers, GrpcProtocol.EncodingHeader);
        _responseCompression = encoding switch
        {
            null or "identity" => null,
            "gzip" => new GzipCompressionProvider(),
            "deflate" => new DeflateCompressionProvider(),
            _ => throw new RpcException(new Status(StatusCode.Internal, $"Unsupported response grpc-encoding '{encoding}'.")),
        };

        // Trailers-only: the status is in the headers and there is no body.
        var headerStatus = GetHeader(_response.Headers, GrpcProtocol.StatusTrailer);
        if (headerStatus is not null)
        {
            _status = ParseStatus(headerStatus, GetHeader(_response.Headers, GrpcProtocol.MessageTrailer));
            _trailers = _responseHeaders;
            return;
        }
        if (_response.StatusCode != HttpStatusCode.OK)
        {
            _status = new Status(GrpcClient.StatusFromHttp(_response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)_response.StatusCode}");
            _trailers = new Metadata();
            return;
        }
        _responseStream = await _response.Content.ReadAsStreamAsync(_cts.Token).ConfigureAwait(false);
    }

    private void EndFromTrailers()
    {
        var trailers = _response!.TrailingHeaders;
        var status = GetHeader(trailers, GrpcProtocol.StatusTrailer);
        _status = status is null
            ? new Status(StatusCode.Internal, "No grpc-status found on response.")
            : ParseStatus(status, GetHeader(trailers, GrpcProtocol.MessageTrailer));
        _trailers = ReadMetadata(trailers);
    }

    private static Status ParseStatus(string code, string? message) =>
        int.TryParse(code, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? new Status((StatusCode)value, message is null ? "" : PercentEncoding.Decode(message))
            : new Status(StatusCode.Unknown, $"Invalid grpc-status '{code}'.");

    private static string? GetHeader(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            var lower = key.ToLowerInvariant();
            if (GrpcProtocol.IsReservedHeader(lower))
            {
                continue;
            }
            foreach (var value in values)
            {
                if (Metadata.IsBinaryKey(lower))
                {
                    if (MetadataEncoding.TryDecodeBinary(value, out var bytes))
                    {
                        metadata.Add(lower, bytes);
                    }
                }
                else
                {
                    metadata.Add(lower, value);
                }
            }
        }
        return metadata;
    }

    private async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), _cts.Token).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                {
                    return false;
                }
                throw new IOException("The response ended inside a message.");
            }
            read += n;
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        if (_status is null)
        {
            Cancel();
        }
        try
        {
            (await _responseTask.ConfigureAwait(false)).Dispose();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
        }
        _cts.Dispose();
    }

    /// <summary>A request body that sends each frame as soon as it is written and ends at half-close.</summary>
    private sealed class ChannelContent : HttpContent
    {
        private readonly ChannelReader<byte[]> _frames;

        public ChannelContent(ChannelReader<byte[]> frames) => _frames = frames;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await foreach (var frame in _frames.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
