using ScriptDsl.Bargaining;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>
/// Replays the lamp shop's bargaining dialogues of seed 000 ("5.客服议价对策") against the lamp
/// policy: explain the value, state the principle, gifts one at a time, split the price, hold.
/// </summary>
public sealed class LampBargainingDialogueTests
{
    private static readonly PolicyDefinition Policy = PolicyFixtures.Lamp;

    [Fact]
    public void The_seed_dialogue_goes_value_principle_gifts_split_hold_without_a_discount()
    {
        var cart = PolicyFixtures.LampCart785;
        var state = BargainingState.Initial;
        NegotiationOutcome Say(BargainAsk ask)
        {
            var outcome = Negotiator.Decide(Policy, PolicyFixtures.LampShop, cart, ask, state, "");
            state = outcome.State;
            return outcome;
        }

        // 买家: 你家灯怎么这么贵? 别家相同的款式便宜很多呢!
        var value = Say(BargainAsk.AnyBetter());
        Assert.Equal(BargainDecision.ExplainValue, value.Decision);
        Assert.Equal("value", value.Step);
        Assert.Equal(1, value.Round);
        Assert.Contains("进口光源", Text(value));
        Assert.Contains("20000小时", Text(value));
        Assert.Contains("5年", Text(value));
        Assert.Equal(76500, value.TotalMinor); // 785 less the 满300减20 coupon that already applies

        // 买家: 我看图片都差不多么, 再说这个牌子我也没见过呀!
        var stores = Say(BargainAsk.AnyBetter());
        Assert.Equal(BargainDecision.ExplainValue, stores.Decision);
        Assert.Contains("专卖店", Text(stores));
        Assert.Contains("线下的七折", Text(stores));

        // 买家: 我买这么多灯具可以打八折包个邮吗? — 80% of 785 = 628 is below what the policy gives.
        var principle = Say(BargainAsk.PercentOff(20));
        Assert.Equal(BargainDecision.Coupon, principle.Decision);
        Assert.Equal("亲, 您可以领取我们的店铺优惠券哦, 价格和优惠都是公司制定的呢, 我们只是小小客服是没有别的优惠权限的呢", Text(principle));
        Assert.Equal(76500, principle.TotalMinor);

        // 买家: 不能再优惠一点吗? 我会给你介绍客户的! — a night light, not a discount.
        var nightLight = Say(BargainAsk.AnyBetter());
        Assert.Equal(BargainDecision.Gift, nightLight.Decision);
        Assert.Equal("亲要不我们给您送一个光控智能感应小夜灯吧, 价钱上实在不能便宜了, 我也只是打工的客服, 一般只有老客户购买才有送的呢!", Text(nightLight));
        Assert.Equal([new GrantedGift("光控智能感应小夜灯", 1500)], nightLight.Gifts);
        Assert.Equal(new GrantedGift("光控智能感应小夜灯", 1500), nightLight.GiftStockConsumed);
        Assert.Equal(76500, nightLight.TotalMinor);

        // Still bargaining: the next gift, one at a time (礼品要一点点送).
        var balcony = Say(BargainAsk.AnyBetter());
        Assert.Equal(BargainDecision.Gift, balcony.Decision);
        Assert.Equal(["光控智能感应小夜灯", "阳台灯"], balcony.Gifts.Select(g => g.Name));

        // 买家: 啊? 这么贵啊! 我考虑考虑下 — 765 over 2 years (730 days) is 1.048 a day, rounded up to 1.05.
        var split = Say(BargainAsk.AnyBetter());
        Assert.Equal(BargainDecision.SplitPrice, split.Decision);
        Assert.Equal("当然可以! 不过您算一下, 这些灯保底用2年, 算下来您一天只要花1.05元就能让自己家明亮美丽起来, 多值啊!", Text(split));

        // Past the policy's 6 rounds: hold, politely, and keep holding.
        var hold = Say(BargainAsk.Target(70000));
        Assert.Equal(BargainDecision.Hold, hold.Decision);
        Assert.Equal(76500, hold.TotalMinor);
        Assert.DoesNotContain("不还价", Text(hold));
        Assert.Equal(BargainDecision.Hold, Say(BargainAsk.AnyBetter()).Decision);

        // 买家: 你说的也是, 好吧我咬牙一起买吧! — the held price is accepted, gifts kept.
        var accept = Say(BargainAsk.Target(76500));
        Assert.Equal(BargainDecision.Accept, accept.Decision);
        Assert.Equal("好的亲, 全套765元, 给您备注好了哦", Text(accept));
        Assert.Equal(2, accept.Gifts.Count);
    }

