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
public sealed class ReplicaProcess : IAsyncDisposable
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

    private readonly Queue<string> _lastLines = new();

    public int Port { get; }

    /// <summary>The last lines the process wrote (for a failure message).</summary>
    public string Output
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    public int MetricsPort { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>A replica on the shared PostgreSQL store.</summary>
    public static ReplicaProcess StartOnPostgres(string connectionString, string dataFolder) =>
        Start(dataFolder, "--Store:Provider=postgres", "--Store:ConnectionString=" + connectionString);

    /// <summary>A service process on its own SQLite file in <paramref name="dataFolder"/>, with extra settings.</summary>
    public static ReplicaProcess Start(string dataFolder, params string[] settings)
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
        foreach (var setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        info.ArgumentList.Add($"--Metrics:Url=http://127.0.0.1:{metricsPort}");
        info.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        var process = Process.Start(info)!;
        var replica = new ReplicaProcess(process, port, metricsPort);
        process.OutputDataReceived += (_, e) => replica.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return replica;
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
                    throw new InvalidOperationException($"Replica on port {Port} did not start (exited: {_process.HasExited}):\n{Output}", e);
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

    /// <summary>One Converse stream: sends each request in turn, reading each answer before the next.</summary>
    public async Task<List<ReplyResponse>> ConverseAsync(IEnumerable<ConverseRequest> requests)
    {
        var descriptor = new Method<byte[], byte[]>(MethodType.DuplexStreaming, Service, "Converse", Raw, Raw);
        using var call = _calls.AsyncDuplexStreamingCall(descriptor, null, new CallOptions(deadline: DateTime.UtcNow + TimeSpan.FromSeconds(30)));
        var answers = new List<ReplyResponse>();
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request.ToByteArray());
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                throw new InvalidOperationException("Converse ended before answering.");
            }

            answers.Add(ReplyResponse.Parser.ParseFrom(call.ResponseStream.Current));
        }

        await call.RequestStream.CompleteAsync();
        return answers;
    }

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
