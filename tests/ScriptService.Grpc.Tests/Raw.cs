using System.Buffers.Binary;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Core;

namespace ScriptService.Grpc.Tests;

/// <summary>
/// Hand-made gRPC requests and a reader of raw responses, for tests that check exact bytes and headers
/// on the wire (what a client in any language would see). Test-side only: the 5-byte message prefix of
/// the gRPC HTTP/2 protocol, written and split by hand so that tests can also send broken ones.
/// </summary>
public static class Raw
{
    public const string ContentType = "application/grpc";

    public static byte[] Frame(IMessage message, bool compressedFlag = false) => Frame(message.ToByteArray(), compressedFlag);

    public static byte[] Frame(byte[] payload, bool compressedFlag = false)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static HttpRequestMessage Request(string path, byte[] body, string? contentType = ContentType, params (string Key, string Value)[] headers)
        => Request(path, new ByteArrayContent(body), contentType, headers);

    public static HttpRequestMessage Request(string path, HttpContent content, string? contentType = ContentType, params (string Key, string Value)[] headers)
    {
        // HttpRequestMessage defaults to HTTP/1.1 whatever the client's DefaultRequestVersion says.
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = content,
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (key, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }
        return request;
    }

    /// <summary>A response read to its end: status line, headers, body frames and trailers.</summary>
    public sealed record Response(HttpResponseMessage Message, byte[] Body, IReadOnlyList<(bool Compressed, byte[] Payload)> Frames)
    {
        public string? Header(string name) => Message.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : Message.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;
        public string? Trailer(string name) => Message.TrailingHeaders.TryGetValues(name, out var v) ? string.Join(",", v) : null;

        /// <summary>grpc-status from trailers, or from headers in a trailers-only response.</summary>
        public StatusCode? GrpcStatus => (Trailer("grpc-status") ?? Header("grpc-status")) is { } s ? (StatusCode)int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : null;

        /// <summary>grpc-message, percent-decoded (the protocol percent-encodes UTF-8 bytes outside printable ASCII and '%').</summary>
        public string? GrpcMessage => (Trailer("grpc-message") ?? Header("grpc-message")) is { } m ? Uri.UnescapeDataString(m) : null;
        public bool TrailersOnly => Header("grpc-status") is not null && Body.Length == 0 && !Message.TrailingHeaders.Any();
    }

    public static async Task<Response> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var timeout = new CancellationTokenSource(TestServer.TestTimeout);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        var isGrpc = response.Content.Headers.ContentType?.MediaType?.StartsWith(ContentType, StringComparison.Ordinal) == true;
        return new Response(response, body, isGrpc ? SplitFrames(body) : new List<(bool, byte[])>());
    }

    public static List<(bool, byte[])> SplitFrames(byte[] body)
    {
        var frames = new List<(bool, byte[])>();
        var offset = 0;
        while (offset + 5 <= body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1));
            Assert.True(offset + 5 + length <= body.Length, "body ends inside a frame: " + Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 64))));
            frames.Add((body[offset] == 1, body.AsSpan(offset + 5, length).ToArray()));
            offset += 5 + length;
        }
        Assert.Equal(body.Length, offset);
        return frames;
    }
}

/// <summary>A request body written in the given pieces, flushed one by one with a pause, so the server sees separate reads.</summary>
public sealed class PiecewiseContent : HttpContent
{
    private readonly IReadOnlyList<byte[]> _pieces;

    public PiecewiseContent(IReadOnlyList<byte[]> pieces) => _pieces = pieces;

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        foreach (var piece in _pieces)
        {
            await stream.WriteAsync(piece);
            await stream.FlushAsync();
            await Task.Delay(5);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
