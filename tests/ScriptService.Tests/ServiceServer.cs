using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ScriptDsl.Protocol.V1;
using ScriptService.Grpc.Client;
using ScriptService.Grpc.Protocol;
using ScriptService.Hosting;

namespace ScriptService.Tests;

/// <summary>
/// The real ScriptService host (the same setup as Program.cs: compiled shops, SQLite store, access
/// control) on Kestrel at 127.0.0.1 with a free port, its data in a folder of the test's own.
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
        Client = new GrpcClient(address);
        Api = Client.ForService(ScriptServiceReflection.Descriptor.Services[0]);
    }

    public Uri Address { get; }

    public string DataFolder { get; }

    public GrpcClient Client { get; }

    public ServiceClient Api { get; }

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

    public Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, string? key = null)
        where TRequest : Google.Protobuf.IMessage<TRequest>
        where TResponse : Google.Protobuf.IMessage<TResponse>
    {
        Metadata? headers = null;
        if (key is not null)
        {
            headers = new Metadata { { "authorization", "Bearer " + key } };
        }

        return Api.UnaryAsync<TRequest, TResponse>(method, request, new CallOptions(headers, Timeout));
    }

    public Task<ReplyResponse> ReplyAsync(ReplyRequest request, string? key = null) => CallAsync<ReplyRequest, ReplyResponse>("Reply", request, key);

    public Task<NegotiateResponse> NegotiateAsync(NegotiateRequest request, string? key = null) => CallAsync<NegotiateRequest, NegotiateResponse>("Negotiate", request, key);

    public async Task StopAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _app.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
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
