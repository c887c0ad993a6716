using ScriptDsl.Bargaining;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>
/// The apparel seed (001): 砍价是买家的天性 — concede a little within what both can accept (a
/// Boulware counter-offer), gifts a little at a time, and refuse kindly ("真的很抱歉, 没能让您满意,
/// 我会争取努力改进"), never "我这里不还价".
/// </summary>
public sealed class ApparelBargainingDialogueTests
{
    private static readonly PolicyDefinition Policy = PolicyFixtures.Apparel;

    /// <summary>Two 199 dresses: list 398, 满200减50 applies → 348 payable; floor 80% of list = 318.40.</summary>
    private static CartView TwoDresses => new([new CartLineView("DR-1", "碎花连衣裙", 19900, 2, "连衣裙")]);

    [Fact]
    public void Value_coupon_gift_then_Boulware_counters_down_to_the_floor_then_hold()
    {
        // list 398, 满200减50 → payable 348; floor 80% of 398 = 318.40; gifts: socks 3 (cart ≥ 0), scrunchie 2 (cart ≥ 150).
        var cart = TwoDresses;
        var state = BargainingState.Initial;
        NegotiationOutcome Say(BargainAsk ask)
        {
            var outcome = Negotiator.Decide(Policy, PolicyFixtures.ApparelShop, cart, ask, state, "");
            state = outcome.State;
            return outcome;
        }

        var value = Say(BargainAsk.AnyBetter());                 // 能便宜点吗?
        Assert.Equal(BargainDecision.ExplainValue, value.Decision);
        Assert.Contains("货比三家", Text(value));

        var coupon = Say(BargainAsk.PercentOff(20));             // 打个八折吧 (318.40 < 348)
        Assert.Equal(BargainDecision.Coupon, coupon.Decision);
        Assert.Equal("亲, 店里现在是满200减50的活动, 价格都是公司定的呢", Text(coupon));

        var socks = Say(BargainAsk.AnyBetter());                 // 送点什么吧
        Assert.Equal(BargainDecision.Gift, socks.Decision);
        Assert.Equal("亲, 价格是公司定的, 我帮您申请送一个棉袜一双吧", Text(socks));
        var scrunchie = Say(BargainAsk.AnyBetter());
        Assert.Equal("发圈", scrunchie.Gifts[^1].Name);

        // Round 5 of 6, β = 0.5: concede (5/6)² = 25/36 of the room 348 − (318.40 + 5) = 24.60 → 17.08 (rounded down), offer 330.92.
        var counter = Say(BargainAsk.Target(30000));             // 300行不行?
        Assert.Equal(BargainDecision.Counter, counter.Decision);
        Assert.Equal(33092, counter.TotalMinor);
        Assert.Equal("亲, 我去跟主管申请了一下, 330.92元可以吗?", Text(counter));

        // Round 6 = the deadline: the counter reaches the reservation value, floor plus the gifts' cost.
        var last = Say(BargainAsk.Target(30000));
        Assert.Equal(BargainDecision.Counter, last.Decision);
        Assert.Equal(31840 + 500, last.TotalMinor);

        var hold = Say(BargainAsk.Target(30000));
        Assert.Equal(BargainDecision.Hold, hold.Decision);
        Assert.Equal("真的很抱歉, 没能让您满意, 323.40元已经是最大的优惠了, 我会争取努力改进", Text(hold));
        Assert.DoesNotContain("不还价", Text(hold));
    }

    [Fact]
    public void A_target_at_or_above_this_rounds_counter_is_accepted_as_asked()
    {
        var state = BargainingState.Initial with { Round = 4, StepIndex = 3, OfferedMinor = 34800, CartListTotalMinor = 39800, GiftCursor = 1, GiftsGranted = ["棉袜一双", "发圈"] };
        var accepted = Negotiator.Decide(Policy, PolicyFixtures.ApparelShop, TwoDresses, BargainAsk.Target(33100), state, "");
        Assert.Equal(BargainDecision.Accept, accepted.Decision);
        Assert.Equal(33100, accepted.TotalMinor);
        Assert.Equal(Negotiator.AcceptStep, accepted.Step);
        Assert.Equal("好的亲, 331元给您改价, 拍下后我帮您改哦", Text(accepted));
        Assert.Equal(2, accepted.Gifts.Count);

        var countered = Negotiator.Decide(Policy, PolicyFixtures.ApparelShop, TwoDresses, BargainAsk.Target(33091), state, "");
        Assert.Equal(BargainDecision.Counter, countered.Decision);
        Assert.Equal(33092, countered.TotalMinor);
    }

    [Fact]
    public void Returning_buyers_have_a_lower_floor_and_clearance_lines_none_at_all()
    {
        var state = BargainingState.Initial with { Round = 5, StepIndex = 3, OfferedMinor = 34800, CartListTotalMinor = 39800, GiftCursor = 1, GiftsGranted = [] };
        var newBuyer = Negotiator.Decide(Policy, PolicyFixtures.ApparelShop, TwoDresses, BargainAsk.AnyBetter(), state, "");
        var returning = Negotiator.Decide(Policy, PolicyFixtures.ApparelShop, TwoDresses, BargainAsk.AnyBetter(), state, "returning");
        Assert.Equal(31840, newBuyer.TotalMinor);   // 80% of 398
        Assert.Equal(29850, returning.TotalMinor);  // 75% of 398

        // A clearance (清仓) line has a 100% floor: with the coupon it is already below list, so nothing more is given.
        var clearance = new CartView([new CartLineView("QC-9", "清仓T恤", 12000, 1, "清仓")]);
        var outcome = Negotiator.Decide(Policy, PolicyFixtures.ApparelShop, clearance, BargainAsk.Target(9000), state with { Round = 0, StepIndex = 3 }, "");
        Assert.Equal(BargainDecision.Hold, outcome.Decision);
        Assert.Equal(10000, outcome.TotalMinor); // 120 less 满100减20
    }

    [Fact]
    public void The_absolute_cart_floor_protects_tiny_carts()
    {
        // One 35 yuan item: 80% would be 28, the cart floor 30 holds.
        var cart = new CartView([new CartLineView("SK-1", "袜子三双装", 3500, 1, "袜子")]);
        var state = BargainingState.Initial with { StepIndex = 3 };
        var outcome = Negotiator.Decide(Policy, PolicyFixtures.ApparelShop, cart, BargainAsk.Target(2800), state with { Round = 5 }, "");
        Assert.Equal(BargainDecision.Counter, outcome.Decision);
        Assert.Equal(3000, outcome.TotalMinor);
    }

    private static string Text(NegotiationOutcome outcome) => Assert.Single(outcome.Messages).Text;
}
