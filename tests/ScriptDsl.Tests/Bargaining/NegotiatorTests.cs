using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>The decision function's edges: bad input, a changed cart, the final hold, variants, policy validation.</summary>
public sealed class NegotiatorTests
{
    private static readonly ShopDefinition Shop = PolicyFixtures.LampShop;
    private static readonly CartView Cart1000 = new([new CartLineView("A", "A", 100000, 1, "c")]);

    public static TheoryData<string, Func<NegotiationOutcome>> BadRequests => new()
    {
        { "empty", () => Decide(new CartView([]), BargainAsk.AnyBetter()) },
        { "unit price", () => Decide(new CartView([new CartLineView("A", "A", 0, 1, "c")]), BargainAsk.AnyBetter()) },
        { "quantity", () => Decide(new CartView([new CartLineView("A", "A", 100, -2, "c")]), BargainAsk.AnyBetter()) },
        { "target total", () => Decide(Cart1000, BargainAsk.Target(0)) },
        { "target total", () => Decide(Cart1000, BargainAsk.Target(-5)) },
        { "discount", () => Decide(Cart1000, BargainAsk.PercentOff(0)) },
        { "discount", () => Decide(Cart1000, BargainAsk.PercentOff(100)) },
        { "Unknown ask kind", () => Decide(Cart1000, default) },
        { "does not belong", () => Decide(Cart1000, BargainAsk.AnyBetter(), BargainingState.Initial with { StepIndex = 9 }) },
        { "does not belong", () => Decide(Cart1000, BargainAsk.AnyBetter(), BargainingState.Initial with { GiftCursor = 5 }) },
        { "does not belong", () => Decide(Cart1000, BargainAsk.AnyBetter(), BargainingState.Initial with { Round = -1 }) },
        { "run out of rounds", () => Decide(Cart1000, BargainAsk.AnyBetter(), BargainingState.Initial with { Round = int.MaxValue }) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Requests_the_policy_cannot_judge_are_refused_with_a_clear_message(string mentions, Func<NegotiationOutcome> decide)
    {
        var e = Assert.Throws<NegotiationInputException>(() => decide());
        Assert.Contains(mentions, e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Fact]
    public void A_linear_counter_walks_from_list_to_the_floor_by_the_last_round_then_holds()
    {
        var policy = PolicyFixtures.Minimal(FloorRules.PercentOfList(9000));
        var state = BargainingState.Initial;
        var totals = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var outcome = Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.Target(50000), state, "");
            totals.Add(outcome.TotalMinor);
            state = outcome.State;
        }

        Assert.Equal([97500, 95000, 92500, 90000, 90000, 90000], totals);
        Assert.True(state.Held);
    }

    [Fact]
    public void A_counter_round_that_would_concede_less_than_a_fen_ends_the_counter_step()
    {
        // Room 0.30 (floor 99.70% of 100), β 0.5, 4 rounds: round 1 concedes (1/4)² × 30 = 1.875 fen → 1 fen;
        // with β 0.25 it is (1/4)⁴ × 30 = 0.117 fen → nothing, so the policy holds at 100.
        var room = FloorRules.PercentOfList(9970);
        Assert.Equal(BargainDecision.Counter, Negotiator.Decide(PolicyFixtures.Minimal(room, steps: Counter(0.5m)), Shop, Cart100, BargainAsk.AnyBetter(), BargainingState.Initial, "").Decision);
        var held = Negotiator.Decide(PolicyFixtures.Minimal(room, steps: Counter(0.25m)), Shop, Cart100, BargainAsk.AnyBetter(), BargainingState.Initial, "");
        Assert.Equal(BargainDecision.Hold, held.Decision);
        Assert.Equal(10000, held.TotalMinor);
    }

    private static readonly CartView Cart100 = new([new CartLineView("A", "A", 10000, 1, "c")]);

    private static PolicyStep[] Counter(decimal beta) =>
        [new PolicyStep("counter", StepKind.Counter, PolicyFixtures.TotalReply("c"), beta), new PolicyStep("hold", StepKind.Hold, PolicyFixtures.TotalReply("h"))];

    [Fact]
    public void Percent_off_asks_can_be_judged_as_targets_or_never_accepted()
    {
        var asTarget = PolicyFixtures.Minimal(FloorRules.PercentOfList(5000));
        var state = BargainingState.Initial with { Round = 3 };  // round 4 of 4: the counter may reach the floor
        var accepted = Negotiator.Decide(asTarget, Shop, Cart1000, BargainAsk.PercentOff(20), state, "");
        Assert.Equal(BargainDecision.Accept, accepted.Decision);
        Assert.Equal(80000, accepted.TotalMinor);   // 打八折 of 1000 = 800

        var oddCart = new CartView([new CartLineView("A", "A", 999, 1, "c")]);
        var odd = Negotiator.Decide(asTarget, Shop, oddCart, BargainAsk.PercentOff(15), state, "");
        Assert.Equal(850, odd.TotalMinor);          // 15% of 9.99 = 1.4985 off, rounded down to 1.49: 8.50

        var never = new PolicyDefinition(asTarget.Name, asTarget.ShopId, 365, asTarget.Floors, [], [], asTarget.Steps, 4, asTarget.Accept, percentOff: PercentOffHandling.AsAnyBetter);
        var countered = Negotiator.Decide(never, Shop, Cart1000, BargainAsk.PercentOff(20), state, "");
        Assert.Equal(BargainDecision.Counter, countered.Decision);
        Assert.Equal(50000, countered.TotalMinor);
    }

    [Fact]
    public void A_changed_cart_voids_the_previous_offer_and_gifts_that_no_longer_fit()
    {
        var policy = PolicyFixtures.Minimal(
            FloorRules.PercentOfList(9000),
            steps: [new PolicyStep("gifts", StepKind.Gift, PolicyFixtures.TotalReply("g")), new PolicyStep("hold", StepKind.Hold, PolicyFixtures.TotalReply("h"))],
            gifts: [new GiftDefinition("大礼", 8000), new GiftDefinition("小礼", 1000)]);
        var first = Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.AnyBetter(), BargainingState.Initial, "");
        Assert.Equal(["大礼"], first.State.GiftsGranted);

        // The buyer takes out half the cart: 500 − 450 floor leaves room for 50, the 80 gift no longer fits.
        var smaller = new CartView([new CartLineView("A", "A", 50000, 1, "c")]);
        var second = Negotiator.Decide(policy, Shop, smaller, BargainAsk.AnyBetter(), first.State, "");
        Assert.Equal(50000, second.TotalMinor);
        Assert.Equal(["小礼"], second.Gifts.Select(g => g.Name));   // the next rung; 大礼 is never granted again
        Assert.Equal(1, second.State.GiftCursor);
    }

