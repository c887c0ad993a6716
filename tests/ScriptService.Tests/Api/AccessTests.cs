using ScriptDsl.Protocol.V1;
using Grpc.Core;

namespace ScriptService.Tests.Api;

/// <summary>Per-shop API keys: a key opens one shop; no key or a wrong one is UNAUTHENTICATED.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private ServiceServer _server = null!;

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync(null,
        "--Access:Keys:0:Shop=lamp_shop", "--Access:Keys:0:Key=lamp-secret",
        "--Access:Keys:1:Shop=apparel_shop", "--Access:Keys:1:Key=apparel-secret");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    private static ReplyRequest Lamp(string conversation = "a1") => new() { ShopId = "lamp_shop", ConversationId = conversation, Message = "在吗" };

    [Fact]
    public async Task NoKeyIsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.ReplyAsync(Lamp()));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("authorization", error.Status.Detail);
    }

    [Fact]
    public async Task AWrongKeyIsUnauthenticated()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.ReplyAsync(Lamp(), "guess"));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task AKeyOpensItsOwnShop() => Assert.NotEmpty((await _server.ReplyAsync(Lamp(), "lamp-secret")).Messages);

    [Fact]
    public async Task AKeyCannotReadOrWriteAnotherShop()
    {
        await _server.ReplyAsync(Lamp("private"), "lamp-secret");
        var write = await Assert.ThrowsAsync<RpcException>(() => _server.ReplyAsync(Lamp("private"), "apparel-secret"));
        Assert.Equal(StatusCode.PermissionDenied, write.StatusCode);
        var stats = await Assert.ThrowsAsync<RpcException>(() => _server.CallAsync(_server.Api.GetStatsAsync, new GetStatsRequest { ShopId = "lamp_shop" }, "apparel-secret"));
        Assert.Equal(StatusCode.PermissionDenied, stats.StatusCode);
        var outcome = await Assert.ThrowsAsync<RpcException>(() => _server.CallAsync(_server.Api.RecordOutcomeAsync,
            new RecordOutcomeRequest { ShopId = "lamp_shop", ConversationId = "private", Outcome = RecordOutcomeRequest.Types.Outcome.Left }, "apparel-secret"));
        Assert.Equal(StatusCode.PermissionDenied, outcome.StatusCode);
    }

    [Fact]
    public async Task ListScriptsShowsOnlyTheKeysShop()
    {
        var list = await _server.CallAsync(_server.Api.ListScriptsAsync, new ListScriptsRequest(), "apparel-secret");
        Assert.Equal(["apparel_shop"], list.Scripts.Select(s => s.ShopId));
    }
}

public sealed class LoopbackOnlyTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000")]
    [InlineData("http://*:5000", "http://127.0.0.1:5000")]
    [InlineData("http://example.org:80/", "http://127.0.0.1:80/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000")]
    [InlineData("http://[::]:5000", "http://127.0.0.1:5000")]
    public void WithoutKeysEveryUrlIsMadeLoopback(string url, string expected) =>
        Assert.Equal(expected, ScriptService.Hosting.ScriptServiceSetup.ToLoopback(url));

    [Fact]
    public async Task WithoutKeysTheServerListensOnLoopbackEvenWhenAskedForAllInterfaces()
    {
        var folder = ServiceServer.NewDataFolder();
        var args = new[] { "--urls", "http://0.0.0.0:0", "--data", folder };
        var shops = ScriptDsl.Generated.ShopCatalog.Shops.Select(s => s.Definition()).ToList();
        await using var app = ScriptService.Hosting.ServiceHost.Build(ScriptService.Hosting.ScriptServiceSetup.ExpandShortcuts(args), b =>
        {
            b.Logging.ClearProviders();
            ScriptService.Hosting.ScriptServiceSetup.AddScriptService(b, shops);
        }, ScriptService.Hosting.ScriptServiceSetup.MapScriptService);
        await app.StartAsync();
        try
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            Assert.All(addresses, a => Assert.StartsWith("http://127.0.0.1:", a));
            Assert.Contains("loopback only", app.Services.GetRequiredService<ScriptService.Hosting.StartupNotice>().Text);
        }
        finally
        {
            await app.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ServiceServer.DeleteFolder(folder);
        }
    }
}