    [Fact]
    public void Asking_the_total_quotes_785_free_shipping_and_the_coupon_nudge_below_the_threshold()
    {
        // 买家: 你推荐的这几款灯一共多少钱呀?  客服: 帮亲看了一下, 全套一共是785元包邮哦!
        var quote = Quoter.Quote(Policy, PolicyFixtures.LampShop, PolicyFixtures.LampCart785, "");
        Assert.Equal(78500, quote.ListTotalMinor);
        Assert.Equal(76500, quote.PayableTotalMinor);
        Assert.Equal("店铺优惠券", Assert.Single(quote.Applied).Name);
        Assert.Null(quote.NextCoupon);
        Assert.Equal(0, quote.ToNextCouponMinor);
        Assert.Equal(105, quote.PerDayMinor);
        Assert.Equal("帮亲看了一下, 全套一共是785元包邮哦!", Assert.Single(quote.Messages).Text);
        Assert.Equal("quote/1", quote.Messages[0].VariantId);

        var small = new CartView([new CartLineView("XD-01", "床头小台灯", 28500, 1, "卧室")]);
        var nudge = Quoter.Quote(Policy, PolicyFixtures.LampShop, small, "");
        Assert.Empty(nudge.Applied);
        Assert.Equal(28500, nudge.PayableTotalMinor);
        Assert.Equal(1500, nudge.ToNextCouponMinor);
        Assert.Equal("帮亲看了一下, 全套一共是285元包邮哦! 再买15元就可以用满300减20的券", nudge.Messages[0].Text);
    }

    [Fact]
    public void Free_shipping_is_granted_at_the_current_total_because_the_lamp_shop_always_ships_free()
    {
        var outcome = Negotiator.Decide(Policy, PolicyFixtures.LampShop, PolicyFixtures.LampCart785, BargainAsk.FreeShipping(), BargainingState.Initial, "");
        Assert.Equal(BargainDecision.Accept, outcome.Decision);
        Assert.Equal(Negotiator.FreeShippingStep, outcome.Step);
        Assert.Equal("亲, 我们全场都是包邮的哦, 全套765元包邮", Text(outcome));
        Assert.Equal(0, outcome.State.StepIndex);
    }

    [Fact]
    public void A_small_cart_skips_the_balcony_lamp_and_the_gifts_never_cross_the_floor()
    {
        // 320 yuan: payable 300, floor 85% = 272; the night light fits (287 ≤ 300), the balcony lamp needs a 500 cart.
        var cart = new CartView([new CartLineView("NB-201", "北欧简约卧室吸顶灯", 32000, 1, "卧室")]);
        var state = BargainingState.Initial;
        var decisions = new List<BargainDecision>();
        for (var i = 0; i < 6; i++)
        {
            var outcome = Negotiator.Decide(Policy, PolicyFixtures.LampShop, cart, BargainAsk.AnyBetter(), state, "");
            decisions.Add(outcome.Decision);
            state = outcome.State;
        }

        Assert.Equal(
            [BargainDecision.ExplainValue, BargainDecision.ExplainValue, BargainDecision.Coupon, BargainDecision.Gift, BargainDecision.SplitPrice, BargainDecision.Hold],
            decisions);
        Assert.Equal(["光控智能感应小夜灯"], state.GiftsGranted);
    }

    [Fact]
    public void The_balcony_lamp_is_skipped_when_todays_stock_is_gone()
    {
        var state = BargainingState.Initial with { StepIndex = 3 };
        var stock = new Dictionary<string, int>(StringComparer.Ordinal) { ["阳台灯"] = 0 };
        var first = Negotiator.Decide(Policy, PolicyFixtures.LampShop, PolicyFixtures.LampCart785, BargainAsk.AnyBetter(), state, "", stock);
        var second = Negotiator.Decide(Policy, PolicyFixtures.LampShop, PolicyFixtures.LampCart785, BargainAsk.AnyBetter(), first.State, "", stock);
        Assert.Equal(BargainDecision.Gift, first.Decision);
        Assert.Equal(BargainDecision.SplitPrice, second.Decision);
        Assert.Single(second.Gifts);
    }

    private static string Text(NegotiationOutcome outcome) => Assert.Single(outcome.Messages).Text;
}
