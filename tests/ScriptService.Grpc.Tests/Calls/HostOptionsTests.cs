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
