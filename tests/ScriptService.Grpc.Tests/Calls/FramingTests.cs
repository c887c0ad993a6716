using Google.Protobuf;
using Grpc.Testing;
using Grpc.Core;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>Length-prefixed messages over the wire: split across reads, several per read, wrong counts, sizes.</summary>
public class FramingTests
{
    private static byte[] InputFrame(int size) => Raw.Frame(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[size]) } });

    private static int AggregatedSize(Raw.Response response)
    {
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        return StreamingInputCallResponse.Parser.ParseFrom(Assert.Single(response.Frames).Payload).AggregatedPayloadSize;
    }

    [Fact]
    public async Task Frames_split_across_reads_are_reassembled()
    {
        await using var server = await TestServer.StartAsync();
        var body = InputFrame(300).Concat(InputFrame(5)).ToArray();
        // Cut inside the first header, inside the first message, and between the header and body of the second.
        var pieces = new[] { body[..2], body[2..4], body[4..100], body[100..310], body[310..] };
        Assert.Equal(body.Length, pieces.Sum(p => p.Length));
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/StreamingInputCall", new PiecewiseContent(pieces)));
        Assert.Equal(305, AggregatedSize(response));
    }

    [Fact]
    public async Task Several_messages_in_one_write_are_all_read()
    {
        await using var server = await TestServer.StartAsync();
        var body = Enumerable.Range(1, 10).SelectMany(InputFrame).ToArray();
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/StreamingInputCall", body));
        Assert.Equal(55, AggregatedSize(response));
    }

    [Fact]
    public async Task Unary_with_no_message_is_internal()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", Array.Empty<byte>()));
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.True(response.TrailersOnly);
    }

    [Fact]
    public async Task Unary_with_two_messages_is_internal()
    {
        await using var server = await TestServer.StartAsync();
        var body = Raw.Frame(new Empty()).Concat(Raw.Frame(new Empty())).ToArray();
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", body));
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Equal("Additional data after the message received.", response.GrpcMessage);
    }

    [Fact]
    public async Task A_body_ending_inside_a_message_is_internal()
    {
        await using var server = await TestServer.StartAsync();
        var body = Raw.Frame(new SimpleRequest { ResponseSize = 3 })[..4];
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall", body));
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
        Assert.Equal("Incomplete message.", response.GrpcMessage);
    }

    [Fact]
    public async Task Garbage_that_is_not_protobuf_fails_the_call_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall", Raw.Frame(new byte[] { 0xFF, 0xFF, 0xFF })));
        // grpc-dotnet's status for a message it cannot parse.
        Assert.Equal(StatusCode.Unknown, response.GrpcStatus);
        var next = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.OK, next.GrpcStatus);
    }

    [Fact]
    public async Task An_oversized_message_is_refused_from_its_header_before_the_body_arrives()
    {
        await using var server = await TestServer.StartAsync(options: o => o.MaxReceiveMessageSize = 1024);
        // Only the header announcing 1 MiB is sent, and the request stays open: the answer cannot wait for the body.
        var gate = new TaskCompletionSource();
        var content = new HeaderThenWaitContent(new byte[] { 0, 0, 0x10, 0, 0 }, gate.Task);
        using var timeout = new CancellationTokenSource(TestServer.TestTimeout);
        var request = Raw.Request("/grpc.testing.TestService/StreamingInputCall", content);
        var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await response.Content.ReadAsByteArrayAsync(timeout.Token);
        gate.TrySetResult();
        var status = response.Headers.TryGetValues("grpc-status", out var s) ? s.Single() : response.TrailingHeaders.GetValues("grpc-status").Single();
        Assert.Equal(((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture), status);
    }

    [Fact]
    public async Task Messages_up_to_the_configured_receive_limit_pass()
    {
        await using var server = await TestServer.StartAsync(options: o => o.MaxReceiveMessageSize = 1024);
        var ok = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall",
            Raw.Frame(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[1000]) } })));
        Assert.Equal(StatusCode.OK, ok.GrpcStatus);
        var tooBig = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall",
            Raw.Frame(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[1100]) } })));
        Assert.Equal(StatusCode.ResourceExhausted, tooBig.GrpcStatus);
    }

    [Fact]
    public async Task Default_receive_limit_is_4_MiB()
    {
        await using var server = await TestServer.StartAsync();
        var tooBig = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall",
            Raw.Frame(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[4 * 1024 * 1024]) } })));
        Assert.Equal(StatusCode.ResourceExhausted, tooBig.GrpcStatus);
    }

    [Fact]
    public async Task A_response_over_the_send_limit_is_resource_exhausted()
    {
        await using var server = await TestServer.StartAsync(options: o => o.MaxSendMessageSize = 1024);
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall", Raw.Frame(new SimpleRequest { ResponseSize = 2000 })));
        Assert.Equal(StatusCode.ResourceExhausted, response.GrpcStatus);
        Assert.Empty(response.Frames);
    }

    /// <summary>Sends some bytes, then holds the request stream open until released.</summary>
    private sealed class HeaderThenWaitContent : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly Task _release;

        public HeaderThenWaitContent(byte[] bytes, Task release)
        {
            _bytes = bytes;
            _release = release;
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(_bytes);
            await stream.FlushAsync();
            await Task.WhenAny(_release, Task.Delay(TestServer.TestTimeout));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
