using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ScriptDsl.Model;
using ScriptService.Api;
using ScriptService.Shops;
using ScriptService.Storage;

namespace ScriptService.Hosting;

/// <summary>
/// Wires the product into the host: the shops, the conversation store, access control (one
/// interceptor on the API), the store's health check behind grpc.health.v1.Health and the
/// scriptdsl.v1.ScriptService API. Configuration sections: "Store" (<see cref="StoreOptions"/>),
/// "Access" (<see cref="AccessOptions"/>).
/// </summary>
public static class ScriptServiceSetup
{
    public const string ServiceName = "scriptdsl.v1.ScriptService";

    /// <summary>"--data DIR" is short for "--Store:DataFolder=DIR".</summary>
    public static string[] ExpandShortcuts(string[] args)
    {
        var expanded = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (string.Equals(args[i], "--data", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                expanded.Add("--Store:DataFolder=" + args[++i]);
            }
            else
            {
                expanded.Add(args[i]);
            }
        }

        return [.. expanded];
    }

    public static void AddScriptService(WebApplicationBuilder builder, IEnumerable<ShopDefinition> shops)
    {
        var access = builder.Configuration.GetSection("Access").Get<AccessOptions>() ?? new AccessOptions();
        var control = new AccessControl(access);
        builder.Services.AddSingleton(control);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ShopCatalog(shops));
        builder.Services.Configure<StoreOptions>(builder.Configuration.GetSection("Store"));
        builder.Services.AddSingleton<IConversationStore>(sp =>
            ConversationStores.Open(sp.GetRequiredService<IOptions<StoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ScriptServiceApi>();
        builder.Services.AddSingleton<AccessInterceptor>();
        builder.Services.AddGrpc().AddServiceOptions<ScriptServiceApi>(options => options.Interceptors.Add<AccessInterceptor>());
        builder.Services.AddHostedService<StoreMaintenance>();
        Metrics.MetricsEndpoint.AddTo(builder);

        // grpc.health.v1.Health answers from ASP.NET Core health checks: the server as a whole ("")
        // and the API are SERVING while the store's check passes. Check runs the checks on each call;
        // Watch follows the health check publisher.
        builder.Services.AddGrpcHealthChecks(options =>
        {
            options.Services.Clear();
            options.Services.Map("", _ => true);
            options.Services.Map(ServiceName, _ => true);
        }).AddCheck<StoreHealthCheck>("store");

        if (!control.Enabled)
        {
            // Without API keys anyone who can reach the port can read every shop's conversations:
            // only this machine may.
            var urls = (builder.Configuration["urls"] ?? GrpcHostOptions.DefaultUrl).Split(';', StringSplitOptions.RemoveEmptyEntries);
            var loopback = urls.Select(ToLoopback).ToArray();
            builder.WebHost.UseUrls(loopback);
            builder.Services.AddSingleton(new StartupNotice(urls.SequenceEqual(loopback, StringComparer.Ordinal)
                ? "No API keys configured (Access:Keys): serving on loopback only."
                : $"No API keys configured (Access:Keys): serving on loopback only ({string.Join(", ", loopback)} instead of {string.Join(", ", urls)})."));
        }
        else
        {
            builder.Services.AddSingleton(new StartupNotice($"API keys configured for {access.Keys.Select(k => k.Shop).Distinct(StringComparer.Ordinal).Count()} shop(s)."));
        }
    }

    public static void MapScriptService(WebApplication app)
    {
        app.MapGrpcService<ScriptServiceApi>();
        app.MapGrpcHealthChecksService();
        var catalog = app.Services.GetRequiredService<ShopCatalog>();
        var store = app.Services.GetRequiredService<IConversationStore>();
        app.Logger.LogInformation("{Notice}", app.Services.GetRequiredService<StartupNotice>().Text);
        app.Logger.LogInformation("Serving {Count} shop(s): {Shops}; conversations in {Store}.",
            catalog.Shops.Count, string.Join(", ", catalog.Shops.Select(s => s.Id)), ConversationStores.Describe(store));
    }

    /// <summary>A URL with its host replaced by 127.0.0.1 unless it is already a loopback host.</summary>
    public static string ToLoopback(string url)
    {
        var trimmed = url.Trim();
        var schemeEnd = trimmed.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return trimmed;
        }

        var hostStart = schemeEnd + 3;
        string host;
        int hostEnd;
        if (hostStart < trimmed.Length && trimmed[hostStart] == '[')
        {
            hostEnd = trimmed.IndexOf(']', hostStart) + 1;
            host = trimmed[hostStart..hostEnd];
        }
        else
        {
            hostEnd = trimmed.IndexOfAny([':', '/'], hostStart);
            hostEnd = hostEnd < 0 ? trimmed.Length : hostEnd;
            host = trimmed[hostStart..hostEnd];
        }

        var isLoopback = host is "127.0.0.1" or "[::1]" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
        return isLoopback ? trimmed : trimmed[..hostStart] + "127.0.0.1" + trimmed[hostEnd..];
    }
}

/// <summary>What the host says about access at start-up.</summary>
public sealed record StartupNotice(string Text);

/// <summary>The conversation store's health, for ASP.NET Core health checks (and so grpc.health.v1.Health).</summary>
internal sealed class StoreHealthCheck(IConversationStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.IsHealthyAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the conversation store does not answer.");
}

/// <summary>Expires idle conversations now and then.</summary>
internal sealed class StoreMaintenance(IConversationStore store, TimeProvider clock, ILogger<StoreMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var expired = await store.ExpireAsync(stoppingToken).ConfigureAwait(false);
                if (expired > 0)
                {
                    logger.LogInformation("Expired {Count} idle conversation(s).", expired);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Expiring idle conversations failed.");
            }

            try
            {
                await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
