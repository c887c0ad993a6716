using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ScriptDsl.Protocol.V1;
using ScriptService.Hosting;

namespace ScriptService.Tests.Console;

/// <summary>
/// The shop console's hosting on a real Kestrel: its own HTTP/1.1 port serves the page and the
/// scriptdsl.v1 API through gRPC-Web (called here with grpc-dotnet's own gRPC-Web client), on
/// loopback without keys and behind the same keys when they are configured; the API port stays
/// HTTP/2 gRPC. The browser itself is tested by tests/console (puppeteer).
/// </summary>
public sealed class ShopConsoleTests
{
    private sealed class ConsoleServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly string _folder;

        private ConsoleServer(WebApplication app, string folder, int consolePort)
        {
            _app = app;
            _folder = folder;
            ConsoleAddress = new Uri($"http://127.0.0.1:{consolePort}");
            Addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        }

        public Uri ConsoleAddress { get; }

        public IReadOnlyList<string> Addresses { get; }

        public IServiceProvider Services => _app.Services;

        /// <summary>The same wiring as Program.cs, the console on a free port of its own.</summary>
        public static async Task<ConsoleServer> StartAsync(string consoleHost = "127.0.0.1", params string[] extra)
        {
            var folder = ServiceServer.NewDataFolder();
            var port = FreePort();
            var args = new List<string> { "--urls", "http://127.0.0.1:0", "--data", folder, $"--Console:Url=http://{consoleHost}:{port}" };
            args.AddRange(extra);
            var shops = ScriptDsl.Generated.ShopCatalog.Shops.Select(s => s.Definition()).ToList();
            var app = ServiceHost.Build(ScriptServiceSetup.ExpandShortcuts([.. args]), builder =>
            {
                builder.Logging.ClearProviders();
                ScriptServiceSetup.AddScriptService(builder, shops);
                builder.AddShopConsole();
            }, a =>
            {
                a.UseShopConsole();
                ScriptServiceSetup.MapScriptService(a);
            });
            using var cts = new CancellationTokenSource(ServiceServer.Timeout);
            await app.StartAsync(cts.Token);
            return new ConsoleServer(app, folder, port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ServiceServer.DeleteFolder(_folder);
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }

    /// <summary>A gRPC-Web client (binary mode, HTTP/1.1) of the console's port, as a browser's would be.</summary>
    private static (GrpcChannel Channel, ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient Api) GrpcWeb(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new HttpClientHandler()),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        return (channel, new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(channel));
    }

    [Fact]
    public async Task TheConsolePortServesThePageOverHttp11()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.ConsoleAddress, DefaultRequestVersion = HttpVersion.Version11, Timeout = ServiceServer.Timeout };

        using var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(new Version(1, 1), page.Version);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("console.js", html);
        Assert.Contains("no-cache", page.Headers.CacheControl?.ToString());

        using var script = await http.GetAsync("/console.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000, "the bundle is served, not an empty file");

        using var missing = await http.GetAsync("/nothing-here.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task TheApiAnswersGrpcWebOnTheConsolePortAndGrpcOnItsOwn()
    {
        await using var server = await ConsoleServer.StartAsync();
        var (channel, web) = GrpcWeb(server.ConsoleAddress);
        using (channel)
        {
            var scripts = await web.ListScriptsAsync(new ListScriptsRequest(), ServiceServer.Options());
            Assert.Contains(scripts.Scripts, s => s.ShopId == "lamp_shop" && s.Items.Count > 0);
            var reply = await web.ReplyAsync(new ReplyRequest { ShopId = "lamp_shop", ConversationId = "web-1", Message = "老板,请给我推荐一款卧室灯" }, ServiceServer.Options());
            Assert.Equal("recommend", reply.Intent);
            Assert.Equal("卧室", reply.Slots["room"]);

            // Errors keep their status through gRPC-Web.
            var error = await Assert.ThrowsAsync<RpcException>(() => web.GetStatsAsync(new GetStatsRequest { ShopId = "no_shop" }, ServiceServer.Options()).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }

        // The same conversation through the API port (HTTP/2 gRPC): one service behind both.
        var api = server.Addresses.Single(a => !a.EndsWith($":{server.ConsoleAddress.Port}", StringComparison.Ordinal));
        using var grpc = GrpcChannel.ForAddress(api);
        var stats = await new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(grpc).GetStatsAsync(new GetStatsRequest { ShopId = "lamp_shop" }, ServiceServer.Options());
        Assert.Equal(1, stats.Conversations);
    }

    [Fact]
    public async Task WithoutKeysTheConsoleListensOnLoopbackOnly()
    {
        await using var server = await ConsoleServer.StartAsync(consoleHost: "0.0.0.0");
        Assert.Equal(2, server.Addresses.Count);
        Assert.All(server.Addresses, a => Assert.StartsWith("http://127.0.0.1:", a));
        Assert.Contains(server.Addresses, a => a.EndsWith($":{server.ConsoleAddress.Port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithKeysTheConsoleCallsNeedTheShopsKeyAsMetadata()
    {
        await using var server = await ConsoleServer.StartAsync("127.0.0.1", "--Access:Keys:0:Shop=lamp_shop", "--Access:Keys:0:Key=lamp-secret");
        var (channel, web) = GrpcWeb(server.ConsoleAddress);
        using (channel)
        {
            var request = new GetStatsRequest { ShopId = "lamp_shop" };
            var none = await Assert.ThrowsAsync<RpcException>(() => web.GetStatsAsync(request, ServiceServer.Options()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
            var other = await Assert.ThrowsAsync<RpcException>(() => web.GetStatsAsync(new GetStatsRequest { ShopId = "apparel_shop" }, ServiceServer.Options("lamp-secret")).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
            Assert.Equal(0, (await web.GetStatsAsync(request, ServiceServer.Options("lamp-secret"))).Conversations);
        }
    }

    [Fact]
    public async Task TheConsoleCanBeTurnedOff()
    {
        await using var server = await ConsoleServer.StartAsync("127.0.0.1", "--Console:Enabled=false");
        Assert.Single(server.Addresses);
        Assert.Null(server.Services.GetService<ConsoleEndpoint>());
    }
}
