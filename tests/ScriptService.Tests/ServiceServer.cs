using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ScriptDsl.Protocol.V1;
using ScriptService.Hosting;

namespace ScriptService.Tests;

/// <summary>
/// The real ScriptService host (the same setup as Program.cs: compiled shops, SQLite store, access
/// control) on Kestrel at 127.0.0.1 with a free port, its data in a folder of the test's own, and a
/// Grpc.Net.Client channel with the generated client to call it.
/// </summary>
public sealed class ServiceServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly WebApplication _app;

    private ServiceServer(WebApplication app, Uri address, string dataFolder)
    {
        _app = app;
        Address = address;
        DataFolder = dataFolder;
        Channel = GrpcChannel.ForAddress(address);
        Api = new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(Channel);
    }

    public Uri Address { get; }

    public string DataFolder { get; }

    public GrpcChannel Channel { get; }

    public ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient Api { get; }

    public IServiceProvider Services => _app.Services;

    public static string NewDataFolder() => Path.Combine(Path.GetTempPath(), "sdsl-service-" + Guid.NewGuid().ToString("N"));

    public static async Task<ServiceServer> StartAsync(string? dataFolder = null, params string[] extraArgs)
    {
        dataFolder ??= NewDataFolder();
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--data", dataFolder };
        args.AddRange(extraArgs);
        var shops = ScriptDsl.Generated.ShopCatalog.Shops.Select(s => s.Definition()).ToList();
        var app = ServiceHost.Build(
            ScriptServiceSetup.ExpandShortcuts([.. args]),
            builder =>
            {
                builder.Logging.ClearProviders();
                ScriptServiceSetup.AddScriptService(builder, shops);
            },
            ScriptServiceSetup.MapScriptService);
        using var cts = new CancellationTokenSource(Timeout);
        await app.StartAsync(cts.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceServer(app, new Uri(address), dataFolder);
    }

    /// <summary>Per-call options: the shop's API key when given, and a deadline that bounds every test call.</summary>
    public static CallOptions Options(string? key = null) =>
        new(key is null ? null : new Metadata { { "authorization", "Bearer " + key } }, DateTime.UtcNow + Timeout);

    /// <summary>One unary call of the generated client, e.g. <c>CallAsync(server.Api.GetStatsAsync, request, key)</c>.</summary>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>> method, TRequest request, string? key = null) =>
        await method(request, Options(key));

    public Task<ReplyResponse> ReplyAsync(ReplyRequest request, string? key = null) => CallAsync(Api.ReplyAsync, request, key);

    public Task<NegotiateResponse> NegotiateAsync(NegotiateRequest request, string? key = null) => CallAsync(Api.NegotiateAsync, request, key);

    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _app.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Deletes a data folder a test made (after its server is disposed).</summary>
    public static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
