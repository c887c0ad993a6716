using ScriptDsl.Engine;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Engine;

public class ConversationEngineTests
{
    private static ShopDefinition LampShop(string hash = "hash-1") => new TestShop()
        .Slot("room", SlotKind.Choice, "您是要买什么灯用在什么地方呢?", ["客厅", "卧室", "餐厅", "阳台", "书房"])
        .Slot("shape", SlotKind.Choice, "亲, 您是更喜欢圆灯还是方灯呢?", ["圆形", "方形"],
            synonyms: new() { ["圆形"] = ["圆灯", "圆的"], ["方形"] = ["方灯", "方的"] })
        .Slot("style", SlotKind.Choice, "好的, 您家装修风格是现代简约还是北欧还是别的风格呢?", ["现代简约", "北欧", "中式"],
            synonyms: new() { ["现代简约"] = ["简约"] })
        .Slot("area", SlotKind.Number, "您是要用在多大的面积里面呢?", units: ["平", "平米", "㎡"])
        .Slot("budget", SlotKind.Money, "您大概想要买多少价位的灯具呢?")
        .Item("NB-201", "北欧简约卧室吸顶灯", 39900, "卧室", "北欧风, 简约百搭")
        .Item("KT-880", "现代客厅吸顶灯", 78500, "客厅", "大气明亮")
        .Item("TY-100", "百搭吸顶灯", 19900, "卧室", "百搭")
        .Item("YT-010", "阳台灯", 3900, "阳台", "防水")
        .Stage("greet", next: "consult")
        .Stage("consult")
        .Recommend("recommend", "亲, 根据您家{style}的风格, 推荐这款{item}呢",
            (s => s.Slots[1].Choice == 1 && s.Slots[2].Choice == 1 && s.Slots[0].Choice == 1, "NB-201"),
            (s => s.Slots[0].Choice == 0, "KT-880"),
            (null, "TY-100"))
        .Intent("greet", IntentKind.Stage, "greet", ["在吗", "你好", "在不在"], ["亲, 您好, 欢迎光临~ [微笑]", "在的呢亲~ 有什么需要帮忙的哈?"], onStart: true)
        .Intent("recommend", IntentKind.Stage, "consult", ["推荐", "哪款", "什么灯"], ask: ["shape", "style"], then: "recommend")
        .Intent("shipping", IntentKind.Quick, "", ["快递", "发货", "几天到"], ["亲, 我们默认发中通快递, 下单后48小时内发货哦"])
        .Intent("price_objection", IntentKind.Objection, "", ["贵", "便宜点"], ["亲您好, 我们是采用的进口光源哦"], negations: ["不", "没那么"], objection: ObjectionKind.Price)
        .Intent("order_placed", IntentKind.OrderPlaced, "", ["拍下了", "已付款"], ["嗯, 好的, 感谢您光临本店, 我们会尽快给您发货的, 祝您身体健康, 万事如意!"],
            flags: [new OrderFlag("red", "核对地址后再打单")])
        .Intent("farewell", IntentKind.Farewell, "", ["谢谢", "再见"], ["应该的, 您的满意是我们最大的动力!"])
        .CrossSell("客厅", ["卧室", "阳台"], "亲还需要购买点别的灯具吗? 一起买的话就可以满足店铺优惠券的额度了, 比较划算呢")
        .Build(hash);

    private static TurnResult Say(ShopDefinition shop, ref ConversationState state, string message, BuyerContext? context = null)
    {
        var result = ConversationEngine.Turn(shop, state, message, context ?? BuyerContext.Empty);
        state = result.State;
        return result;
    }

