using Google.Protobuf;
using Grpc.Testing;
using ScriptService.Grpc.Client;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>The compressed flag, grpc-encoding and grpc-accept-encoding.</summary>
public class CompressionTests
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";

    private static SimpleRequest Request(bool expectCompressed = false, bool responseCompressed = false) => new()
    {
        ResponseSize = 2000,
        Payload = new Payload { Body = ByteString.CopyFrom(new byte[3000]) },
        ExpectCompressed = new BoolValue { Value = expectCompressed },
        ResponseCompressed = new BoolValue { Value = responseCompressed },
    };

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task A_compressed_request_is_decompressed(string encoding)
    {
        await using var server = await TestServer.StartAsync();
        ICompressionProvider provider = encoding == "gzip" ? new GzipCompressionProvider() : new DeflateCompressionProvider();
        var compressed = MessageCompression.Compress(provider, Request(expectCompressed: true).ToByteArray());
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(compressed, compressedFlag: true), headers: ("grpc-encoding", encoding)));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(2000, SimpleResponse.Parser.ParseFrom(Assert.Single(response.Frames).Payload).Payload.Body.Length);
        Assert.Equal("identity,gzip,deflate", response.Header("grpc-accept-encoding"));
    }

    [Fact]
    public async Task Uncompressed_messages_are_allowed_under_an_encoding()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(Request()), headers: ("grpc-encoding", "gzip")));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
    }

    [Fact]
    public async Task The_compressed_flag_without_an_encoding_is_internal()
    {
        await using var server = await TestServer.StartAsync();
        var compressed = MessageCompression.Compress(new GzipCompressionProvider(), Request().ToByteArray());
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(compressed, compressedFlag: true)));
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task Corrupt_compressed_data_is_internal()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new byte[] { 1, 2, 3, 4, 5, 6 }, compressedFlag: true), headers: ("grpc-encoding", "gzip")));
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task A_compressed_message_that_inflates_past_the_limit_is_resource_exhausted()
    {
        await using var server = await TestServer.StartAsync(options: o => o.MaxReceiveMessageSize = 10_000);
        var big = new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[100_000]) } };
        var compressed = MessageCompression.Compress(new GzipCompressionProvider(), big.ToByteArray());
        Assert.True(compressed.Length < 10_000);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(compressed, compressedFlag: true), headers: ("grpc-encoding", "gzip")));
        Assert.Equal(StatusCode.ResourceExhausted, response.GrpcStatus);
    }

    [Fact]
    public async Task An_unknown_encoding_is_unimplemented_and_the_supported_ones_are_listed()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(Request()), headers: ("grpc-encoding", "snappy")));
        Assert.Equal(StatusCode.Unimplemented, response.GrpcStatus);
        Assert.True(response.TrailersOnly);
        Assert.Equal("identity,gzip,deflate", response.Header("grpc-accept-encoding"));
    }

    [Fact]
    public async Task Responses_are_compressed_when_asked_and_accepted()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(Request(responseCompressed: true)), headers: ("grpc-accept-encoding", "identity,gzip")));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal("gzip", response.Header("grpc-encoding"));
        var frame = Assert.Single(response.Frames);
        Assert.True(frame.Compressed);
        var payload = MessageCompression.Decompress(new GzipCompressionProvider(), frame.Payload, int.MaxValue);
        Assert.Equal(2000, SimpleResponse.Parser.ParseFrom(payload).Payload.Body.Length);
    }

    [Fact]
    public async Task Responses_are_not_compressed_when_not_asked_or_not_accepted()
    {
        await using var server = await TestServer.StartAsync();
        var notAsked = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(Request()), headers: ("grpc-accept-encoding", "gzip")));
        Assert.False(Assert.Single(notAsked.Frames).Compressed);
        var notAccepted = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(Request(responseCompressed: true))));
        Assert.False(Assert.Single(notAccepted.Frames).Compressed);
        Assert.Null(notAccepted.Header("grpc-encoding"));
    }

    [Fact]
    public async Task Per_message_NoCompress_leaves_that_message_uncompressed()
    {
        await using var server = await TestServer.StartAsync();
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(new ResponseParameters { Size = 100, Compressed = new BoolValue { Value = true } });
        request.ResponseParameters.Add(new ResponseParameters { Size = 100, Compressed = new BoolValue { Value = false } });
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/StreamingOutputCall", Raw.Frame(request), headers: ("grpc-accept-encoding", "gzip")));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(new[] { true, false }, response.Frames.Select(f => f.Compressed));
    }

    [Fact]
    public async Task Our_client_compresses_requests_and_reads_compressed_responses()
    {
        await using var server = await TestServer.StartAsync();
        var service = server.Client.ForService(BehaviourService.Descriptor);
        var response = await service.UnaryAsync<SimpleRequest, SimpleResponse>("UnaryCall", Request(expectCompressed: true, responseCompressed: true), new CallOptions(RequestCompression: "gzip"));
        Assert.Equal(2000, response.Payload.Body.Length);
    }
}