    [Fact]
    public void After_a_hold_only_the_held_price_is_accepted()
    {
        var policy = PolicyFixtures.Minimal(FloorRules.PercentOfList(9000), maxRounds: 1);
        var first = Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.Target(90000), BargainingState.Initial, "");
        Assert.Equal(BargainDecision.Accept, first.Decision);    // round 1 of 1 is the deadline: the floor is on offer
        Assert.Equal(90000, first.TotalMinor);

        var held = Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.Target(89999), first.State, "");
        Assert.Equal(BargainDecision.Hold, held.Decision);
        Assert.Equal(90000, held.TotalMinor);
        var again = Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.Target(90000), held.State, "");
        Assert.Equal(BargainDecision.Accept, again.Decision);
        Assert.Equal(BargainDecision.Hold, Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.AnyBetter(), again.State, "").Decision);
    }

    [Fact]
    public void Reply_variants_rotate_with_the_round()
    {
        var reply = new ReplyDefinition([
            new ReplyVariant("hold/1", new Template("a", (ref TemplateWriter w, ScriptScope s) => w.Append("a")), 1),
            new ReplyVariant("hold/2", new Template("b", (ref TemplateWriter w, ScriptScope s) => w.Append("b")), 2),
        ]);
        var policy = PolicyFixtures.Minimal(FloorRules.PercentOfList(10000), steps: [new PolicyStep("hold", StepKind.Hold, reply)]);
        var state = BargainingState.Initial;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var outcome = Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.AnyBetter(), state, "");
            ids.Add(outcome.Messages[0].VariantId);
            state = outcome.State;
        }

        Assert.Equal(["hold/1", "hold/2", "hold/1"], ids);
    }

    [Fact]
    public void Gift_conditions_read_the_scope()
    {
        var policy = PolicyFixtures.Minimal(
            FloorRules.PercentOfList(5000),
            steps: [new PolicyStep("gifts", StepKind.Gift, PolicyFixtures.TotalReply("g")), new PolicyStep("hold", StepKind.Hold, PolicyFixtures.TotalReply("h"))],
            gifts: [new GiftDefinition("vip礼", 100, When: s => s.Buyer.Tier == "vip")]);
        Assert.Equal(BargainDecision.Hold, Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.AnyBetter(), BargainingState.Initial, "").Decision);
        Assert.Equal(BargainDecision.Gift, Negotiator.Decide(policy, Shop, Cart1000, BargainAsk.AnyBetter(), BargainingState.Initial, "vip").Decision);
    }

    [Fact]
    public void Policies_that_break_the_rules_fail_when_built()
    {
        var hold = new PolicyStep("hold", StepKind.Hold, PolicyFixtures.TotalReply("h"));
        var counter = new PolicyStep("counter", StepKind.Counter, PolicyFixtures.TotalReply("c"));
        var floors = FloorRules.PercentOfList(9000);
        var accept = PolicyFixtures.TotalReply("a");
        PolicyDefinition Build(IReadOnlyList<PolicyStep> steps, int days = 365, int rounds = 3, IReadOnlyList<CouponDefinition>? coupons = null, IReadOnlyList<GiftDefinition>? gifts = null, FloorRules? f = null) =>
            new("p", "s", days, f ?? floors, coupons ?? [], gifts ?? [], steps, rounds, accept);

        Assert.Throws<ArgumentException>(() => Build([counter]));                       // no hold
        Assert.Throws<ArgumentException>(() => Build([hold, counter]));                 // hold not last
        Assert.Throws<ArgumentException>(() => Build([counter, counter, hold]));        // duplicate step
        Assert.Throws<ArgumentOutOfRangeException>(() => Build([hold], days: 0));       // split period of zero
        Assert.Throws<ArgumentOutOfRangeException>(() => Build([hold], rounds: 0));
        Assert.Throws<ArgumentException>(() => Build([hold], coupons: [new CouponDefinition("c", 100, 100)]));
        Assert.Throws<ArgumentException>(() => Build([hold], gifts: [new GiftDefinition("g", 1), new GiftDefinition("g", 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build([hold], f: FloorRules.PercentOfList(10001)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Build([counter with { Beta = 0m }, hold]));
        Assert.Throws<ArgumentException>(() => Build([new PolicyStep("hold", StepKind.Hold, new ReplyDefinition([]))]));
        Assert.Throws<ArgumentNullException>(() => new PolicyDefinition("p", "s", 365, floors, [], [], [hold], 3, accept, FreeShippingHandling.Grant));
        Assert.Equal(2, Build([hold], days: 730).UsePeriodYears);
    }

    [Fact]
    public void The_state_round_trips_through_json_and_the_conversation_continues_the_same()
    {
        var state = BargainingState.Initial;
        for (var i = 0; i < 4; i++)
        {
            state = Negotiator.Decide(PolicyFixtures.Lamp, Shop, PolicyFixtures.LampCart785, BargainAsk.AnyBetter(), state, "").State;
        }

        var json = System.Text.Json.JsonSerializer.Serialize(state);
        var restored = System.Text.Json.JsonSerializer.Deserialize<BargainingState>(json)!;
        Assert.Equal(state, restored);
        Assert.Equal(state.GetHashCode(), restored.GetHashCode());
        Assert.Contains("光控智能感应小夜灯", System.Text.RegularExpressions.Regex.Unescape(json), StringComparison.Ordinal);

        var fromOriginal = Negotiator.Decide(PolicyFixtures.Lamp, Shop, PolicyFixtures.LampCart785, BargainAsk.AnyBetter(), state, "");
        var fromRestored = Negotiator.Decide(PolicyFixtures.Lamp, Shop, PolicyFixtures.LampCart785, BargainAsk.AnyBetter(), restored, "");
        Assert.Equal(fromOriginal.State, fromRestored.State);
        Assert.Equal(fromOriginal.Messages, fromRestored.Messages);
    }

    private static NegotiationOutcome Decide(CartView cart, BargainAsk ask, BargainingState? state = null) =>
        Negotiator.Decide(PolicyFixtures.Lamp, Shop, cart, ask, state ?? BargainingState.Initial, "");
}
