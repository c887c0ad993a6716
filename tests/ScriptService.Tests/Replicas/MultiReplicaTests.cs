using System.Collections.Concurrent;
using Grpc.Core;
using ScriptDsl.Protocol.V1;
using ScriptService.Tests.Storage;

namespace ScriptService.Tests.Replicas;

/// <summary>
/// Three ScriptService processes on one real PostgreSQL database, each on its own port, driven
/// concurrently: what a load balancer in front of several replicas must be able to rely on.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiReplicaTests(PostgresServer server) : IAsyncLifetime
{
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "sdsl-replicas-" + Guid.NewGuid().ToString("N"));
    private readonly List<ReplicaProcess> _replicas = [];
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await server.CreateSchemaAsync();
        Directory.CreateDirectory(_dataFolder);
        for (var i = 0; i < 3; i++)
        {
            _replicas.Add(ReplicaProcess.StartOnPostgres(_connectionString, Path.Combine(_dataFolder, "r" + i)));
        }

        // Started together: the schema migration must be safe when they race.
        await Task.WhenAll(_replicas.Select(r => r.WaitUntilServingAsync(TimeSpan.FromSeconds(90))));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await server.DropSchemaAsync(_connectionString);
        Directory.Delete(_dataFolder, recursive: true);
    }

    private static ReplyRequest Message(string conversation, string text, string requestId = "") =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Message = text, RequestId = requestId };

    private static readonly string[] Script = ["老板,请给我推荐一款卧室灯", "我更喜欢方形的", "北欧风", "发什么快递", "太贵了", "我再想想", "在吗", "谢谢"];

    [Fact]
    public async Task ReplicasShareConversationsRequestIdsAndDailyStockAndSurviveAKill()
    {
        await TurnsOfOneConversationAlternateBetweenReplicasAndStayConsistent();
        await ThirtyBuyersGetExactlyTwentyLimitedGifts();
        await TheSameRequestIdOnTwoReplicasReturnsIdenticalBytes();
        await MetricsCountTheTurns();
        await AKilledReplicaLosesNoAcknowledgedAnswerAndTheOthersKeepServing();
    }

    private async Task TurnsOfOneConversationAlternateBetweenReplicasAndStayConsistent()
    {
        // Ten buyers at once; each buyer's turns go to replica 0, 1, 2, 0, ... in turn. Each buyer's
        // intents, stages and slots must match the same script run on one replica alone.
        var single = new List<ReplyResponse>();
        foreach (var line in Script)
        {
            single.Add(await _replicas[0].ReplyAsync(Message("alone", line)));
        }

        await Task.WhenAll(Enumerable.Range(0, 10).Select(async b =>
        {
            for (var t = 0; t < Script.Length; t++)
            {
                var reply = await _replicas[(b + t) % 3].ReplyAsync(Message("spread-" + b, Script[t]));
                var expected = single[t];
                Assert.Equal(expected.Intent, reply.Intent);
                Assert.Equal(expected.Stage, reply.Stage);
                Assert.Equal(expected.Slots, reply.Slots);
            }
        }));
    }

    private async Task ThirtyBuyersGetExactlyTwentyLimitedGifts()
    {
        // lamp_shop's policy: gift "阳台灯" ... limit 20 per day. 30 buyers bargain to the end, each
        // round on the next replica.
        var cart = new Cart
        {
            Lines =
            {
                new CartLine { Sku = "KT-880", Name = "现代客厅方形吸顶灯", UnitPriceMinor = 69900, Quantity = 1, Category = "客厅" },
                new CartLine { Sku = "NB-201", Name = "北欧简约卧室吸顶灯", UnitPriceMinor = 29900, Quantity = 1, Category = "卧室" },
            },
        };
        var got = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            for (var round = 0; round < 8; round++)
            {
                var decision = await _replicas[(i + round) % 3].NegotiateAsync(
                    new NegotiateRequest { ShopId = "lamp_shop", ConversationId = "gift-" + i, Cart = cart, AnyBetter = true });
                if (decision.Gifts.Any(g => g.Name == "阳台灯"))
                {
                    return true;
                }
            }

            return false;
        }));
        Assert.Equal(20, got.Count(g => g));
    }

    private async Task TheSameRequestIdOnTwoReplicasReturnsIdenticalBytes()
    {
        for (var k = 0; k < 5; k++)
        {
            var request = Message("retry-" + k, "老板,请给我推荐一款卧室灯", "req-" + k);
            var both = await Task.WhenAll(_replicas[0].CallAsync("Reply", request), _replicas[1].CallAsync("Reply", request));
            Assert.Equal(both[0], both[1]);
            Assert.Equal(both[0], await _replicas[2].CallAsync("Reply", request));
        }

        // The next turn sees exactly one earlier turn (the retries did not advance the conversation).
        var next = await _replicas[2].ReplyAsync(Message("retry-0", "我更喜欢方形的"));
        Assert.Equal("recommend", next.Intent);
    }

    private async Task MetricsCountTheTurns()
    {
        var text = await _replicas[0].ScrapeMetricsAsync();
        Assert.Contains("sdsl_turns_total{", text, StringComparison.Ordinal);
        Assert.Contains("shop=\"lamp_shop\"", text, StringComparison.Ordinal);
        Assert.Contains("sdsl_store_commit_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("sdsl_store_commit_batch_size", text, StringComparison.Ordinal);
        Assert.Contains("sdsl_gifts_granted_total", text, StringComparison.Ordinal);
    }

    private async Task AKilledReplicaLosesNoAcknowledgedAnswerAndTheOthersKeepServing()
    {
        var acknowledged = new ConcurrentBag<(ReplyRequest Request, byte[] Answer)>();
        var afterKill = 0;
        var killed = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 9).Select(w => Task.Run(async () =>
        {
            for (var k = 0; !stop.IsCancellationRequested; k++)
            {
                var request = Message("kill-" + w, Script[k % Script.Length], $"kill-{w}-{k}");
                var replica = _replicas[(w + k) % 3];
                try
                {
                    acknowledged.Add((request, await replica.CallAsync("Reply", request, TimeSpan.FromSeconds(10))));
                    if (Volatile.Read(ref killed) == 1)
                    {
                        Interlocked.Increment(ref afterKill);
                    }
                }
                catch (RpcException) when (replica == _replicas[2] && Volatile.Read(ref killed) == 1)
                {
                    // The killed replica: the load balancer's retry goes to another replica.
                    var retried = await _replicas[k % 2].CallAsync("Reply", request, TimeSpan.FromSeconds(10));
                    acknowledged.Add((request, retried));
                    Interlocked.Increment(ref afterKill);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2));
        Volatile.Write(ref killed, 1);
        _replicas[2].Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(_replicas[2].HasExited);
        Assert.True(acknowledged.Count > 9, $"only {acknowledged.Count} answers were acknowledged");
        Assert.True(afterKill > 0, "no answer after the kill");

        // Every acknowledged answer is stored: re-sending its request returns exactly those bytes.
        foreach (var (request, answer) in acknowledged)
        {
            Assert.Equal(answer, await _replicas[0].CallAsync("Reply", request));
        }
    }
}
