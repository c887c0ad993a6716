using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using ScriptDsl.Protocol.V1;

namespace ScriptService.Tests.Replicas;

/// <summary>
/// One ScriptService process (the built ScriptService.dll) on its own loopback port, talking to a
/// shared PostgreSQL store, with Grpc.Net.Client as its client and Prometheus metrics on a second
/// port. Answers come back as raw bytes so replicas can be compared byte for byte.
/// </summary>
internal sealed class ReplicaProcess : IAsyncDisposable
{
    private const string Service = "scriptdsl.v1.ScriptService";

    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private readonly Process _process;
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _calls;

    private ReplicaProcess(Process process, int port, int metricsPort)
    {
        _process = process;
        Port = port;
        MetricsPort = metricsPort;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        _calls = _channel.CreateCallInvoker();
    }

    public int Port { get; }

    public int MetricsPort { get; }

    public bool HasExited => _process.HasExited;

    public static ReplicaProcess Start(string connectionString, string dataFolder)
    {
        var port = FreePort();
        var metricsPort = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ScriptService.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(dataFolder);
        info.ArgumentList.Add("--Store:Provider=postgres");
        info.ArgumentList.Add("--Store:ConnectionString=" + connectionString);
        info.ArgumentList.Add($"--Metrics:Url=http://127.0.0.1:{metricsPort}");
        info.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ReplicaProcess(process, port, metricsPort);
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until the replica answers ListScripts.</summary>
    public async Task WaitUntilServingAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                await CallAsync("ListScripts", new ListScriptsRequest(), TimeSpan.FromSeconds(2));
                return;
            }
            catch (RpcException e)
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Replica on port {Port} did not start (exited: {_process.HasExited}).", e);
                }

                await Task.Delay(200);
            }
        }
    }

    /// <summary>A unary call; the answer's bytes as the replica sent them.</summary>
    public async Task<byte[]> CallAsync(string method, IMessage request, TimeSpan? timeout = null)
    {
        var descriptor = new Method<byte[], byte[]>(MethodType.Unary, Service, method, Raw, Raw);
        return await _calls.AsyncUnaryCall(descriptor, null, new CallOptions(deadline: DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10))), request.ToByteArray());
    }

    public async Task<ReplyResponse> ReplyAsync(ReplyRequest request) => ReplyResponse.Parser.ParseFrom(await CallAsync("Reply", request));

    public async Task<NegotiateResponse> NegotiateAsync(NegotiateRequest request) => NegotiateResponse.Parser.ParseFrom(await CallAsync("Negotiate", request));

    /// <summary>The Prometheus text the replica's metrics port serves.</summary>
    public async Task<string> ScrapeMetricsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
