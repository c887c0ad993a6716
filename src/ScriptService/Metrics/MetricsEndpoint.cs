using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;

namespace ScriptService.Metrics;

/// <summary>
/// Prometheus metrics on a port of their own (<c>--Metrics:Url=http://127.0.0.1:9464</c>), speaking
/// HTTP/1.1: the gRPC port is cleartext HTTP/2 only, which Prometheus does not scrape. A small
/// second Kestrel host serves <c>/metrics</c>; its OpenTelemetry meter provider listens to the
/// process's meters by name (the service's own, ASP.NET Core's request metrics, Kestrel's and
/// grpc-dotnet's), wherever they were created. Off when no URL is configured.
/// </summary>
public sealed class MetricsEndpoint(string url, ILogger<MetricsEndpoint> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The meters exported.</summary>
    public static readonly string[] Meters =
    [
        ServiceMetrics.MeterName,
        "Grpc.AspNetCore.Server",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
    ];

    private WebApplication? _app;

    /// <summary>Registers the endpoint when "Metrics:Url" is set.</summary>
    public static void AddTo(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var url = builder.Configuration["Metrics:Url"];
        if (!string.IsNullOrWhiteSpace(url))
        {
            builder.Services.AddHostedService(sp => new MetricsEndpoint(url, sp.GetRequiredService<ILogger<MetricsEndpoint>>()));
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());
        _app = builder.Build();
        _app.MapPrometheusScrapingEndpoint("/metrics");
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Metrics for Prometheus on {Url}/metrics.", url.TrimEnd('/'));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
