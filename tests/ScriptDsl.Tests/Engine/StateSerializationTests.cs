using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Tests.Behaviour;

namespace ScriptDsl.Tests.Engine;

/// <summary>
/// The stored form of <see cref="ConversationState"/>: rows written by the earlier serializers
/// (StateSamples/*-v1.json and *-v2.json, produced by the reflection serializer before it was
/// replaced, and kept byte for byte as they are stored) still load, and the next save writes them
/// in the current layout; everything round-trips; anything else is a <see cref="FormatException"/>.
/// </summary>
public class StateSerializationTests
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Engine", "StateSamples", name));

    private static readonly ConversationState EveryField = new()
    {
        ShopId = "lamp_shop",
        ScriptHash = "928c5431a64bd912a5801a87561e8c54d95d5faf32d36d3101fd6cd5240fbab1",
        Stage = "aftersale",
        Turn = 11,
        Slots = new Dictionary<string, string>(StringComparer.Ordinal) { ["room"] = "卧室", ["budget"] = "35000", ["note"] = "带\"引号\"和\\反斜杠\n换行" },
        Asked = ["style", "budget"],
        PendingSlot = "area",
        PendingIntent = "recommend",
        Rotation = new Dictionary<string, int>(StringComparer.Ordinal) { ["greet"] = 2, ["price_objection"] = 3 },
        LastFallback = "亲, 这个问题我帮您问一下哈~",
        OrderPlaced = true,
        RecommendedSku = "KT-880",
        Bargaining = new BargainingState(2, 2, 93800, 99800, 1, ["遥控器", "灯泡"], true),
        ComplaintStep = 1,
        ComplaintWaiting = true,
        ClarifyOptions = ["shipping", "return"],
        AgreedTotalMinor = 93800,
        Notes = ["slot 'shape' dropped: the script no longer declares it"],
    };

    /// <summary>Every property of two states, compared by content (the record compares collections by reference).</summary>
    private static void AssertSame(ConversationState expected, ConversationState actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.ShopId, actual.ShopId);
        Assert.Equal(expected.ScriptHash, actual.ScriptHash);
        Assert.Equal(expected.Stage, actual.Stage);
        Assert.Equal(expected.Turn, actual.Turn);
        Assert.Equal(expected.Slots.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Slots.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Asked, actual.Asked);
        Assert.Equal(expected.PendingSlot, actual.PendingSlot);
        Assert.Equal(expected.PendingIntent, actual.PendingIntent);
        Assert.Equal(expected.Rotation.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Rotation.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.LastFallback, actual.LastFallback);
        Assert.Equal(expected.OrderPlaced, actual.OrderPlaced);
        Assert.Equal(expected.RecommendedSku, actual.RecommendedSku);
        Assert.Equal(expected.Bargaining, actual.Bargaining);
        Assert.Equal(expected.ComplaintStep, actual.ComplaintStep);
        Assert.Equal(expected.ComplaintWaiting, actual.ComplaintWaiting);
        Assert.Equal(expected.ClarifyOptions, actual.ClarifyOptions);
        Assert.Equal(expected.AgreedTotalMinor, actual.AgreedTotalMinor);
        Assert.Equal(expected.Notes, actual.Notes);
    }

    [Fact]
    public void AVersion2RowWithEveryFieldLoadsAsWritten()
    {
        var json = Sample("every-field-v2.json");
        Assert.StartsWith("{\"version\":2,", json);
        AssertSame(EveryField, ConversationStateJson.Deserialize(json));
    }

    [Fact]
    public void AVersion1RowLoadsWithoutTheFieldsVersion2Added()
    {
        var json = Sample("every-field-v1.json");
        Assert.StartsWith("{\"version\":1,", json);
        Assert.DoesNotContain("clarify_options", json);
        AssertSame(EveryField with { ClarifyOptions = [], AgreedTotalMinor = 0 }, ConversationStateJson.Deserialize(json));
    }

    [Theory]
    [InlineData("lamp-v1.json")]
    [InlineData("lamp-v2.json")]
    public void AnOlderMidConversationRowLoadsIsRewrittenInTheCurrentLayoutAndTheChatGoesOn(string sample)
    {
        var stored = Sample(sample);
        var loaded = ConversationStateJson.Deserialize(stored);
        Assert.Equal(ConversationState.CurrentVersion, loaded.Version);
        Assert.Equal(("suggest", 6, "NB-201"), (loaded.Stage, loaded.Turn, loaded.RecommendedSku));
        Assert.Equal(["room=卧室", "shape=圆形", "style=北欧"], loaded.Slots.Select(p => p.Key + "=" + p.Value).Order(StringComparer.Ordinal));
        Assert.Equal(new BargainingState(1, 1, 97800, 99800, -1, [], false), loaded.Bargaining);

        // Migration on write: the next save is the current layout, shorter, and reads back the same.
        var rewritten = ConversationStateJson.Serialize(loaded);
        Assert.StartsWith($"{{\"version\":{ConversationState.CurrentVersion},", rewritten);
        Assert.Contains("\"room\":\"卧室\"", rewritten);
        Assert.True(rewritten.Length < stored.Length, $"{rewritten.Length} >= {stored.Length}: {rewritten}");
        AssertSame(loaded, ConversationStateJson.Deserialize(rewritten));

        // The compiled lamp shop carries on from the loaded state.
        var next = ConversationEngine.Turn(LampShop.Definition, loaded, "发什么快递", BuyerContext.Empty);
        Assert.Equal("shipping", next.Intent);
        Assert.Equal(7, next.State.Turn);
        Assert.Equal("卧室", next.State.Slots["room"]);
    }

    [Fact]
    public void ANewStateIsWrittenWithoutItsDefaults()
    {
        var fresh = ConversationState.New("lamp_shop", "h");
        Assert.Equal("{\"version\":" + ConversationState.CurrentVersion + ",\"shop_id\":\"lamp_shop\",\"script_hash\":\"h\"}", ConversationStateJson.Serialize(fresh));
        AssertSame(fresh, ConversationStateJson.Deserialize(Sample("new-v2.json")) with { ScriptHash = "h" });
        AssertSame(fresh, ConversationStateJson.Deserialize(ConversationStateJson.Serialize(fresh)));
    }

    [Fact]
    public void EveryFieldAndAwkwardTextRoundTrip()
    {
        var awkward = EveryField with
        {
            Slots = new Dictionary<string, string>(StringComparer.Ordinal) { ["a\"b"] = "</script><b>&amp;", ["ctl"] = "\u0001\u0000\t", ["emoji"] = "灯💡", ["empty"] = "" },
            Notes = ["", "\\", "\u2028"],
            Rotation = new Dictionary<string, int>(StringComparer.Ordinal) { ["max"] = int.MaxValue, ["min"] = int.MinValue },
            AgreedTotalMinor = long.MaxValue,
            Bargaining = new BargainingState(0, 0, long.MinValue, 0, -1, [], false),
        };
        var json = ConversationStateJson.Serialize(awkward);
        AssertSame(awkward, ConversationStateJson.Deserialize(json));
        Assert.Equal(json, ConversationStateJson.Serialize(ConversationStateJson.Deserialize(json)));
    }

    [Fact]
    public void TheCurrentLayoutIsWrittenWhateverVersionTheRecordCarries()
    {
        var json = ConversationStateJson.Serialize(EveryField with { Version = 1 });
        Assert.StartsWith($"{{\"version\":{ConversationState.CurrentVersion},", json);
        Assert.Contains("\"clarify_options\":[\"shipping\",\"return\"]", json);
    }

    [Fact]
    public void APropertyThisCodeDoesNotKnowIsSkipped() =>
        Assert.Equal(2, ConversationStateJson.Deserialize("{\"version\":3,\"later\":{\"a\":[1,{\"b\":null}]},\"turn\":2,\"bargaining\":{\"x\":1,\"round\":1}}").Turn);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("{\"turn\":1}")]
    [InlineData("{\"version\":0}")]
    [InlineData("{\"version\":4}")]
    [InlineData("{\"version\":99}")]
    [InlineData("{\"version\":\"3\"}")]
    [InlineData("{\"version\":3.5}")]
    [InlineData("{\"version\":3,\"turn\":\"1\"}")]
    [InlineData("{\"version\":3,\"turn\":99999999999}")]
    [InlineData("{\"version\":3,\"slots\":[]}")]
    [InlineData("{\"version\":3,\"slots\":{\"room\":1}}")]
    [InlineData("{\"version\":3,\"asked\":[1]}")]
    [InlineData("{\"version\":3,\"asked\":\"style\"}")]
    [InlineData("{\"version\":3,\"rotation\":{\"greet\":\"1\"}}")]
    [InlineData("{\"version\":3,\"order_placed\":1}")]
    [InlineData("{\"version\":3,\"bargaining\":[]}")]
    [InlineData("{\"version\":3,\"bargaining\":{\"held\":\"no\"}}")]
    [InlineData("{\"version\":3,\"stage\":\"\\uD800\"}")]
    [InlineData("{\"version\":3} {\"version\":3}")]
    [InlineData("{\"version\":3,}")]
    public void AnythingButAStateOfAKnownLayoutIsRefusedWithAFormatException(string json) =>
        Assert.Throws<FormatException>(() => ConversationStateJson.Deserialize(json));

    [Fact]
    public void EveryTruncationOfAStoredStateIsRefusedWithAFormatException()
    {
        foreach (var json in new[] { ConversationStateJson.Serialize(EveryField), Sample("every-field-v2.json") })
        {
            for (var length = 0; length < json.Length; length++)
            {
                var cut = json[..length];
                var error = Record.Exception(() => ConversationStateJson.Deserialize(cut));
                Assert.True(error is FormatException, $"'{cut}': {error?.GetType().Name ?? "loaded"}");
            }
        }
    }

    [Fact]
    public void AStateFromAChatRoundTripsToTheSameText()
    {
        var chat = new Conversation(LampShop.Definition, Conversation.WithCart(LampShop.Definition, ("KT-880", 1), ("NB-201", 1)));
        foreach (var line in new[] { "老板,请给我推荐一款卧室灯", "北欧风的", "你推荐的这几款灯一共多少钱呀?", "900行不行", "不能再便宜点吗" })
        {
            chat.Say(line);
            var json = ConversationStateJson.Serialize(chat.State);
            var back = ConversationStateJson.Deserialize(json);
            AssertSame(chat.State with { Version = ConversationState.CurrentVersion }, back);
            Assert.Equal(json, ConversationStateJson.Serialize(back));
        }

        Assert.True(chat.State.Bargaining.Round >= 1);
    }
}
