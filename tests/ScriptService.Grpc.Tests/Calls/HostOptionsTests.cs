using Google.Protobuf;
using Grpc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ScriptService.Grpc.Tests.Calls;

/// <summary>The host's "Grpc" settings reach Kestrel and grpc-dotnet.</summary>
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
        var options = server.Services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
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
        var options = server.Services.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
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
        using var call = server.Client.StreamingInputCall(deadline: TestServer.Deadline());
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[10]) } });
        await Task.Delay(Pause);
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = new Payload { Body = ByteString.CopyFrom(new byte[5]) } });
        await call.RequestStream.CompleteAsync();
        Assert.Equal(15, (await call).AggregatedPayloadSize);
    }

    [Fact]
    public async Task A_unary_request_body_that_stalls_is_still_subject_to_the_rate()
    {
        await using var server = await TestServer.StartAsync(kestrel: StrictRate);
        // Only the first bytes of the message are sent, then the request body stalls. Longer than the other
        // test's pause: Kestrel skips a rate check when its once-a-second heartbeat runs late, as it can on a busy machine.
        var release = new TaskCompletionSource();
        var frame = Raw.Frame(new SimpleRequest { ResponseSize = 1 });
        // Without the rate the rest arrives after the stall and the call succeeds.
        var content = new StallingContent(frame[..3], frame[3..], release.Task, Pause * 2);
        try
        {
            // Kestrel enforces the rate by aborting the connection, so the client sees a reset rather than a status.
            var response = await Raw.SendAsync(server.Http, Raw.Request("/grpc.testing.TestService/UnaryCall", content));
            Assert.NotEqual(StatusCode.OK, response.GrpcStatus ?? StatusCode.Unknown);
        }
        catch (HttpRequestException)
        {
        }
        finally
        {
            release.TrySetResult();
        }
    }
}

/// <summary>Sends some bytes, holds the request body open for a while (or until released), then sends the rest.</summary>
internal sealed class StallingContent(byte[] first, byte[] rest, Task release, TimeSpan hold) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        await stream.WriteAsync(first);
        await stream.FlushAsync();
        await Task.WhenAny(release, Task.Delay(hold));
        await stream.WriteAsync(rest);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

/// <summary>
/// ASP.NET Core's per-request log category is off by default, so the hosting layer starts no Activity
/// and no logging scope per call (docs/grpc.md, "Logging and the cost of a call"); configuration can
/// turn it on again.
/// </summary>
public class RequestLoggingTests
{
    private static async Task<(string Activity, int RequestLines)> OneRequestAsync(params string[] extraArgs)
    {
        var lines = new LineCollector();
        string activity;
        await using (var server = await TestServer.StartAsync(
            extraArgs: extraArgs,
            configure: builder => builder.Logging.AddProvider(lines).SetMinimumLevel(LogLevel.Trace),
            map: app => app.MapPost("/probe", context =>
                context.Response.WriteAsync(System.Diagnostics.Activity.Current is null ? "no activity" : "activity"))))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "/probe"))
            {
                Version = System.Net.HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent([]),
            };
            using var response = await server.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            activity = await response.Content.ReadAsStringAsync();
        }

        // Counted once the server has stopped: "Request finished" is logged after the response has
        // reached the client, so a count taken right after reading it can miss that line.
        return (activity, lines.Count("Microsoft.AspNetCore.Hosting.Diagnostics", "/probe"));
    }

    [Fact]
    public async Task By_default_a_request_starts_no_activity_and_logs_no_request_lines()
    {
        Assert.Equal(("no activity", 0), await OneRequestAsync());
    }

    [Fact]
    public async Task The_command_line_can_turn_request_logging_on_again()
    {
        var (activity, requestLines) = await OneRequestAsync("--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information");
        Assert.Equal("activity", activity);
        Assert.Equal(2, requestLines); // "Request starting" and "Request finished"
    }

    /// <summary>A logger provider enabled for every category that keeps (category, message) lines.</summary>
    private sealed class LineCollector : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Category, string Message)> _lines = new();

        public int Count(string category, string contains) =>
            _lines.Count(l => string.Equals(l.Category, category, StringComparison.Ordinal) && l.Message.Contains(contains, StringComparison.Ordinal));

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<(string, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, formatter(state, exception)));
        }
    }
}
