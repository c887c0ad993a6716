using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>
/// The presale standard's bargaining dialogue (seeds/000, 5.客服议价对策 and 6.促成交易) replayed line
/// by line through the engine with a two-lamp cart, 699 (KT-880) + 299 (NB-201): the total is a
/// quote, a bare 「900行不行」 is a counter-offer the policy answers, and 「好吧我咬牙一起买吧!」 closes
/// the sale at the total the negotiation reached.
/// </summary>
public class SeedBargainingDialogueTests
{
    private static readonly Model.ShopDefinition Shop = UnderstandingLampShop.Definition;

    private static Conversation TwoLampChat() => new(Shop, Conversation.WithCart(Shop, ("KT-880", 1), ("NB-201", 1)));

    private static long ListTotal => Shop.Items.Single(i => i.Sku == "KT-880").PriceMinor + Shop.Items.Single(i => i.Sku == "NB-201").PriceMinor;

    private static PolicyDefinition Policy => Shop.Policies.Single(p => p.Name == "bargain");

    [Fact]
    public void TheDialogueQuotesNegotiatesAndClosesOnTheCart()
    {
        var chat = TwoLampChat();
        Assert.Equal(MatchKind.Trigger, chat.Say("在吗").Match);
        var quoted = Quoter.Quote(Policy, Shop, chat.Context.Cart, chat.Context.CustomerTier);

        // 买家: 你推荐的这几款灯一共多少钱呀? — 客服: 帮亲看了一下, 全套一共是…元包邮哦! (a quote, not a recommendation request)
        var quote = chat.Say("你推荐的这几款灯一共多少钱呀?");
        Assert.Equal("quote", quote.Intent);
        Assert.Equal(ReplyKinds.Quote, quote.ReplyKind);
        Assert.Equal(MatchKind.Trigger, quote.Match);
        Assert.Equal(1.0, quote.Confidence);
        Assert.DoesNotContain(quote.Actions, a => a is RecommendItemAction);
        Assert.Equal(new TurnPricing("quote", "bargain", "", null, ListTotal, quoted.PayableTotalMinor, 0, quoted.PerDayMinor, quoted.ToNextCouponMinor, 0), quote.Pricing);
        Assert.Contains("全套一共是" + MoneyText.Format(ListTotal) + "元", quote.Text());
        Assert.Equal(quoted.Messages.Single().VariantId, Assert.Single(quote.Messages).VariantId);

        // 买家: 啊? 这么贵啊! 我考虑考虑下 — the longer, more specific trigger (timing) wins over 贵.
        var timing = chat.Say("啊?这么贵啊!我考虑考虑下");
        Assert.Equal("timing_objection", timing.Intent);

        // 买家: 900行不行 — no price word, still a counter-offer: the policy's next step answers it.
        var counter = chat.Say("900行不行");
        Assert.Equal("price_objection", counter.Intent);
        Assert.Equal(ReplyKinds.Negotiate, counter.ReplyKind);
        var pricing = Assert.IsType<TurnPricing>(counter.Pricing);
        Assert.Equal("negotiate", pricing.Kind);
        Assert.Equal(90000, pricing.AskTotalMinor);
        Assert.Equal(1, pricing.Round);
        Assert.Equal(Policy.Steps[0].Name, pricing.Step);
        Assert.Equal(counter.Policy!.Step, pricing.Step);
        Assert.True(pricing.TotalMinor <= quoted.PayableTotalMinor);
        Assert.True(pricing.TotalMinor >= CartPricing.Price(Policy, chat.Context.Cart, "new").FloorMinor);
        Assert.Equal(1, chat.State.Bargaining.Round);

        // 买家: 你说的也是, 好吧我咬牙一起买吧! — 促成交易: the agreed total is the offer on the table.
        var close = chat.Say("你说的也是,好吧我咬牙一起买吧!");
        Assert.Equal("close", close.Intent);
        Assert.Equal(ReplyKinds.Close, close.ReplyKind);
        var closed = Assert.IsType<TurnPricing>(close.Pricing);
        Assert.Equal("close", closed.Kind);
        Assert.Equal(pricing.TotalMinor, closed.TotalMinor);
        Assert.Equal(ListTotal, closed.ListTotalMinor);
        Assert.Equal(pricing.TotalMinor, chat.State.AgreedTotalMinor);
        Assert.Contains("全套" + MoneyText.Format(pricing.TotalMinor) + "元", close.Text());
        Assert.Contains("保留" + Shop.PaymentReminder!.WithinDays + "天", close.Text());

        // 买家: 我已经拍下了, 请尽快发货 — the order, then the farewell: the shop still speaks last.
        Assert.Equal("order_placed", chat.Say("我已经拍下了,请尽快发货。").Intent);
        Assert.Equal("farewell", chat.Say("谢谢!").Intent);
    }

