using System.Text;
using Google.Protobuf;
using Grpc.Testing;
using Grpc.Core;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>Custom metadata in and out, status in trailers or trailers-only, percent-encoded messages, errors.</summary>
public class MetadataAndStatusTests
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";

    [Fact]
    public async Task Custom_metadata_is_echoed_in_headers_and_trailers()
    {
        await using var server = await TestServer.StartAsync();
        // 5 bytes: base64 "AQIDBAU=" sent without its padding.
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { ResponseSize = 1 }),
            headers: new[] { ("x-grpc-test-echo-initial", "initial value"), ("x-grpc-test-echo-trailing-bin", "AQIDBAU") }));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal("initial value", response.Header("x-grpc-test-echo-initial"));
        var trailer = response.Trailer("x-grpc-test-echo-trailing-bin");
        Assert.NotNull(trailer);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, Convert.FromBase64String(trailer!.PadRight((trailer.Length + 3) / 4 * 4, '=')));
    }

    [Fact]
    public async Task The_client_sends_and_receives_binary_metadata()
    {
        await using var server = await TestServer.StartAsync();
        var headers = new Metadata { { "x-grpc-test-echo-initial", "v" }, { "x-grpc-test-echo-trailing-bin", new byte[] { 0, 0xFF, 0x10 } } };
        using var call = server.Client.UnaryCallAsync(new SimpleRequest(), headers, TestServer.Deadline());
        await call.ResponseAsync;
        Assert.Equal("v", (await call.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial"));
        Assert.Equal(new byte[] { 0, 0xFF, 0x10 }, call.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin"));
    }

    [Fact]
    public async Task Invalid_base64_in_a_bin_header_gets_a_status_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest()), headers: ("x-grpc-test-echo-trailing-bin", "A$!")));
        Assert.NotNull(response.GrpcStatus);
        Assert.NotNull(await server.Client.EmptyCallAsync(new Empty(), deadline: TestServer.Deadline()));
    }

    [Fact]
    public async Task An_error_before_any_message_is_a_trailers_only_response()
    {
        await using var server = await TestServer.StartAsync();
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.NotFound, Message = "nope" } };
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(request)));
        Assert.True(response.TrailersOnly);
        Assert.Equal("5", response.Header("grpc-status"));
        Assert.Equal("nope", response.Header("grpc-message"));
        Assert.Equal("application/grpc", response.Message.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task After_a_message_the_status_is_in_trailers()
    {
        await using var server = await TestServer.StartAsync();
        var first = new StreamingOutputCallRequest();
        first.ResponseParameters.Add(new ResponseParameters { Size = 10 });
        var failing = new StreamingOutputCallRequest { ResponseStatus = new EchoStatus { Code = (int)StatusCode.Aborted, Message = "late" } };
        var body = Raw.Frame(first).Concat(Raw.Frame(failing)).ToArray();
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/FullDuplexCall", body));
        Assert.Single(response.Frames);
        Assert.Null(response.Header("grpc-status"));
        Assert.Equal("10", response.Trailer("grpc-status"));
        Assert.Equal("late", response.Trailer("grpc-message"));
    }

    [Fact]
    public async Task A_successful_call_ends_with_status_0_in_trailers()
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", Raw.Frame(new Empty())));
        Assert.Equal("0", response.Trailer("grpc-status"));
        Assert.Null(response.Header("grpc-status"));
    }

    [Fact]
    public async Task Status_messages_are_percent_encoded_utf8_on_the_wire()
    {
        await using var server = await TestServer.StartAsync();
        const string message = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n 100%";
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 2, Message = message } };
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(request)));
        var wire = response.Header("grpc-message")!;
        Assert.All(wire, c => Assert.InRange(c, ' ', '~'));
        Assert.Contains("%E2%98%BA", wire, StringComparison.Ordinal);
        Assert.Contains("%25", wire, StringComparison.Ordinal);
        Assert.Equal(message, Uri.UnescapeDataString(wire));
    }

    [Fact]
    public async Task Handler_exceptions_are_unknown_without_details()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { FillUsername = true })));
        Assert.Equal(StatusCode.Unknown, response.GrpcStatus);
        Assert.Equal("Exception was thrown by handler.", response.GrpcMessage);
        Assert.DoesNotContain("secret", response.Header("grpc-message") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_exception_details_are_sent_when_enabled()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service, o => o.EnableDetailedErrors = true);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { FillUsername = true })));
        Assert.Equal(StatusCode.Unknown, response.GrpcStatus);
        Assert.Equal("Exception was thrown by handler. InvalidOperationException: secret detail", response.GrpcMessage);
    }

    [Fact]
    public async Task The_client_raises_rpc_exceptions_with_status_and_trailers()
    {
        await using var server = await TestServer.StartAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.UnaryCallAsync(
            new SimpleRequest { ResponseStatus = new EchoStatus { Code = 9, Message = "precondition \u263a" } }, deadline: TestServer.Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("precondition \u263a", error.Status.Detail);
    }
}
