using Grpc.Core;
using ScriptDsl.Protocol.V1;

namespace ScriptService.Tests.Replicas;

/// <summary>
/// The store-facing API end to end over gRPC on one service process (SQLite): ListUnmatched and a
/// replayed Converse negotiate.
/// </summary>
public sealed class StoreApiTests(StoreApiTests.Service fixture) : IClassFixture<StoreApiTests.Service>
{
    private readonly ReplicaProcess _service = fixture.Process;

    /// <summary>One service process for the class (starting one costs seconds).</summary>
    public sealed class Service : IAsyncLifetime
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "sdsl-storeapi-" + Guid.NewGuid().ToString("N"));

        public ReplicaProcess Process { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Process = ReplicaProcess.Start(_folder, "--Store:Durability=Normal");
            await Process.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static ReplyRequest Message(string conversation, string text, string requestId = "") =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Message = text, RequestId = requestId };

    [Fact]
    public async Task MessagesThatFellBackAreListedMostFrequentFirstWithoutBuyerIds()
    {
        // Messages the lamp shop's script does not cover, from several buyers.
        string[] unknown = ["我家猫把灯线咬断了", "你们老板姓什么", "我家猫把灯线咬断了", "我家猫把灯线咬断了", "你们老板姓什么", "火星能送吗"];
        var fellBack = new List<string>();
        for (var i = 0; i < unknown.Length; i++)
        {
            var conversation = "buyer-" + i;
            await _service.ReplyAsync(Message(conversation, "在吗")); // the greeting first
            var reply = await _service.ReplyAsync(Message(conversation, unknown[i]));
            if (reply.Intent.Length == 0)
            {
                fellBack.Add(unknown[i]);
            }
        }

        Assert.NotEmpty(fellBack);
        var listed = ListUnmatchedResponse.Parser.ParseFrom(await _service.CallAsync("ListUnmatched", new ListUnmatchedRequest { ShopId = "lamp_shop" }));
        var expected = fellBack.GroupBy(t => ScriptDsl.Text.TextNormalizer.Normalize(t), StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ToList();
        Assert.Equal(expected.Count, listed.Messages.Count(m => expected.Any(g => g.Key == m.Text)));
        Assert.Equal(expected[0].Key, listed.Messages[0].Text);
        Assert.Equal(expected[0].Count(), listed.Messages[0].Count);
        Assert.Equal(MatchKind.MatchFallback, listed.Messages[0].Match);
        Assert.True(listed.Messages[0].LastSeenUnixMs >= listed.Messages[0].FirstSeenUnixMs);
        Assert.DoesNotContain(listed.Messages, m => m.Text.Contains("buyer-", StringComparison.Ordinal));

        var one = ListUnmatchedResponse.Parser.ParseFrom(await _service.CallAsync("ListUnmatched", new ListUnmatchedRequest { ShopId = "lamp_shop", Limit = 1 }));
        Assert.Single(one.Messages);
    }

    [Theory]
    [InlineData("", 10, StatusCode.InvalidArgument, "shop_id")]
    [InlineData("lamp_shop", -1, StatusCode.InvalidArgument, "limit")]
    [InlineData("lamp_shop", 501, StatusCode.InvalidArgument, "limit")]
    [InlineData("no_such_shop", 10, StatusCode.NotFound, "no_such_shop")]
    public async Task ListUnmatchedRefusesABadRequestNamingTheField(string shop, int limit, StatusCode status, string named)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _service.CallAsync("ListUnmatched", new ListUnmatchedRequest { ShopId = shop, Limit = limit }));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(named, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReplayedConverseNegotiateReportsTheStoredStageAndSlots()
    {
        var cart = new Cart { Lines = { new CartLine { Sku = "NB-201", Name = "北欧简约卧室吸顶灯", UnitPriceMinor = 29900, Quantity = 1, Category = "卧室" } } };
        var negotiate = new ConverseRequest { Negotiate = new NegotiateRequest { ShopId = "lamp_shop", ConversationId = "replay", Cart = cart, AnyBetter = true, RequestId = "n-1" } };
        var first = await _service.ConverseAsync(
        [
            new ConverseRequest { Message = Message("replay", "老板,请给我推荐一款卧室灯") },
            negotiate,
        ]);
        Assert.NotEmpty(first[0].Slots);
        Assert.NotEqual("", first[1].Stage);

        // The same negotiate again (a retry): the stored answer, reported with the conversation's stage and slots.
        var replayed = await _service.ConverseAsync([negotiate]);
        Assert.Equal(first[1].Messages, replayed[0].Messages);
        Assert.Equal(first[1].Stage, replayed[0].Stage);
        Assert.Equal(first[1].Slots, replayed[0].Slots);
        Assert.NotEmpty(replayed[0].Slots);
    }
}
