using System.Globalization;
using System.Text.RegularExpressions;
using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>
/// The invariants of the issue ("Bargaining policies", item 6), checked over random policies, carts,
/// tiers, gift stock and ask sequences drawn from a seeded <see cref="Random"/>: a failure names its
/// seed and negotiation so it replays exactly. Four seeds × 25,000 negotiations on one cart each
/// plus two seeds × 10,000 with changing carts and tiers = 120,000 negotiations of 1–12 asks.
/// </summary>
public sealed partial class NegotiationPropertyTests
{
    private const int NegotiationsPerSeed = 25_000;

    private static readonly string[] Skus = ["SKU-0", "SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5"];
    private static readonly string[] Categories = ["客厅", "卧室", "清仓"];
    private static readonly string[] Tiers = ["", "returning", "vip"];
    private static readonly decimal[] Betas = [0.2m, 0.5m, 1m, 2m, 3.7m, 0.37m];

    [Theory]
    [InlineData(20261122)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(977)]
    public void Invariants_hold_over_random_negotiations(int seed)
    {
        var random = new Random(seed);
        var policies = new List<PolicyDefinition> { PolicyFixtures.Lamp, PolicyFixtures.Apparel };
        for (var i = 0; i < 40; i++)
        {
            policies.Add(RandomPolicy(random, i));
        }

        var decisions = 0;
        var seen = new Dictionary<BargainDecision, int>();
        for (var n = 0; n < NegotiationsPerSeed; n++)
        {
            var policy = policies[random.Next(policies.Count)];
            var shop = policy == PolicyFixtures.Lamp ? PolicyFixtures.LampShop : PolicyFixtures.ApparelShop;
            var cart = RandomCart(random);
            var tier = Tiers[random.Next(Tiers.Length)];
            var stock = RandomStock(random, policy);
            var asks = random.Next(1, 13);
            try
            {
                decisions += Negotiate(random, policy, shop, cart, tier, stock, asks, seen);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"seed {seed}, negotiation {n}, policy {policy.Name}: {e.Message}", e);
            }
            catch (Xunit.Sdk.XunitException e)
            {
                throw new InvalidOperationException($"seed {seed}, negotiation {n}, policy {policy.Name}: {e.Message}", e);
            }
        }

