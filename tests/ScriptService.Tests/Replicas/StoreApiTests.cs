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
            try
            {
                await Process.WaitUntilServingAsync(TimeSpan.FromSeconds(90));
            }
            catch
            {
                // xunit does not dispose a fixture whose initialization failed: stop the process.
                await DisposeAsync();
                throw;
            }
        }

        public async Task DisposeAsync()
        {
            await Process.DisposeAsync();
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }

    private static ReplyRequest Message(string conversation, string text, string requestId = "") =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Message = text, RequestId = requestId };

    [Fact]
    public async Task MessagesThatFellBackAreListedMostFrequentFirstWithoutBuyerIds()
    {
        // Messages the lamp shop's script does not cover, from several buyers.
        string[] unknown = ["楼下的狗一直在叫", "你吃饭了吗", "楼下的狗一直在叫", "楼下的狗一直在叫", "你吃饭了吗", "我的猫今天不太开心"];
        var notUnderstood = new List<(string Text, MatchKind Match)>();
        for (var i = 0; i < unknown.Length; i++)
        {
            var conversation = "buyer-" + i;
            await _service.ReplyAsync(Message(conversation, "在吗")); // the greeting first
            var reply = await _service.ReplyAsync(Message(conversation, unknown[i]));
            if (reply.Match is MatchKind.MatchFallback or MatchKind.MatchClarifying || (reply.Match == MatchKind.Unspecified && reply.Intent.Length == 0))
            {
                notUnderstood.Add((ScriptDsl.Text.TextNormalizer.Normalize(unknown[i]), reply.Match == MatchKind.MatchClarifying ? MatchKind.MatchClarifying : MatchKind.MatchFallback));
            }
        }

        Assert.NotEmpty(notUnderstood);
        var listed = ListUnmatchedResponse.Parser.ParseFrom(await _service.CallAsync("ListUnmatched", new ListUnmatchedRequest { ShopId = "lamp_shop" }));
        var expected = notUnderstood.GroupBy(u => u.Text, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        foreach (var group in expected)
        {
            var entry = Assert.Single(listed.Messages, m => m.Text == group.Key);
            Assert.Equal(group.Count(), entry.Count);
            Assert.Equal(group.Last().Match, entry.Match);
            Assert.True(entry.LastSeenUnixMs >= entry.FirstSeenUnixMs);
        }

        Assert.Equal(expected[0].Count(), listed.Messages[0].Count);
        Assert.Equal(listed.Messages.Select(m => m.Count).OrderDescending(), listed.Messages.Select(m => m.Count));
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

    [Fact]
    public async Task TheChatCommandListsUnmatchedMessages()
    {
        var file = Path.Combine(Path.GetTempPath(), "sdsl-chat-" + Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllLinesAsync(file, ["在吗", "我的鹦鹉会唱歌", "/unmatched 5", "/quit"]);
        try
        {
            using var output = new StringWriter();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var code = await ScriptService.Chat.ChatCommand.RunAsync(
                ["--shop", "lamp_shop", "--server", $"http://127.0.0.1:{_service.Port}", "--replay", file, "--conversation", "chat-unmatched"],
                TextReader.Null, output, timeout.Token);
            Assert.Equal(0, code);
            var listed = ListUnmatchedResponse.Parser.ParseFrom(await _service.CallAsync("ListUnmatched", new ListUnmatchedRequest { ShopId = "lamp_shop", Limit = 5 }));
            Assert.NotEmpty(listed.Messages);
            Assert.Contains($"{listed.Messages[0].Count}× {listed.Messages[0].Text}", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
