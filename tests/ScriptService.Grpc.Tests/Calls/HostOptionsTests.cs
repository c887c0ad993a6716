using Google.Protobuf;
using Grpc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>The host's "Grpc" settings reach Kestrel and the gRPC layer.</summary>
public class HostOptionsTests
{
    [Fact]
    public async Task Command_line_settings_configure_limits()
    {
        await using var server = await TestServer.StartAsync(extraArgs: new[]
        {
            "--Grpc:MaxStreamsPerConnection=7", "--Grpc:MaxReceiveMessageSize=1000", "--Grpc:MaxSendMessageSize=2000", "--Grpc:EnableDetailedErrors=true",
        });
        Assert.Equal(7, server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.Http2.MaxStreamsPerConnection);
        var options = server.Services.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        Assert.Equal((1000, 2000, true), (options.MaxReceiveMessageSize, options.MaxSendMessageSize, options.EnableDetailedErrors));

        var tooBig = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall",
            Raw.Frame(new SimpleRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[1100]) } })));
        Assert.Equal(StatusCode.ResourceExhausted, tooBig.GrpcStatus);
    }

    [Fact]
    public async Task Defaults_are_4_MiB_both_ways_and_100_streams()
    {
        await using var server = await TestServer.StartAsync();
        Assert.Equal(100, server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.Http2.MaxStreamsPerConnection);
        var options = server.Services.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        Assert.Equal((4 * 1024 * 1024, 4 * 1024 * 1024, false), (options.MaxReceiveMessageSize, options.MaxSendMessageSize, options.EnableDetailedErrors));
    }
}

public class RequestRateLimitTests
{
    // Kestrel checks the rate once a second after the grace period (which must exceed 1 s); a 3.5 s pause is well past both.
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(3.5);

    private static void StrictRate(KestrelServerOptions kestrel) =>
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(1.5));

    [Fact]
    public async Task A_client_stream_may_pause_longer_than_the_minimum_request_body_rate_allows()
    {
        await using var server = await TestServer.StartAsync(kestrel: StrictRate);
        var client = server.Client.ForService(BehaviourService.Descriptor);
        await using var call = client.Start<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall");
        await call.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10]) } });
        await Task.Delay(Pause);
        await call.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[5]) } });
        await call.CompleteRequestAsync();
        Assert.Equal(15, (await call.ReadSingleResponseAsync()).AggregatedPayloadSize);
    }

    [Fact]
    public async Task A_unary_request_body_that_stalls_is_still_subject_to_the_rate()
    {
        await using var server = await TestServer.StartAsync(kestrel: StrictRate);
        var client = server.Client.ForService(BehaviourService.Descriptor);
        await using var call = client.Start<SimpleRequest, SimpleResponse>("UnaryCall");
        // Nothing sent: the request body stalls. Longer than the other test's pause: Kestrel skips a rate check
        // when its once-a-second heartbeat runs late, as it can on a busy machine.
        await Task.Delay(Pause * 2);
        await call.WriteAsync(new SimpleRequest());
        await call.CompleteRequestAsync();
        Assert.False(await call.MoveNextAsync());
        Assert.NotEqual(StatusCode.OK, call.Status.StatusCode);
    }
}