    [Fact]
    public void TheSeedsBedroomLampDialogueAsksTwoQuestionsThenRecommends()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);

        var first = Say(shop, ref state, "老板,请给我推荐一款卧室灯");
        Assert.Equal("recommend", first.Intent);
        Assert.Equal(2, first.Messages.Count);
        Assert.Contains("欢迎光临", first.Messages[0].Text);
        Assert.Equal("亲, 您是更喜欢圆灯还是方灯呢?", first.Messages[1].Text);
        Assert.Equal("卧室", first.Slots["room"]);
        Assert.Equal("consult", first.Stage);

        var second = Say(shop, ref state, "我更喜欢方形的");
        Assert.Equal("recommend", second.Intent);
        Assert.Equal("方形", second.Slots["shape"]);
        Assert.Equal("好的, 您家装修风格是现代简约还是北欧还是别的风格呢?", Assert.Single(second.Messages).Text);

        var third = Say(shop, ref state, "我家是北欧装修风格,想要简单一点的");
        Assert.Equal("北欧", third.Slots["style"]);
        Assert.Equal("recommend", third.Intent);
        Assert.Equal("亲, 根据您家北欧的风格, 推荐这款北欧简约卧室吸顶灯呢", Assert.Single(third.Messages).Text);
        var action = Assert.IsType<RecommendItemAction>(Assert.Single(third.Actions));
        Assert.Equal("NB-201", action.Sku);
        Assert.Equal("recommend", third.Stage);
    }

    [Fact]
    public void OneMessageFillsTwoSlotsAndFilledSlotsAreNeverAsked()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "你好");

        var result = Say(shop, ref state, "我家北欧风, 卧室用, 方的, 推荐一款");
        Assert.Equal("北欧", result.Slots["style"]);
        Assert.Equal("卧室", result.Slots["room"]);
        Assert.Equal("方形", result.Slots["shape"]);

        // Both questions of the intent are answered, yet the seeds want two questions asked before a
        // recommendation: the engine asks the next unfilled slots instead of the filled ones.
        Assert.Equal("您是要用在多大的面积里面呢?", Assert.Single(result.Messages).Text);
        Assert.DoesNotContain(result.State.Asked, a => a is "style" or "room" or "shape");
    }

    [Theory]
    [InlineData("20平", "20")]
    [InlineData("大概20㎡吧", "~20")] // approximate: docs/text-processing.md
    [InlineData("二十平米", "20")]
    [InlineData("十五平", "15")]
    public void AreaIsExtractedWithUnits(string message, string expected)
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        var result = Say(shop, ref state, message);
        Assert.Equal(expected, result.Slots["area"]);
    }

    [Theory]
    [InlineData("300元以内", "..30000")] // at most 300 yuan, in fen
    [InlineData("三百块", "30000")]
    public void BudgetIsExtractedAsFen(string message, string expected)
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        var result = Say(shop, ref state, message);
        Assert.Equal(expected, result.Slots["budget"]);
    }

    [Fact]
    public void ABareNumberAnswersTheNumberQuestionJustAsked()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 3, Stage = "consult", PendingSlot = "area", Asked = ["area"] };
        var result = Say(shop, ref state, "25");
        Assert.Equal("25", result.Slots["area"]);
    }

    [Fact]
    public void NegatedMentionDoesNotFireTheObjection()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "在吗");

        Assert.Equal("price_objection", Say(shop, ref state, "你家灯怎么这么贵?").Intent);
        Assert.Equal("", Say(shop, ref state, "其实不贵").Intent);
        Assert.Equal("", Say(shop, ref state, "也没那么贵").Intent);
    }

    [Fact]
    public void CurrentStageWinsOverShopWideAndLongestMatchWinsWithinATier()
    {
        var shop = new TestShop()
            .Stage("main")
            .Intent("stage_ship", IntentKind.Stage, "main", ["发货"], ["stage"])
            .Intent("quick_ship", IntentKind.Quick, "", ["发货", "什么时候发货"], ["quick"])
            .Intent("short", IntentKind.Quick, "", ["退"], ["short"])
            .Intent("long", IntentKind.Quick, "", ["退货"], ["long"])
            .Build();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "main" };

        Assert.Equal("stage_ship", Say(shop, ref state, "什么时候发货").Intent);
        Assert.Equal("long", Say(shop, ref state, "我要退货").Intent);
    }

    [Fact]
    public void TiesOfEqualLengthGoToTheEarlierDeclaration()
    {
        var shop = new TestShop()
            .Stage("main")
            .Intent("first", IntentKind.Quick, "", ["包邮"], ["first"])
            .Intent("second", IntentKind.Quick, "", ["包邮"], ["second"])
            .Build();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "main" };
        Assert.Equal("first", Say(shop, ref state, "包邮吗").Intent);
    }

    [Fact]
    public void ReplyVariantsRotate()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "greet" };
        var a = Say(shop, ref state, "在吗").Messages[0];
        state = state with { Stage = "greet" };
        var b = Say(shop, ref state, "在吗").Messages[0];
        state = state with { Stage = "greet" };
        var c = Say(shop, ref state, "在吗").Messages[0];
        Assert.Equal("greet/1", a.VariantId);
        Assert.Equal("greet/2", b.VariantId);
        Assert.Equal("greet/1", c.VariantId);
    }

    [Fact]
    public void TheFallbackNeverSaysTheSameTextTwiceInARow()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "consult" };
        string? previous = null;
        for (var i = 0; i < 6; i++)
        {
            var result = Say(shop, ref state, "嗯嗯");
            Assert.Equal("", result.Intent);
            var text = Assert.Single(result.Messages).Text;
            Assert.NotEqual(previous, text);
            previous = text;
        }
    }

    [Fact]
    public void ASingleWordedFallbackAsksAQuestionRatherThanRepeatItself()
    {
        var shop = new TestShop()
            .Slot("room", SlotKind.Choice, "您是要用在什么地方呢?", ["客厅", "卧室"])
            .Stage("main")
            .Fallback("亲, 稍等哦~")
            .Build();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "main" };
        Assert.Equal("亲, 稍等哦~", Say(shop, ref state, "嗯").Messages[0].Text);
        Assert.Equal("您是要用在什么地方呢?", Say(shop, ref state, "嗯").Messages[0].Text);
    }

    [Fact]
    public void AfterTheOrderIsPlacedTheShopSpeaksLast()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 2, Stage = "consult" };
        var cart = new CartView([new CartLineView("KT-880", "现代客厅吸顶灯", 78500, 1, "客厅")]);
        var context = new BuyerContext("new", cart, new Dictionary<string, string>());

        var placed = Say(shop, ref state, "我已经拍下了,请尽快发货", context);
        Assert.Equal("order_placed", placed.Intent);
        Assert.StartsWith("嗯, 好的, 感谢您光临本店", placed.Messages[0].Text);
        Assert.Contains(placed.Actions, a => a is FlagOrderAction { Color: "red", Note: "核对地址后再打单" });
        // Cross-sell: a living-room lamp was bought, so a bedroom or balcony lamp is offered.
        Assert.Equal(2, placed.Messages.Count);
        Assert.Contains("一起买的话", placed.Messages[1].Text);
        Assert.Contains(placed.Actions, a => a is RecommendItemAction { Sku: "NB-201" });

        var thanks = Say(shop, ref state, "谢谢!", context);
        Assert.Equal("farewell", thanks.Intent);
        Assert.Equal("应该的, 您的满意是我们最大的动力!", thanks.Messages[0].Text);

        var anything = Say(shop, ref state, "嗯嗯", context);
        Assert.Equal("farewell", anything.Intent);
        Assert.NotEmpty(anything.Messages);
    }

    [Fact]
    public void AConversationReplaysIdentically()
    {
        string[] lines = ["老板,请给我推荐一款卧室灯", "我更喜欢方形的", "我家是北欧装修风格", "太贵了", "嗯", "嗯", "拍下了", "谢谢"];
        var shop = LampShop();
        var first = Run();
        var second = Run();
        Assert.Equal(first, second);

        List<string> Run()
        {
            var state = ConversationState.New(shop.Id, shop.SourceHash);
            var transcript = new List<string>();
            foreach (var line in lines)
            {
                var r = Say(shop, ref state, line);
                transcript.Add(r.Intent + "|" + r.Stage + "|" + string.Join("/", r.Messages.Select(m => m.VariantId + ":" + m.Text)) + "|" + ConversationStateJson.Serialize(r.State));
            }

            return transcript;
        }
    }

    [Fact]
    public void TheInputStateIsNeverModified()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        var before = ConversationStateJson.Serialize(state);
        ConversationEngine.Turn(shop, state, "推荐一款卧室灯, 北欧风", BuyerContext.Empty);
        Assert.Equal(before, ConversationStateJson.Serialize(state));
    }

    [Fact]
    public void StateRoundTripsThroughJson()
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "老板,请给我推荐一款卧室灯");
        var json = ConversationStateJson.Serialize(state);
        var back = ConversationStateJson.Deserialize(json);
        Assert.Equal(json, ConversationStateJson.Serialize(back));
        Assert.Equal("卧室", back.Slots["room"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"version\": 99}")]
    public void BrokenOrNewerStoredStateIsRefusedWithAFormatException(string json) =>
        Assert.Throws<FormatException>(() => ConversationStateJson.Deserialize(json));

    [Fact]
    public void AStateFromAnOlderScriptIsRevalidatedNotCrashed()
    {
        var shop = LampShop("hash-2");
        var old = ConversationState.New(shop.Id, "hash-1") with
        {
            Turn = 4,
            Stage = "removed_stage",
            Slots = new Dictionary<string, string> { ["room"] = "卧室", ["colour"] = "白色", ["style"] = "日式" },
            PendingIntent = "gone",
        };

        var result = ConversationEngine.Turn(shop, old, "在吗", BuyerContext.Empty);
        Assert.Equal("卧室", result.Slots["room"]);
        Assert.False(result.Slots.ContainsKey("colour"));
        Assert.False(result.Slots.ContainsKey("style"));
        Assert.Contains(result.State.Notes, n => n.Contains("colour", StringComparison.Ordinal));
        Assert.Contains(result.State.Notes, n => n.Contains("日式", StringComparison.Ordinal));
        Assert.Contains(result.State.Notes, n => n.Contains("removed_stage", StringComparison.Ordinal));
        Assert.Equal("hash-2", result.State.ScriptHash);
    }

    [Fact]
    public void AShopBuiltWithoutItsTriggerTablesIsRefused()
    {
        var shop = LampShop();
        var broken = new ShopDefinition
        {
            Id = shop.Id, DisplayName = shop.DisplayName, Currency = shop.Currency, Honorific = shop.Honorific, Particles = shop.Particles,
            SourceFile = shop.SourceFile, SourceHash = shop.SourceHash, Facts = shop.Facts, Slots = shop.Slots, Concepts = shop.Concepts,
            Items = shop.Items, Intents = shop.Intents, Stages = shop.Stages, Triggers = shop.Triggers, SlotPhrases = shop.SlotPhrases,
            CrossSells = shop.CrossSells, Fallback = shop.Fallback, PolicyNames = shop.PolicyNames,
        };
        var error = Assert.Throws<InvalidOperationException>(() => ConversationEngine.Turn(broken, ConversationState.New(shop.Id, shop.SourceHash), "", BuyerContext.Empty));
        Assert.Contains("matching tables", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateOfAnotherShopIsRefused()
    {
        var shop = LampShop();
        var other = ConversationState.New("apparel_shop", "x") with { Turn = 1 };
        Assert.Throws<ArgumentException>(() => ConversationEngine.Turn(shop, other, "在吗", BuyerContext.Empty));
    }

    [Fact]
    public void OverlongMessagesAreRefused()
    {
        var shop = LampShop();
        Assert.Throws<ArgumentException>(() => ConversationEngine.Turn(shop, ConversationState.New(shop.Id, shop.SourceHash), new string('好', 2001), BuyerContext.Empty));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[微笑][微笑]")]
    [InlineData("😀😀")]
    [InlineData("\u0000\uFFFF\uD800")]
    public void EmptyOrJunkMessagesGetAReplyNotAnException(string message)
    {
        var shop = LampShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "consult" };
        var result = ConversationEngine.Turn(shop, state, message, BuyerContext.Empty);
        Assert.NotEmpty(result.Messages);
    }

    [Fact]
    public void AfterSaleSlotsAreNeitherAskedNorSuggestedBeforeASale()
    {
        var shop = new TestShop()
            .Slot("room", SlotKind.Choice, "您是要用在什么地方呢?", ["客厅", "卧室"])
            .Slot("order_no", SlotKind.Text, "麻烦亲提供一下订单号哦")
            .Stage("main")
            .Fallback("亲, 稍等哦~")
            .Intent("complaint", IntentKind.Complaint, "", ["坏了"])
            .Complaint("complaint",
                new ComplaintStep(ComplaintStepKind.Collect, TestShop.Replies("i", "为了尽快帮您处理"), [1], RemedyKind.None, "", 0, 0, 0))
            .Build();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "main" };
        var first = Say(shop, ref state, "嗯");
        Assert.Equal(["您是要用在什么地方呢?"], first.Suggestions);
        Assert.Equal("您是要用在什么地方呢?", Say(shop, ref state, "嗯").Messages[0].Text);
        var third = Say(shop, ref state, "嗯");
        Assert.Equal("亲, 稍等哦~", Assert.Single(third.Messages).Text);
        Assert.Empty(third.Suggestions);
    }

    [Fact]
    public void TheComplaintFlowFollowsTheSeedsOrder()
    {
        var shop = new TestShop()
            .Slot("order_no", SlotKind.Text, "麻烦亲提供一下订单号哦")
            .Stage("main")
            .Intent("complaint", IntentKind.Complaint, "", ["坏了", "质量问题"])
            .Complaint("complaint",
                new ComplaintStep(ComplaintStepKind.Confirm, TestShop.Replies("c", "亲, 您是说收到的灯不亮对吗?"), [], RemedyKind.None, "", 0, 0, 0),
                new ComplaintStep(ComplaintStepKind.Apologize, TestShop.Replies("a", "非常抱歉给您带来不便"), [], RemedyKind.None, "", 0, 0, 0),
                new ComplaintStep(ComplaintStepKind.Collect, TestShop.Replies("i", "为了尽快帮您处理"), [0], RemedyKind.None, "", 0, 0, 0),
                new ComplaintStep(ComplaintStepKind.Remedy, TestShop.Replies("r", "给您补偿一张10元优惠券"), [], RemedyKind.Coupon, "售后券", 1000, 0, 0),
                new ComplaintStep(ComplaintStepKind.Opinion, TestShop.Replies("o", "这样处理您看可以吗?"), [], RemedyKind.None, "", 0, 0, 0),
                new ComplaintStep(ComplaintStepKind.FollowUp, TestShop.Replies("f", "我们会跟进到您满意为止"), [], RemedyKind.None, "", 0, 0, 0))
            .Build();
        var state = ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 1, Stage = "main" };

        Assert.Equal(["亲, 您是说收到的灯不亮对吗?"], Texts(Say(shop, ref state, "灯坏了")));
        Assert.Equal(["非常抱歉给您带来不便", "为了尽快帮您处理", "麻烦亲提供一下订单号哦"], Texts(Say(shop, ref state, "对")));
        var remedy = Say(shop, ref state, "1234567890");
        Assert.Equal("1234567890", remedy.Slots["order_no"]);
        Assert.Equal(["给您补偿一张10元优惠券", "这样处理您看可以吗?"], Texts(remedy));
        Assert.Contains(remedy.Actions, a => a is OfferCouponAction { AmountMinor: 1000 });
        var follow = Say(shop, ref state, "可以");
        Assert.Equal(["我们会跟进到您满意为止"], Texts(follow));
        Assert.Equal(-1, follow.State.ComplaintStep);
        Assert.Equal("complaint", follow.Intent);

        static string[] Texts(TurnResult r) => r.Messages.Select(m => m.Text).ToArray();
    }
}
