using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ScriptDsl.Protocol.V1;
using Grpc.Core;

namespace ScriptService.Tests.Api;

/// <summary>State survives restarts and crashes; concurrent calls on one conversation lose nothing.</summary>
public sealed class DurabilityTests
{
    private static ReplyRequest Message(string conversation, string text, string requestId = "") =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Message = text, RequestId = requestId };

    [Fact]
    public async Task StateSurvivesARestart()
    {
        var folder = ServiceServer.NewDataFolder();
        try
        {
            await using (var first = await ServiceServer.StartAsync(folder))
            {
                await first.ReplyAsync(Message("r1", "老板,请给我推荐一款卧室灯"));
                await first.ReplyAsync(Message("r1", "我更喜欢方形的"));
                await first.StopAsync();
            }

            await using var second = await ServiceServer.StartAsync(folder);
            var third = await second.ReplyAsync(Message("r1", "我家是北欧装修风格"));
            Assert.Equal("卧室", third.Slots["room"]);
            Assert.Equal("方形", third.Slots["shape"]);
            Assert.Equal("NB-201", Assert.Single(third.Actions).Recommend.Sku);
        }
        finally
        {
            ServiceServer.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task ConcurrentCallsOnOneConversationLoseNoTurn()
    {
        await using var server = await ServiceServer.StartAsync();
        try
        {
            await server.ReplyAsync(Message("busy", "你好"));
            const int calls = 20;
            var replies = await Task.WhenAll(Enumerable.Range(0, calls).Select(i => server.ReplyAsync(Message("busy", "在吗", "busy-" + i))));

            // The greeting's two variants rotate per turn: had two calls read the same state, one
            // variant would have been shown more often than the other.
            var shown = replies.Select(r => r.Messages[0].VariantId).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(2, shown.Count);
            Assert.All(shown.Values, count => Assert.Equal(calls / 2, count));

            var stats = await server.CallAsync(server.Api.GetStatsAsync, new GetStatsRequest { ShopId = "lamp_shop" });
            Assert.Equal(calls + 1, stats.Variants.Where(v => v.Intent == "greet").Sum(v => v.Shown));
        }
        finally
        {
            ServiceServer.DeleteFolder(server.DataFolder);
        }
    }

    [Fact]
    public async Task AFailingStoreAnswersUnavailableAndChangesNothing()
    {
        await using var server = await ServiceServer.StartAsync();
        try
        {
            await server.ReplyAsync(Message("broken", "在吗"));
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(server.DataFolder, "conversations.db") + ";Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "DROP TABLE usage";
                command.ExecuteNonQuery();
            }

            var error = await Assert.ThrowsAsync<RpcException>(() => server.ReplyAsync(Message("broken", "推荐一款卧室灯")));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Contains("nothing was changed", error.Status.Detail, StringComparison.Ordinal);

            using var check = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(server.DataFolder, "conversations.db") + ";Pooling=False");
            check.Open();
            using var version = check.CreateCommand();
            version.CommandText = "SELECT version FROM conversations WHERE conversation_id = 'broken'";
            Assert.Equal(1L, version.ExecuteScalar());
        }
        finally
        {
            await server.DisposeAsync();
            ServiceServer.DeleteFolder(server.DataFolder);
        }
    }

    /// <summary>
    /// Kills the service process (SIGKILL) in the middle of concurrent load, restarts it on the same
    /// data folder, and checks that the database is intact and every answer a client received is
    /// still there: re-sending each acknowledged request returns exactly the acknowledged answer.
    /// </summary>
    [Fact]
    public async Task EveryAcknowledgedAnswerSurvivesAKillDuringConcurrentLoad()
    {
        var folder = ServiceServer.NewDataFolder();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(ReplyRequest Request, ReplyResponse Response)>();
        try
        {
            var port = FreePort();
            using (var process = StartProcess(port, folder))
            {
                try
                {
                    using var client = await WaitUntilServing(port, process);
                    var api = new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(client);
                    string[] script = ["老板,请给我推荐一款卧室灯", "我更喜欢方形的", "北欧风", "发什么快递", "太贵了", "我再想想", "在吗", "谢谢"];

                    // The first Reply of a fresh process pays for JIT (seconds on a loaded machine): answered before the load starts.
                    await api.ReplyAsync(Message("crash-warm", script[0], "crash-warm"), deadline: DateTime.UtcNow.AddSeconds(60));
                    using var stop = new CancellationTokenSource();
                    var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
                    {
                        for (var k = 0; !stop.IsCancellationRequested && k < 10_000; k++)
                        {
                            var request = Message("crash-" + w, script[k % script.Length], $"crash-{w}-{k}");
                            try
                            {
                                var response = await api.ReplyAsync(request, deadline: DateTime.UtcNow.AddSeconds(5));
                                acknowledged.Add((request, response));
                            }
                            catch (Exception e) when (e is RpcException or HttpRequestException or IOException or OperationCanceledException)
                            {
                                return; // the server is gone
                            }
                        }
                    })).ToArray();

                    // Kill while the load runs: once answers are coming back (the first reply of a fresh
                    // process can take seconds on a busy machine), and a moment later.
                    var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                    while (acknowledged.Count < 12 && DateTime.UtcNow < until && workers.Any(t => !t.IsCompleted))
                    {
                        await Task.Delay(50);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1));
                    process.Kill(entireProcessTree: true);
                    stop.Cancel();
                    await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(20));
                }
                finally
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }

                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
                }
            }

            Assert.True(acknowledged.Count > 6, $"only {acknowledged.Count} answers were acknowledged before the kill");
            Assert.Equal("ok", IntegrityCheck(Path.Combine(folder, "conversations.db")));

            var restartPort = FreePort();
            using var restarted = StartProcess(restartPort, folder);
            try
            {
                using var client = await WaitUntilServing(restartPort, restarted);
                var api = new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(client);
                foreach (var (request, response) in acknowledged)
                {
                    var again = await api.ReplyAsync(request, deadline: DateTime.UtcNow.AddSeconds(5));
                    Assert.Equal(response, again);
                }

                var next = await api.ReplyAsync(Message("crash-0", "在吗", "after-restart"), deadline: DateTime.UtcNow.AddSeconds(5));
                Assert.NotEmpty(next.Messages);
            }
            finally
            {
                restarted.Kill(entireProcessTree: true);
                await restarted.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            ServiceServer.DeleteFolder(folder);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process StartProcess(int port, string folder)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ScriptService.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.ArgumentList.Add("--data");
        info.ArgumentList.Add(folder);
        info.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        // No shop console: its fixed default port would collide with other servers on this machine.
        info.ArgumentList.Add("--Console:Enabled=false");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<global::Grpc.Net.Client.GrpcChannel> WaitUntilServing(int port, Process process)
    {
        var client = global::Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var api = new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(client);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await api.ListScriptsAsync(new ListScriptsRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return client;
            }
            catch (Exception e) when (e is HttpRequestException or RpcException or OperationCanceledException or IOException)
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    client.Dispose();
                    throw new InvalidOperationException($"The service did not start on port {port} (exited: {process.HasExited}).", e);
                }

                await Task.Delay(200);
            }
        }
    }

    private static string IntegrityCheck(string file)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + file + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