    [Fact]
    public void TheWholePolicyDialogueKeepsItsInvariantsThroughChat()
    {
        var chat = TwoLampChat();
        chat.Say("在吗");
        var floor = CartPricing.Price(Policy, chat.Context.Cart, "new").FloorMinor;
        var lines = new[]
        {
            "你家灯怎么这么贵?别家相同的款式便宜很多呢!",
            "我买这么多灯具可以打八折包个邮吗?",
            "不能再优惠一点吗?我会给你介绍客户的!",
            "900行不行",
            "800卖不卖",
            "打个九折呗",
            "能不能850",
            "便宜50",
            "700块行吗",
        };
        var offered = long.MaxValue;
        var gifts = 0;
        foreach (var line in lines)
        {
            var turn = chat.Say(line);
            Assert.Equal("price_objection", turn.Intent);
            var pricing = Assert.IsType<TurnPricing>(turn.Pricing);
            Assert.True(pricing.TotalMinor >= floor, $"{line}: {pricing.TotalMinor} is below the floor {floor}");
            Assert.True(pricing.TotalMinor <= offered, $"{line}: {pricing.TotalMinor} is more than the {offered} offered before");
            offered = pricing.TotalMinor;
            gifts += turn.Actions.Count(a => a is OfferGiftAction);
            Assert.True(turn.Actions.Count(a => a is OfferGiftAction) <= 1, $"{line}: more than one gift at a time");
        }

        Assert.Equal(lines.Length, chat.State.Bargaining.Round);
        Assert.Equal(chat.State.Bargaining.GiftsGranted.Count, gifts);
    }

    [Fact]
    public void ARetriedMessageOnTheSameStateDecidesTheSame()
    {
        var chat = TwoLampChat();
        chat.Say("在吗");
        var before = chat.State;
        var once = ConversationEngine.Turn(Shop, before, "900行不行", chat.Context);
        var again = ConversationEngine.Turn(Shop, before, "900行不行", chat.Context);
        Assert.Equal(once.Pricing, again.Pricing);
        Assert.Equal(once.Messages, again.Messages);
        Assert.Equal(ConversationStateJson.Serialize(once.State), ConversationStateJson.Serialize(again.State));
    }

    [Fact]
    public void CloseWithoutANegotiationConfirmsTheQuotesPayableTotal()
    {
        var chat = TwoLampChat();
        chat.Say("在吗");
        var close = chat.Say("行 就它了");
        Assert.Equal("close", close.Intent);
        var payable = Quoter.Quote(Policy, Shop, chat.Context.Cart, "new").PayableTotalMinor;
        Assert.Equal(payable, close.Pricing!.TotalMinor);
        Assert.Contains(MoneyText.Format(payable), close.Text());
    }

    [Fact]
    public void WithoutAClientCartTheQuoteIsAboutTheItemRecommended()
    {
        var chat = new Conversation(Shop);
        chat.Say("老板,请给我推荐一款卧室灯");
        chat.Say("我更喜欢方形的");
        var recommended = chat.Say("我家是北欧装修风格,想要简单一点的");
        var sku = Assert.IsType<RecommendItemAction>(Assert.Single(recommended.Actions)).Sku;

        var quote = chat.Say("一共多少钱?");
        Assert.Equal("quote", quote.Intent);
        Assert.Equal(Shop.Items.Single(i => i.Sku == sku).PriceMinor, quote.Pricing!.ListTotalMinor);
    }

    [Fact]
    public void WithNothingToPriceAQuoteOrCloseNeverInventsATotal()
    {
        var chat = new Conversation(Shop);
        chat.Say("在吗");
        var quote = chat.Say("一共多少钱");
        Assert.Equal("quote", quote.Intent);
        Assert.Null(quote.Pricing);
        Assert.NotEmpty(quote.Messages);

        var close = chat.Say("我买了");
        Assert.Equal("close", close.Intent);
        Assert.Null(close.Pricing);
        Assert.Equal(0, chat.State.AgreedTotalMinor);
    }

    [Fact]
    public void QuotesAreCountedLikeAnyReply()
    {
        var chat = TwoLampChat();
        chat.Say("在吗");
        var first = chat.Say("一共多少钱");
        var second = chat.Say("全套多少");
        Assert.All(first.Messages.Concat(second.Messages), m => Assert.False(string.IsNullOrEmpty(m.VariantId)));
    }
}
