using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>
/// True figures only (issue 14), on the compiled scripts/lamp_shop.csdsl: the timing objection's
/// per-day figure and the cross-sell's coupon nudge are the cart's, as the Quoter computes them.
/// </summary>
public class TrueFiguresTests
{
    private static readonly ShopDefinition Shop = LampShop.Definition;

    private static PolicyDefinition Policy => Shop.Policies.Single(p => p.Name == "bargain");

    // The seeds' two-lamp cart, 699 (KT-880) + 299 (NB-201) = 998.
    private static Conversation TwoLampChat() => new(Shop, Conversation.WithCart(Shop, ("KT-880", 1), ("NB-201", 1)));

    // A living-room lamp the client sells at 199 (its cart carries its own price): below the 300 threshold.
    private static Conversation SmallCartChat()
    {
        var item = Shop.Items.Single(i => i.Sku == "KT-880");
        var cart = new CartView([new CartLineView(item.Sku, item.Name, 19900, 1, item.Category)]);
        return new Conversation(Shop, new BuyerContext("new", cart, new Dictionary<string, string>()));
    }

    [Fact]
    public void TheTimingObjectionSaysTheCartsPerDayFigure()
    {
        var chat = TwoLampChat();
        chat.Say("在吗");
        var quote = Quoter.Quote(Policy, Shop, chat.Context.Cart, chat.Context.CustomerTier);

        // 买家: 我再想想 — 客服: …这些灯保底用2年, 一天只要花…元哦 (the 998 cart split over 730 days, not 一块钱)
        var timing = chat.Say("我再想想");
        Assert.Equal("timing_objection", timing.Intent);
        Assert.Contains("保底用" + Policy.UsePeriodYears + "年", timing.Text());
        Assert.Contains("一天只要花" + MoneyText.Format(quote.PerDayMinor) + "元", timing.Text());
        Assert.DoesNotContain("一块钱", timing.Text());
        Assert.NotEqual(100, quote.PerDayMinor);
    }

    [Fact]
    public void TheSmallCartsPerDayFigureIsItsOwn()
    {
        var chat = SmallCartChat();
        chat.Say("在吗");
        var quote = Quoter.Quote(Policy, Shop, chat.Context.Cart, chat.Context.CustomerTier);
        var text = chat.Say("我再想想").Text();
        Assert.Contains("一天只要花" + MoneyText.Format(quote.PerDayMinor) + "元", text);
    }

    [Fact]
    public void ACartPastTheThresholdGetsNoCouponNudge()
    {
        var chat = TwoLampChat();
        chat.Say("在吗");
        var quote = Quoter.Quote(Policy, Shop, chat.Context.Cart, chat.Context.CustomerTier);
        Assert.Equal(0, quote.ToNextCouponMinor);

        // 买家: 我已经拍下了 — the cross-sell's first variant, without 「一起买满300元就可以领店铺优惠券了」
        var placed = chat.Say("我已经拍下了,请尽快发货");
        Assert.Equal("order_placed", placed.Intent);
        Assert.Contains("亲还需要购买点别的灯具吗?", placed.Text());
        Assert.DoesNotContain("优惠券", placed.Text());
        Assert.DoesNotContain("再买", placed.Text());
        Assert.Contains("一起买", placed.Text());
    }

    [Fact]
    public void ACartBelowTheThresholdGetsTheNudgeWithTheAmountStillMissing()
    {
        var chat = SmallCartChat();
        chat.Say("在吗");
        var quote = Quoter.Quote(Policy, Shop, chat.Context.Cart, chat.Context.CustomerTier);
        Assert.True(quote.ToNextCouponMinor > 0);
        var coupon = quote.NextCoupon!;

        var placed = chat.Say("我已经拍下了,请尽快发货");
        Assert.Equal("order_placed", placed.Intent);
        Assert.Contains("一起买满" + MoneyText.Format(coupon.ThresholdMinor) + "元就可以领" + coupon.Name + "了", placed.Text());
        Assert.Contains("再买" + MoneyText.Format(quote.ToNextCouponMinor) + "元", placed.Text());
        Assert.Equal(coupon.ThresholdMinor - 19900, quote.ToNextCouponMinor);
    }

    [Fact]
    public void WithoutACartTheRecommendedItemIsPriced()
    {
        // No client cart: the figures are those of the item recommended last (the conversation's cart).
        var chat = new Conversation(Shop);
        chat.Say("老板,请给我推荐一款卧室灯");
        chat.Say("我更喜欢方形的");
        var recommended = chat.Say("我家是北欧装修风格,想要简单一点的");
        var sku = Assert.IsType<RecommendItemAction>(Assert.Single(recommended.Actions)).Sku;

        var item = Shop.Items.Single(i => i.Sku == sku);
        var quote = Quoter.Quote(Policy, Shop, new CartView([new CartLineView(item.Sku, item.Name, item.PriceMinor, 1, item.Category)]), "");
        Assert.Contains("一天只要花" + MoneyText.Format(quote.PerDayMinor) + "元", chat.Say("我再想想").Text());
    }
}
