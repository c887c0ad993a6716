using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>grpc-timeout and deadlines (on the real clock), and client cancellation (RST_STREAM).</summary>
public class DeadlineAndCancellationTests
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";

    [Theory]
    [InlineData("5S", 5_000)]
    [InlineData("1M", 60_000)]
    [InlineData("1H", 3_600_000)]
    [InlineData("1500m", 1_500)]
    [InlineData("2000000u", 2_000)]
    public async Task The_deadline_comes_from_grpc_timeout(string header, int milliseconds)
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var before = DateTime.UtcNow;
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { ResponseSize = 1 }), headers: ("grpc-timeout", header)));
        var after = DateTime.UtcNow;
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var deadline = (await service.Context.Task.WaitAsync(TestServer.TestTimeout)).Deadline;
        Assert.InRange(deadline, before.AddMilliseconds(milliseconds), after.AddMilliseconds(milliseconds));
    }

    [Fact]
    public async Task Without_grpc_timeout_there_is_no_deadline()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { ResponseSize = 1 })));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(DateTime.MaxValue, (await service.Context.Task).Deadline);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1.5S")]
    [InlineData("-1S")]
    public async Task An_invalid_grpc_timeout_is_ignored(string header)
    {
        // grpc-dotnet's choice (the specification leaves it open): the call runs without a deadline.
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { ResponseSize = 1 }), headers: ("grpc-timeout", header)));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(DateTime.MaxValue, (await service.Context.Task).Deadline);
    }

    [Fact]
    public async Task A_short_deadline_cancels_the_handler_and_ends_the_call()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { FillOauthScope = true }), headers: ("grpc-timeout", "100m")));
        Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
    }

    [Fact]
    public async Task A_deadline_after_the_first_message_ends_a_stream_with_trailers()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/StreamingOutputCall", Raw.Frame(new StreamingOutputCallRequest()), headers: ("grpc-timeout", "300m")));
        Assert.Single(response.Frames);
        Assert.Null(response.Header("grpc-status"));
        Assert.Equal(((int)StatusCode.DeadlineExceeded).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Trailer("grpc-status"));
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
    }

    [Fact]
    public async Task The_clients_deadline_reaches_the_server_as_deadline_exceeded()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        // Long enough for the call to reach the handler on a busy machine; the handler then waits for its token.
        using var call = server.Client.UnaryCallAsync(new SimpleRequest { FillOauthScope = true }, deadline: DateTime.UtcNow.AddSeconds(3));
        await service.Started.Task.WaitAsync(TestServer.TestTimeout);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
    }

    [Fact]
    public async Task Client_cancellation_resets_the_stream_and_cancels_the_handler()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        using var cancel = new CancellationTokenSource();
        using var call = server.Client.UnaryCallAsync(new SimpleRequest { FillOauthScope = true }, deadline: TestServer.Deadline(), cancellationToken: cancel.Token);
        await service.Started.Task.WaitAsync(TestServer.TestTimeout);
        cancel.Cancel();
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task A_reset_while_the_handler_reads_ends_the_handler()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        using (var call = server.Client.StreamingInputCall(deadline: TestServer.Deadline()))
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10]) } });
            await service.Started.Task.WaitAsync(TestServer.TestTimeout);
        } // disposing an unfinished call resets its stream
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);

        // The server is unharmed.
        var ok = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.OK, ok.GrpcStatus);
    }

    [Fact]
    public async Task Only_one_write_at_a_time_on_a_stream()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        using var call = server.Client.FullDuplexCall(deadline: TestServer.Deadline());
        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest());
        await call.RequestStream.CompleteAsync();
        var second = await service.SecondWrite.Task.WaitAsync(TestServer.TestTimeout);
        var error = Assert.IsType<InvalidOperationException>(second);
        Assert.Contains("previous write is in progress", error.Message, StringComparison.Ordinal);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(1024 * 1024, call.ResponseStream.Current.Payload.Body.Length);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }
}
