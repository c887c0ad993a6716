using Google.Protobuf;
using Grpc.Testing;
using ScriptService.Grpc.Client;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>grpc-timeout, deadlines on an injected clock, and client cancellation (RST_STREAM).</summary>
public class DeadlineAndCancellationTests
{
    private const string UnaryCall = "/grpc.testing.TestService/UnaryCall";

    private static async Task WaitUntil(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TestServer.TestTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not reached in time");
            await Task.Delay(10);
        }
    }

    [Theory]
    [InlineData("5S", 5_000)]
    [InlineData("1M", 60_000)]
    [InlineData("1H", 3_600_000)]
    [InlineData("1500m", 1_500)]
    [InlineData("2000000u", 2_000)]
    [InlineData("50000000n", 50)]
    public async Task The_deadline_comes_from_grpc_timeout_on_the_injected_clock(string header, int milliseconds)
    {
        var clock = new ManualTimeProvider();
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service, timeProvider: clock);
        var send = Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { FillOauthScope = true }), headers: ("grpc-timeout", header)));
        var context = await service.Context.Task.WaitAsync(TestServer.TestTimeout);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddMilliseconds(milliseconds), context.Deadline);

        clock.Advance(TimeSpan.FromMilliseconds(milliseconds - 1));
        await Task.Delay(50);
        Assert.False(send.IsCompleted);
        Assert.False(context.CancellationToken.IsCancellationRequested);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var response = await send;
        Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
    }

    [Fact]
    public async Task Without_grpc_timeout_there_is_no_deadline()
    {
        var clock = new ManualTimeProvider();
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service, timeProvider: clock);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { ResponseSize = 1 })));
        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        Assert.Equal(DateTime.MaxValue, (await service.Context.Task).Deadline);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("123456789S")]
    [InlineData("-1S")]
    public async Task An_invalid_grpc_timeout_is_internal(string header)
    {
        await using var server = await TestServer.StartAsync();
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest()), headers: ("grpc-timeout", header)));
        Assert.Equal(StatusCode.Internal, response.GrpcStatus);
    }

    [Fact]
    public async Task A_deadline_after_the_first_message_ends_a_stream_with_trailers()
    {
        var clock = new ManualTimeProvider();
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service, timeProvider: clock);
        var client = server.Client.ForService(BehaviourService.Descriptor);
        await using var call = client.Start<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", new CallOptions(Timeout: TimeSpan.FromSeconds(30)));
        await call.WriteAsync(new StreamingOutputCallRequest());
        await call.CompleteRequestAsync();
        Assert.True(await call.MoveNextAsync());
        await service.Started.Task.WaitAsync(TestServer.TestTimeout);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.False(await call.MoveNextAsync());
        Assert.Equal(StatusCode.DeadlineExceeded, call.Status.StatusCode);
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
    }

    [Fact]
    public async Task A_real_short_deadline_is_enforced_on_the_system_clock()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var response = await Raw.SendAsync(server.Http, Raw.Request(UnaryCall, Raw.Frame(new SimpleRequest { FillOauthScope = true }), headers: ("grpc-timeout", "100m")));
        Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
    }

    [Fact]
    public async Task Client_cancellation_resets_the_stream_and_cancels_the_handler()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var client = server.Client.ForService(BehaviourService.Descriptor);
        var call = client.Start<SimpleRequest, SimpleResponse>("UnaryCall");
        await call.WriteAsync(new SimpleRequest { FillOauthScope = true });
        await call.CompleteRequestAsync();
        await service.Started.Task.WaitAsync(TestServer.TestTimeout);
        call.Cancel();
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
        Assert.False(await call.MoveNextAsync());
        Assert.Equal(StatusCode.Cancelled, call.Status.StatusCode);
        await call.DisposeAsync();
    }

    [Fact]
    public async Task A_reset_while_the_handler_reads_ends_the_handler()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var client = server.Client.ForService(BehaviourService.Descriptor);
        var call = client.Start<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall");
        await call.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10]) } });
        await service.Started.Task.WaitAsync(TestServer.TestTimeout);
        call.Cancel();
        await service.TokenCancelled.Task.WaitAsync(TestServer.TestTimeout);
        await call.DisposeAsync();

        // The server is unharmed.
        var ok = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/EmptyCall", Raw.Frame(new Empty())));
        Assert.Equal(StatusCode.OK, ok.GrpcStatus);
    }

    [Fact]
    public async Task Only_one_write_at_a_time_on_a_stream()
    {
        var service = new BehaviourService();
        await using var server = await BehaviourService.StartServerAsync(service);
        var client = server.Client.ForService(BehaviourService.Descriptor);
        await using var call = client.Start<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall", new CallOptions(Timeout: TestServer.TestTimeout));
        await call.WriteAsync(new StreamingOutputCallRequest());
        await call.CompleteRequestAsync();
        var second = await service.SecondWrite.Task.WaitAsync(TestServer.TestTimeout);
        var error = Assert.IsType<InvalidOperationException>(second);
        Assert.Contains("previous write is in progress", error.Message, StringComparison.Ordinal);
        Assert.True(await call.MoveNextAsync());
        Assert.Equal(1024 * 1024, call.Current.Payload.Body.Length);
        Assert.False(await call.MoveNextAsync());
        Assert.Equal(StatusCode.OK, call.Status.StatusCode);
    }
}