        // Not vacuous: every decision kind is exercised many times.
        Assert.True(decisions >= NegotiationsPerSeed);
        foreach (var decision in Enum.GetValues<BargainDecision>())
        {
            Assert.True(seen.GetValueOrDefault(decision) >= 500, $"{decision} seen {seen.GetValueOrDefault(decision)} times");
        }
    }

    /// <summary>
    /// Carts and tiers that change between asks (a buyer adding or removing items, a client that
    /// learns the tier late): the floor of the cart at hand still holds with the gifts still held,
    /// and no gift is ever granted twice, even after a smaller cart withdrew it.
    /// </summary>
    [Theory]
    [InlineData(7)]
    [InlineData(2026)]
    public void Floor_and_gift_invariants_hold_when_the_cart_or_tier_changes(int seed)
    {
        var random = new Random(seed);
        var policies = new List<PolicyDefinition> { PolicyFixtures.Lamp, PolicyFixtures.Apparel };
        for (var i = 0; i < 20; i++)
        {
            policies.Add(RandomPolicy(random, i));
        }

        for (var n = 0; n < 10_000; n++)
        {
            var policy = policies[random.Next(policies.Count)];
            var shop = policy == PolicyFixtures.Lamp ? PolicyFixtures.LampShop : PolicyFixtures.ApparelShop;
            var state = BargainingState.Initial;
            var everGranted = new HashSet<string>(StringComparer.Ordinal);
            var cart = RandomCart(random);
            var tier = Tiers[random.Next(Tiers.Length)];
            for (var i = random.Next(1, 13); i > 0; i--)
            {
                if (random.Next(3) == 0)
                {
                    cart = RandomCart(random);
                }

                if (random.Next(5) == 0)
                {
                    tier = Tiers[random.Next(Tiers.Length)];
                }

                var outcome = Negotiator.Decide(policy, shop, cart, RandomAsk(random, cart.TotalMinor), state, tier);
                var payable = cart.TotalMinor - BestCoupon(policy, cart.TotalMinor);
                var floor = Math.Min(IndependentFloor(policy, cart, tier), payable);
                var giftsCost = outcome.Gifts.Sum(g => g.CostMinor);
                Assert.True(outcome.TotalMinor - giftsCost >= floor, $"seed {seed} negotiation {n}: total {outcome.TotalMinor} − gifts {giftsCost} below floor {floor}");
                Assert.True(outcome.TotalMinor <= payable);
                if (outcome.GiftStockConsumed is { } gift)
                {
                    Assert.True(everGranted.Add(gift.Name), $"seed {seed} negotiation {n}: gift {gift.Name} granted twice");
                }

                var ladder = outcome.Gifts.Select(g => IndexOf(policy, g.Name)).ToList();
                Assert.Equal(ladder.Order(), ladder);
                state = outcome.State;
            }
        }
    }

    private static int Negotiate(
        Random random,
        PolicyDefinition policy,
        ShopDefinition shop,
        CartView cart,
        string tier,
        Dictionary<string, int> stock,
        int asks,
        Dictionary<BargainDecision, int> seen)
    {
        var list = cart.TotalMinor;
        var payable = list - BestCoupon(policy, list);
        var floor = Math.Min(IndependentFloor(policy, cart, tier), payable);
        var state = BargainingState.Initial;
        var previousTotal = payable;
        long? lastCounter = null;
        var heldAt = (long?)null;
        var granted = new List<GrantedGift>();
        var maxLadderIndex = -1;

        for (var i = 0; i < asks; i++)
        {
            var ask = RandomAsk(random, list);
            var outcome = Negotiator.Decide(policy, shop, cart, ask, state, tier, stock);
            seen[outcome.Decision] = seen.GetValueOrDefault(outcome.Decision) + 1;

            // A repeated identical request in the same state yields the same decision.
            var again = Negotiator.Decide(policy, shop, cart, ask, state, tier, stock);
            AssertSameOutcome(outcome, again);

            Assert.Equal(i + 1, outcome.Round);
            Assert.Equal(outcome.Round, outcome.State.Round);

            // The offered total never goes below the floor, gifts' cost included, nor above the payable total.
            var giftsCost = outcome.Gifts.Sum(g => g.CostMinor);
            Assert.True(outcome.TotalMinor - giftsCost >= floor, $"total {outcome.TotalMinor} − gifts {giftsCost} below floor {floor}");
            Assert.True(outcome.TotalMinor <= payable, $"total {outcome.TotalMinor} above payable {payable}");

            // Offers only go down on one cart; a counter never goes up after going down.
            Assert.True(outcome.TotalMinor <= previousTotal, $"total went up from {previousTotal} to {outcome.TotalMinor}");
            if (outcome.Decision == BargainDecision.Counter)
            {
                Assert.True(outcome.TotalMinor < previousTotal, "a counter-offer must improve on the previous offer");
                Assert.True(lastCounter is null || outcome.TotalMinor < lastCounter);
                lastCounter = outcome.TotalMinor;
            }
            else if (outcome.Decision != BargainDecision.Accept)
            {
                Assert.Equal(previousTotal, outcome.TotalMinor);
            }

            if (outcome.Decision == BargainDecision.Accept && ask.Kind == AskKind.TargetTotal)
            {
                Assert.Equal(Math.Min(ask.TargetTotalMinor, previousTotal), outcome.TotalMinor);
            }

            // Gifts: one per round, in ladder order, never twice, only when in stock.
            var newGifts = outcome.Gifts.Skip(granted.Count).ToList();
            Assert.Equal(granted, outcome.Gifts.Take(granted.Count));
            if (outcome.Decision == BargainDecision.Gift)
            {
                var gift = Assert.Single(newGifts);
                var index = IndexOf(policy, gift.Name);
                Assert.True(index > maxLadderIndex, $"gift {gift.Name} out of ladder order");
                maxLadderIndex = index;
                Assert.Equal(gift, outcome.GiftStockConsumed);
                Assert.True(!stock.TryGetValue(gift.Name, out var left) || left > 0, $"gift {gift.Name} granted out of stock");
                Assert.True(policy.Gifts[index].DailyLimit is not 0 || stock.ContainsKey(gift.Name));
                stock[gift.Name] = (stock.TryGetValue(gift.Name, out var before) ? before : policy.Gifts[index].DailyLimit ?? 1_000_000) - 1;
            }
            else
            {
                Assert.Empty(newGifts);
                Assert.Null(outcome.GiftStockConsumed);
            }

            Assert.Equal(outcome.Gifts.Count, outcome.Gifts.Select(g => g.Name).Distinct(StringComparer.Ordinal).Count());
            granted = [.. outcome.Gifts];

            // HOLD is final: afterwards only HOLD, or ACCEPT of the held price.
            if (heldAt is { } held)
            {
                Assert.True(outcome.Decision is BargainDecision.Hold or BargainDecision.Accept, $"{outcome.Decision} after hold");
                Assert.True(outcome.Decision != BargainDecision.Accept || ask.Kind != AskKind.TargetTotal || ask.TargetTotalMinor >= held);
            }

            if (outcome.Decision == BargainDecision.Hold)
            {
                heldAt = outcome.TotalMinor;
            }

            AssertFloorNotRevealed(policy, outcome, floor, list, ask);
            previousTotal = outcome.TotalMinor;
            state = outcome.State;
        }

        return asks;
    }

    /// <summary>Every number in the text is a value the buyer may see; the floor shows only as one of them.</summary>
    private static void AssertFloorNotRevealed(PolicyDefinition policy, NegotiationOutcome outcome, long floor, long list, BargainAsk ask)
    {
        var text = Assert.Single(outcome.Messages).Text;
        var disclosed = new HashSet<string>(StringComparer.Ordinal)
        {
            MoneyText.Format(outcome.TotalMinor),
            MoneyText.Format(list),
            MoneyText.Format(MoneyMath.SplitUp(outcome.TotalMinor, policy.UsePeriodDays)),
            outcome.Round.ToString(CultureInfo.InvariantCulture),
            policy.UsePeriodYears.ToString(CultureInfo.InvariantCulture),
            "0", "20000", "5", "300", "20", "100", "200", "50",
        };
        if (ask.Kind == AskKind.TargetTotal)
        {
            disclosed.Add(MoneyText.Format(ask.TargetTotalMinor));
        }
        else if (ask.Kind == AskKind.DiscountPercent && policy.PercentOff == PercentOffHandling.AsTarget)
        {
            disclosed.Add(MoneyText.Format(list - MoneyMath.ShareDown(list, ask.DiscountPercent * 100)));
        }

        foreach (var coupon in policy.Coupons)
        {
            disclosed.Add(MoneyText.Format(coupon.ThresholdMinor));
            disclosed.Add(MoneyText.Format(coupon.AmountMinor));
            disclosed.Add(MoneyText.Format(coupon.ThresholdMinor - list));
        }

        foreach (Match number in Numbers().Matches(text))
        {
            Assert.True(disclosed.Contains(number.Value), $"'{number.Value}' in \"{text}\" is no value the buyer may see");
        }

        // Stated directly as well: the floor's figure appears only when the offer is the floor or it equals a shown value.
        var floorText = MoneyText.Format(floor);
        if (outcome.TotalMinor != floor && Numbers().Matches(text).Any(m => m.Value == floorText))
        {
            Assert.Contains(floorText, disclosed);
        }
    }

    private static void AssertSameOutcome(NegotiationOutcome a, NegotiationOutcome b)
    {
        Assert.Equal(a.Decision, b.Decision);
        Assert.Equal(a.TotalMinor, b.TotalMinor);
        Assert.Equal(a.Gifts, b.Gifts);
        Assert.Equal(a.Messages, b.Messages);
        Assert.Equal(a.Round, b.Round);
        Assert.Equal(a.Step, b.Step);
        Assert.Equal(a.State, b.State);
        Assert.Equal(a.GiftStockConsumed, b.GiftStockConsumed);
    }

    /// <summary>The floor computed from the rules' wording, without the runtime's code: decimal percentages rounded up per line.</summary>
    private static long IndependentFloor(PolicyDefinition policy, CartView cart, string tier)
    {
        var rules = policy.Floors;
        var percent = rules.Tiers.FirstOrDefault(t => t.Tier == tier)?.BasisPoints ?? rules.PercentOfListBasisPoints;
        long sum = 0;
        foreach (var line in cart.Lines)
        {
            var subtotal = line.UnitPriceMinor * line.Quantity;
            var lineFloor = (long)decimal.Ceiling(subtotal * (decimal)percent / 10000m);
            foreach (var sku in rules.Skus.Where(s => s.Sku == line.Sku))
            {
                lineFloor = Math.Max(lineFloor, sku.UnitMinor * line.Quantity);
            }

            foreach (var category in rules.Categories.Where(c => c.Category == line.Category))
            {
                lineFloor = Math.Max(lineFloor, (long)decimal.Ceiling(subtotal * (decimal)category.BasisPoints / 10000m));
            }

            sum += lineFloor;
        }

        return Math.Max(sum, rules.CartMinor);
    }

    private static long BestCoupon(PolicyDefinition policy, long list) =>
        policy.Coupons.Where(c => c.ThresholdMinor <= list).Select(c => c.AmountMinor).DefaultIfEmpty(0).Max();

    private static int IndexOf(PolicyDefinition policy, string gift)
    {
        for (var i = 0; i < policy.Gifts.Count; i++)
        {
            if (policy.Gifts[i].Name == gift)
            {
                return i;
            }
        }

        return -1;
    }

    private static BargainAsk RandomAsk(Random random, long list) => random.Next(8) switch
    {
        0 or 1 => BargainAsk.AnyBetter(),
        2 => BargainAsk.FreeShipping(),
        3 => BargainAsk.PercentOff(random.Next(1, 100)),
        _ => BargainAsk.Target(Math.Max(1, list - (long)(list * (random.Next(0, 400) / 1000m)))),
    };

    private static CartView RandomCart(Random random)
    {
        var lines = new CartLineView[random.Next(1, 7)];
        for (var i = 0; i < lines.Length; i++)
        {
            var sku = Skus[random.Next(Skus.Length)];
            var price = random.Next(4) == 0 ? random.Next(1, 500) : random.Next(500, 200_000);
            lines[i] = new CartLineView(sku, sku, price, random.Next(1, 6), Categories[random.Next(Categories.Length)]);
        }

        return new CartView(lines);
    }

    private static Dictionary<string, int> RandomStock(Random random, PolicyDefinition policy)
    {
        var stock = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var gift in policy.Gifts)
        {
            if (random.Next(3) == 0)
            {
                stock[gift.Name] = random.Next(0, 3);
            }
        }

        return stock;
    }

    private static PolicyDefinition RandomPolicy(Random random, int number)
    {
        var kinds = new[] { StepKind.ExplainValue, StepKind.Coupon, StepKind.Gift, StepKind.Split, StepKind.Counter };
        var steps = new List<PolicyStep>();
        var count = random.Next(0, 7);
        for (var i = 0; i < count; i++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            steps.Add(new PolicyStep($"s{i}_{kind}", kind, GenericReply($"s{i}"), kind == StepKind.Counter ? Betas[random.Next(Betas.Length)] : 1m));
        }

        steps.Add(new PolicyStep("hold", StepKind.Hold, GenericReply("hold")));

        var coupons = new List<CouponDefinition>();
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            var threshold = random.Next(2, 300_000);
            coupons.Add(new CouponDefinition($"c{i}", threshold, random.Next(1, Math.Min(threshold, 50_000))));
        }

        var gifts = new List<GiftDefinition>();
        for (var i = random.Next(0, 5); i > 0; i--)
        {
            Condition? when = random.Next(4) == 0 ? s => s.Cart.Count % 2 == 0 : null;
            gifts.Add(new GiftDefinition(
                $"礼品{(char)('A' + i)}",
                random.Next(0, 5_000),
                random.Next(3) == 0 ? random.Next(0, 200_000) : 0,
                when,
                random.Next(3) == 0 ? random.Next(0, 3) : null));
        }

        var floors = new FloorRules(
            random.Next(4) == 0 ? random.Next(0, 10_001) : random.Next(6_000, 9_800),
            random.Next(4) == 0 ? random.Next(0, 100_000) : 0,
            [.. Skus.Where(_ => random.Next(4) == 0).Select(s => new SkuFloor(s, random.Next(0, 150_000)))],
            [.. Categories.Where(_ => random.Next(4) == 0).Select(c => new CategoryFloor(c, random.Next(5_000, 10_001)))],
            [.. Tiers.Skip(1).Where(_ => random.Next(2) == 0).Select(t => new TierFloor(t, random.Next(5_000, 10_001)))]);

        return new PolicyDefinition(
            name: $"random{number}",
            shopId: "apparel_shop",
            usePeriodDays: random.Next(1, 1_000),
            floors: floors,
            coupons: coupons,
            gifts: gifts,
            steps: steps,
            maxRounds: random.Next(1, 11),
            accept: GenericReply("accept"),
            freeShipping: random.Next(2) == 0 ? FreeShippingHandling.Grant : FreeShippingHandling.AsAnyBetter,
            freeShippingReply: GenericReply("free"),
            percentOff: random.Next(2) == 0 ? PercentOffHandling.AsTarget : PercentOffHandling.AsAnyBetter);
    }

    /// <summary>A reply naming every money value a policy reply may show, so the disclosure check sees them all.</summary>
    private static ReplyDefinition GenericReply(string id) => new([
        new ReplyVariant(id + "/1", new Template("{{ total }} {{ list_total }} {{ per_day }} {{ ask }} {{ round }} {{ gift.name }} {{ coupon.threshold }}",
            (ref TemplateWriter w, ScriptScope s) =>
            {
                var p = s.Policy!;
                w.Append("亲 ");
                w.AppendMoney(p.TotalMinor);
                w.Append(" 原价 ");
                w.AppendMoney(p.ListTotalMinor);
                w.Append(" 每天 ");
                w.AppendMoney(p.PerDayMinor);
                if (p.AskMinor > 0)
                {
                    w.Append(" 您说 ");
                    w.AppendMoney(p.AskMinor);
                }

                w.Append(" 第");
                w.AppendInt(p.Round);
                w.Append("轮 ");
                w.Append(p.GiftName);
                if (p.CouponName.Length > 0)
                {
                    w.Append(" 满");
                    w.AppendMoney(p.CouponThresholdMinor);
                    w.Append("减");
                    w.AppendMoney(p.CouponAmountMinor);
                    w.Append(" 差");
                    w.AppendMoney(p.ToNextCouponMinor);
                }
            }),
            0),
        new ReplyVariant(id + "/2", new Template("{{ total }}", (ref TemplateWriter w, ScriptScope s) => w.AppendMoney(s.Policy!.TotalMinor)), 0),
    ]);

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Numbers();
}
