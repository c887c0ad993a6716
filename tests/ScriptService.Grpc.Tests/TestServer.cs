using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ScriptService.Grpc.Client;
using ScriptService.Grpc.Server;
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
        // Every call of a test is bounded, so a broken server fails the test instead of hanging the run.
        Client = new GrpcClient(address, handler?.Invoke()) { DefaultTimeout = TestTimeout };
        Http = CreateHttpClient(address, handler: handler?.Invoke());
    }

    public Uri Address { get; }
    public GrpcClient Client { get; }

    /// <summary>A raw HTTP/2 client for protocol tests that need to send or see exact bytes and headers.</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestServer> StartAsync(
        bool interop = true,
        Action<GrpcServerOptions>? options = null,
        TimeProvider? timeProvider = null,
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
            if (timeProvider is not null)
            {
                builder.Services.AddSingleton(timeProvider);
            }
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
        Client.Dispose();
        Http.Dispose();
        using var stopTimeout = new CancellationTokenSource(TestTimeout);
        await _app.StopAsync(stopTimeout.Token);
        await _app.DisposeAsync();
    }
}
