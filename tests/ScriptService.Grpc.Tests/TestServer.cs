using Grpc.AspNetCore.Server;
using Grpc.Net.Client;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScriptService.Hosting;

namespace ScriptService.Grpc.Tests;

/// <summary>The real host (ServiceHost) on Kestrel at 127.0.0.1, port 0, with test-specific settings.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address, Func<SocketsHttpHandler>? handler)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler?.Invoke() });
        Client = new TestService.TestServiceClient(Channel);
        Http = CreateHttpClient(address, handler: handler?.Invoke());
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    /// <summary>The generated grpc.testing.TestService client on <see cref="Channel"/>.</summary>
    public TestService.TestServiceClient Client { get; }

    /// <summary>A raw HTTP/2 client for tests that need to send or see exact bytes and headers.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>A deadline that bounds every call of a test, so a broken server fails the test instead of hanging the run.</summary>
    public static DateTime Deadline() => DateTime.UtcNow + TestTimeout;

    public static async Task<TestServer> StartAsync(
        bool interop = true,
        Action<GrpcServiceOptions>? options = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null,
        HttpProtocols? protocols = null,
        string url = "http://127.0.0.1:0",
        IEnumerable<string>? extraArgs = null,
        Func<SocketsHttpHandler>? handler = null,
        Action<KestrelServerOptions>? kestrel = null)
    {
        var args = new List<string> { "--urls", url };
        args.AddRange(extraArgs ?? Array.Empty<string>());
        if (interop)
        {
            args.Add(ServiceHost.InteropFlag);
        }
        var app = ServiceHost.Build(args.ToArray(), builder =>
        {
            builder.Logging.ClearProviders();
            if (protocols is { } chosen)
            {
                builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = chosen));
            }
            if (kestrel is not null)
            {
                builder.WebHost.ConfigureKestrel(kestrel);
            }
            if (options is not null)
            {
                builder.Services.Configure(options);
            }
            configure?.Invoke(builder);
        }, map);
        using var startTimeout = new CancellationTokenSource(TestTimeout);
        await app.StartAsync(startTimeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address), handler);
    }

    public static HttpClient CreateHttpClient(Uri address, Version? version = null, SocketsHttpHandler? handler = null) => new(handler ?? new SocketsHttpHandler())
    {
        BaseAddress = address,
        DefaultRequestVersion = version ?? System.Net.HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TestTimeout,
    };

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        using var stopTimeout = new CancellationTokenSource(TestTimeout);
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
    }
}
