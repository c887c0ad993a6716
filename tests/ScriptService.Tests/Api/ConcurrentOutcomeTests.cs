using Grpc.Core;
using ScriptDsl.Protocol.V1;
using ScriptService.Storage;

namespace ScriptService.Tests.Api;

/// <summary>
/// Every write RPC at once over a real loopback server on a real SQLite file: 64 buyers in flight
/// recording outcomes (RecordOutcome once answered UNKNOWN "database is locked" at 64), mixed with
/// Reply, Negotiate, Converse streams and idle expiry. Every call must succeed and every count be exact.
/// </summary>
public sealed class ConcurrentOutcomeTests : IAsyncLifetime
{
    private const int Workers = 64;

    private const int Rounds = 6;

    private ServiceServer _server = null!;

    // A 1 ms busy timeout (Microsoft.Data.Sqlite still retries for its 1 s command timeout) makes
    // any contention for SQLite's write lock inside the process show within the test instead of
    // after minutes of load: with outcomes written beside the writer, 48 of the 64 buyers failed.
    // The store must not contend with itself at all.
    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync(null, "--Store:BusyTimeout=00:00:00.001");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    private static ReplyRequest Message(string conversation, string text) =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Message = text };

    private static RecordOutcomeRequest Outcome(string conversation, RecordOutcomeRequest.Types.Outcome outcome, long paid = 0) =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Outcome = outcome, PaidTotalMinor = paid };

    private static NegotiateRequest Ask(string conversation) => new()
    {
        ShopId = "lamp_shop",
        ConversationId = conversation,
        AnyBetter = true,
        Cart = new Cart { Lines = { new CartLine { Sku = "NB-201", Name = "北欧简约卧室吸顶灯", UnitPriceMinor = 29900, Quantity = 1, Category = "卧室" } } },
    };

    [Fact]
    public async Task SixtyFourBuyersInFlightRecordingOutcomesBesideRepliesNegotiationsAndExpiryAllSucceed()
    {
        // 64 workers, each a stream of buyers (like the console's seeding, which failed at 64):
        // a reply opens a conversation, then its outcomes (ordered, paid) are recorded while the
        // other workers keep replying, negotiating, conversing and expiring.
        var store = _server.Services.GetRequiredService<IConversationStore>();
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            start.Wait();
            for (var round = 0; round < Rounds; round++)
            {
                var conversation = $"o{w}-{round}";
                await _server.ReplyAsync(Message(conversation, "在吗"));
                await _server.CallAsync(_server.Api.RecordOutcomeAsync, Outcome(conversation, RecordOutcomeRequest.Types.Outcome.Ordered));
                await _server.CallAsync(_server.Api.RecordOutcomeAsync, Outcome(conversation, RecordOutcomeRequest.Types.Outcome.Paid, 29900));
                if (w % 2 == 0)
                {
                    await _server.NegotiateAsync(Ask("n" + conversation));
                }

                if (w % 16 == 0)
                {
                    using var call = _server.Api.Converse(ServiceServer.Options());
                    await call.RequestStream.WriteAsync(new ConverseRequest { Message = Message("c" + conversation, "在吗") });
                    await call.RequestStream.WriteAsync(new ConverseRequest { Negotiate = Ask("c" + conversation) });
                    await call.RequestStream.CompleteAsync();
                    var answers = 0;
                    while (await call.ResponseStream.MoveNext(CancellationToken.None))
                    {
                        answers++;
                    }

                    Assert.Equal(2, answers);
                    Assert.Equal(0, await store.ExpireAsync(CancellationToken.None));
                }
            }
        })).ToList();

        start.Set();
        try
        {
            await Task.WhenAll(workers);
        }
        catch (RpcException)
        {
            var failures = workers.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).OfType<RpcException>()
                .Select(e => e.StatusCode + " " + e.Status.Detail).Distinct().ToList();
            Assert.Fail($"{workers.Count(t => t.IsFaulted)} of {Workers} buyers' streams failed: {string.Join(" | ", failures)}");
        }

        var stats = await _server.CallAsync(_server.Api.GetStatsAsync, new GetStatsRequest { ShopId = "lamp_shop" });
        var opened = Workers * Rounds;
        Assert.Equal(opened + (opened / 2) + (opened / 16), stats.Conversations);
        Assert.Equal(opened, stats.Ordered);
        Assert.Equal(opened, stats.Paid);
        Assert.Equal(29900, stats.AveragePaidMinor);

        // Each ordered conversation was greeted once ("在吗"), so the greeting's conversions add up to them.
        Assert.Equal(opened, stats.Variants.Where(v => v.Intent == "greet").Sum(v => v.OrderedAfter));
    }

    [Fact]
    public async Task AnOutcomeTheStoreCannotWriteIsUnavailableAndTheWriterCarriesOn()
    {
        await _server.ReplyAsync(Message("broken", "在吗"));
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(_server.DataFolder, "conversations.db") + ";Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE outcomes";
            await command.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.CallAsync(_server.Api.RecordOutcomeAsync, Outcome("broken", RecordOutcomeRequest.Types.Outcome.Ordered)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("nothing was changed", error.Status.Detail, StringComparison.Ordinal);

        // The failed commit cost only its own batch: the next write goes through.
        var next = await _server.ReplyAsync(Message("broken", "发什么快递"));
        Assert.Equal("shipping", next.Intent);
    }
}
