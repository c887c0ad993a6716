using Grpc.AspNetCore.Web;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using ScriptService.Api;

namespace ScriptService.Hosting;

/// <summary>Settings of the shop console, configuration section "Console".</summary>
public sealed class ConsoleOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Serve the console at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The console's own HTTP/1.1 address (browsers speak gRPC-Web over HTTP/1.1; the API port is HTTP/2 only).</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The folder of the built page; default: console/ beside the app (copied there by the build from src/ScriptService.Console/wwwroot).</summary>
    public string? Root { get; set; }
}

/// <summary>
/// The shop console (docs/console.md): a browser page served on its own HTTP/1.1 port, talking to the
/// same scriptdsl.v1 services through gRPC-Web (Grpc.AspNetCore.Web) — no second API. Like the API it
/// listens on loopback only while no API keys are configured; with keys, the page sends the key as
/// gRPC metadata and the API's own access control decides. Static files and gRPC-Web are answered on
/// the console's port only.
/// </summary>
public static class ShopConsole
{
    /// <summary>Adds the console's address to the host's URLs; call after the API's URLs are settled.</summary>
    public static void AddShopConsole(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Console").Get<ConsoleOptions>() ?? new ConsoleOptions();
        if (!options.Enabled)
        {
            return;
        }

        var access = builder.Configuration.GetSection("Access").Get<AccessOptions>() ?? new AccessOptions();
        var url = access.Keys.Count == 0 ? ScriptServiceSetup.ToLoopback(options.Url) : options.Url.Trim();
        var port = new Uri(url).Port;
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) ?? GrpcHostOptions.DefaultUrl;
        builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), url]);
        builder.Services.AddSingleton(new ConsoleEndpoint(url, port, ResolveRoot(options)));
    }

    /// <summary>The protocols of one of the host's endpoints: HTTP/1.1 for the console's, else what the API needs.</summary>
    public static HttpProtocols Protocols(ListenOptions listen, IConfiguration configuration, HttpProtocols api)
    {
        var options = configuration.GetSection("Console").Get<ConsoleOptions>() ?? new ConsoleOptions();
        return options.Enabled && Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) && listen.IPEndPoint?.Port == uri.Port
            ? HttpProtocols.Http1
            : api;
    }

    /// <summary>Serves the page and gRPC-Web on the console's port; call before the gRPC services are mapped.</summary>
    public static void UseShopConsole(this WebApplication app)
    {
        var endpoint = app.Services.GetService<ConsoleEndpoint>();
        if (endpoint is null)
        {
            return;
        }

        if (!File.Exists(Path.Combine(endpoint.Root, "index.html")))
        {
            app.Logger.LogWarning("The console's page is missing ({Root}/index.html): build src/ScriptService.Console (docs/console.md).", endpoint.Root);
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(endpoint.Root));
        app.UseWhen(context => context.Connection.LocalPort == endpoint.Port, console =>
        {
            console.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            console.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // One unversioned bundle: the browser revalidates (ETag) instead of keeping a stale page after an upgrade.
                OnPrepareResponse = static file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
            console.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        });
        app.Logger.LogInformation("Shop console on {Url}", endpoint.Url);
    }

    private static string ResolveRoot(ConsoleOptions options) =>
        string.IsNullOrWhiteSpace(options.Root) ? Path.Combine(AppContext.BaseDirectory, "console") : options.Root;
}

/// <summary>Where the console listens and what it serves.</summary>
public sealed record ConsoleEndpoint(string Url, int Port, string Root);
