using ScriptDsl.Model;

namespace ScriptDsl.Bargaining;

/// <summary>
/// A compiled bargaining policy (<c>policy NAME for SHOP { ... }</c>): the shop's rule for 议价 instead
/// of each agent's mood. Generated code builds one instance per policy as static data; the
/// constructor only validates (a generator bug or a hand-built policy that breaks a rule fails at
/// start-up, not in the middle of a chat). See docs/design/policy-spec.md.
/// </summary>
public sealed class PolicyDefinition
{
    /// <summary>Days per year for <c>use_period N years</c>: 365 (no leap days), so "2 years" is 730 days.</summary>
    public const int DaysPerYear = 365;

    public PolicyDefinition(
        string name,
        string shopId,
        int usePeriodDays,
        FloorRules floors,
        IReadOnlyList<CouponDefinition> coupons,
        IReadOnlyList<GiftDefinition> gifts,
        IReadOnlyList<PolicyStep> steps,
        int maxRounds,
        ReplyDefinition accept,
        FreeShippingHandling freeShipping = FreeShippingHandling.AsAnyBetter,
        ReplyDefinition? freeShippingReply = null,
        PercentOffHandling percentOff = PercentOffHandling.AsTarget,
        ReplyDefinition? quote = null,
        int sourceLine = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(shopId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(usePeriodDays);
        ArgumentNullException.ThrowIfNull(floors);
        ArgumentNullException.ThrowIfNull(coupons);
        ArgumentNullException.ThrowIfNull(gifts);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRounds);
        ArgumentNullException.ThrowIfNull(accept);
        RequireReply(accept, "accept");

        floors.Validate();
        foreach (var coupon in coupons)
        {
            coupon.Validate();
        }

        var giftNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var gift in gifts)
        {
            gift.Validate();
            if (!giftNames.Add(gift.Name))
            {
                throw new ArgumentException($"Gift '{gift.Name}' appears twice in the ladder of policy '{name}'.", nameof(gifts));
            }
        }

        var stepNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            step.Validate();
            if (!stepNames.Add(step.Name))
            {
                throw new ArgumentException($"Step '{step.Name}' appears twice in policy '{name}'.", nameof(steps));
            }

            if (step.Kind == StepKind.Hold && i != steps.Count - 1)
            {
                throw new ArgumentException($"The hold step '{step.Name}' of policy '{name}' must be the last step.", nameof(steps));
            }
        }

        if (steps.Count == 0 || steps[^1].Kind != StepKind.Hold)
        {
            throw new ArgumentException($"Policy '{name}' must end with a hold step.", nameof(steps));
        }

        if (freeShipping == FreeShippingHandling.Grant)
        {
            ArgumentNullException.ThrowIfNull(freeShippingReply);
            RequireReply(freeShippingReply, "free_shipping");
        }

        if (quote is not null)
        {
            RequireReply(quote, "quote");
        }

        Name = name;
        ShopId = shopId;
        UsePeriodDays = usePeriodDays;
        Floors = floors;
        Coupons = coupons;
        Gifts = gifts;
        Steps = steps;
        MaxRounds = maxRounds;
        Accept = accept;
        FreeShipping = freeShipping;
        FreeShippingReply = freeShippingReply;
        PercentOff = percentOff;
        Quote = quote;
        SourceLine = sourceLine;
    }

    public string Name { get; }

    public string ShopId { get; }

    /// <summary>How long the goods are used, for splitting the price ("about 1 yuan a day").</summary>
    public int UsePeriodDays { get; }

    /// <summary>Whole years of the use period (<see cref="UsePeriodDays"/> / 365, rounded down), for replies.</summary>
    public int UsePeriodYears => UsePeriodDays / DaysPerYear;

    public FloorRules Floors { get; }

    /// <summary>The shop's coupons. One coupon per order: the largest that the list total reaches.</summary>
    public IReadOnlyList<CouponDefinition> Coupons { get; }

    /// <summary>The gift ladder, in the order gifts are granted (one per round, never twice).</summary>
    public IReadOnlyList<GiftDefinition> Gifts { get; }

    /// <summary>The ordered steps; the last is the hold step.</summary>
    public IReadOnlyList<PolicyStep> Steps { get; }

    /// <summary>Rounds answered by steps; the ask after the last round is held. Also the concession curve's deadline T.</summary>
    public int MaxRounds { get; }

    /// <summary>Sent when an ask is accepted.</summary>
    public ReplyDefinition Accept { get; }

    public FreeShippingHandling FreeShipping { get; }

    /// <summary>Sent when a free-shipping ask is granted (required with <see cref="FreeShippingHandling.Grant"/>).</summary>
    public ReplyDefinition? FreeShippingReply { get; }

    public PercentOffHandling PercentOff { get; }

    /// <summary>The quote's sentence (total, next coupon, per-day split); none when null.</summary>
    public ReplyDefinition? Quote { get; }

    public PolicyStep Hold => Steps[^1];

    public int SourceLine { get; }

    internal static void RequireReply(ReplyDefinition reply, string what)
    {
        if (reply.Variants.Count == 0)
        {
            throw new ArgumentException($"The {what} reply needs at least one variant.", nameof(reply));
        }
    }
}

/// <summary>
/// The least the shop takes for a cart. Each cart line has a floor: the largest of the percentage
/// of list (the tier's percentage when the buyer's tier has one), the line's sku floor per unit
/// times its quantity, and its category's percentage; the cart's floor is the sum of its lines'
/// floors, and never less than <see cref="CartMinor"/>. Percentages round up to the fen per line.
/// </summary>
/// <param name="PercentOfListBasisPoints">9000 = "floor 90% of list"; 0 for none.</param>
/// <param name="CartMinor">An absolute floor for the whole cart; 0 for none.</param>
/// <param name="Skus">Per-unit floors of single skus.</param>
/// <param name="Categories">Per-category floors, as a percentage of the category's lines (a category holds items of many prices, so a per-unit amount would mean nothing).</param>
/// <param name="Tiers">Per-tier percentages that replace <paramref name="PercentOfListBasisPoints"/> for buyers of that tier (returning buyers may go lower).</param>
public sealed record FloorRules(
    int PercentOfListBasisPoints,
    long CartMinor,
    IReadOnlyList<SkuFloor> Skus,
    IReadOnlyList<CategoryFloor> Categories,
    IReadOnlyList<TierFloor> Tiers)
{
    public static FloorRules PercentOfList(int basisPoints) => new(basisPoints, 0, [], [], []);

    internal void Validate()
    {
        RequireBasisPoints(PercentOfListBasisPoints, "floor % of list");
        ArgumentOutOfRangeException.ThrowIfNegative(CartMinor);
        ArgumentNullException.ThrowIfNull(Skus);
        ArgumentNullException.ThrowIfNull(Categories);
        ArgumentNullException.ThrowIfNull(Tiers);
        foreach (var sku in Skus)
        {
            ArgumentNullException.ThrowIfNull(sku.Sku);
            ArgumentOutOfRangeException.ThrowIfNegative(sku.UnitMinor);
        }

        foreach (var category in Categories)
        {
            ArgumentNullException.ThrowIfNull(category.Category);
            RequireBasisPoints(category.BasisPoints, "floor category");
        }

        foreach (var tier in Tiers)
        {
            ArgumentNullException.ThrowIfNull(tier.Tier);
            RequireBasisPoints(tier.BasisPoints, "floor tier");
        }
    }

    private static void RequireBasisPoints(int basisPoints, string what)
    {
        if (basisPoints is < 0 or > MoneyMath.BasisPointsPerWhole)
        {
            throw new ArgumentOutOfRangeException(nameof(basisPoints), basisPoints, $"{what}: a percentage must lie in 0%..100%.");
        }
    }
}

/// <summary><c>floor sku "KT-880" 599.00</c>: each unit of that sku counts at least this much.</summary>
public sealed record SkuFloor(string Sku, long UnitMinor);

/// <summary><c>floor category 客厅 85%</c>: that category's lines at least this share of their list price.</summary>
public sealed record CategoryFloor(string Category, int BasisPoints);

/// <summary><c>floor tier returning 85%</c>: buyers of this tier get this percentage of list instead of the general one.</summary>
public sealed record TierFloor(string Tier, int BasisPoints);

/// <summary><c>coupon "店铺优惠券" spend 300.00 off 20.00</c>: a public offer, applied once the list total reaches the threshold.</summary>
/// <param name="Reply">Said by the coupon step when this coupon is the one it talks about; the step's own reply otherwise.</param>
public sealed record CouponDefinition(string Name, long ThresholdMinor, long AmountMinor, ReplyDefinition? Reply = null, int SourceLine = 0)
{
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(AmountMinor);
        if (AmountMinor >= ThresholdMinor)
        {
            throw new ArgumentException($"Coupon '{Name}' takes off {AmountMinor} of a threshold of {ThresholdMinor}: it must take off less than it asks to spend.");
        }

        if (Reply is not null)
        {
            PolicyDefinition.RequireReply(Reply, "coupon");
        }
    }
}

/// <summary>
/// A rung of the gift ladder: <c>gift "阳台灯" cost 39.00 when cart.total >= 500.00 limit 20 per day</c>.
/// The cost counts against the floor.
/// </summary>
/// <param name="MinCartTotalMinor">The simple condition: the cart's list total must reach this (0: always).</param>
/// <param name="When">Any other condition, compiled from the script; null: none.</param>
/// <param name="DailyLimit">How many the shop gives away per day; null: unlimited.</param>
public sealed record GiftDefinition(
    string Name,
    long CostMinor,
    long MinCartTotalMinor = 0,
    Condition? When = null,
    int? DailyLimit = null,
    int SourceLine = 0)
{
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Name);
        ArgumentOutOfRangeException.ThrowIfNegative(CostMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(MinCartTotalMinor);
        if (DailyLimit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(limit);
        }
    }
}

public enum StepKind
{
    /// <summary>No concession: say what the goods are worth (once).</summary>
    ExplainValue,

    /// <summary>No concession: coupons are the offer, prices are set by the company (once).</summary>
    Coupon,

    /// <summary>The next gift of the ladder, one per round, until none is left that fits.</summary>
    Gift,

    /// <summary>No concession: the price split over the use period (once).</summary>
    Split,

    /// <summary>Counter-offers along the concession curve, one per round, until the reservation value.</summary>
    Counter,

    /// <summary>Final: politely hold the price.</summary>
    Hold,
}

/// <summary>One step of the policy: <c>step NAME KIND reply "..." | "..."</c>.</summary>
/// <param name="Beta">The concession shape β of a counter step (β &lt; 1 Boulware, 1 linear, β &gt; 1 Conceder); 1 for other kinds.</param>
public sealed record PolicyStep(string Name, StepKind Kind, ReplyDefinition Reply, decimal Beta = 1m, int SourceLine = 0)
{
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Name);
        ArgumentNullException.ThrowIfNull(Reply);
        PolicyDefinition.RequireReply(Reply, "step " + Name);
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown step kind.");
        }

        ConcessionCurve.RequireBeta(Beta);
    }
}

/// <summary>What a "包个邮吗?" ask does.</summary>
public enum FreeShippingHandling
{
    /// <summary>A request for any concession: the next step answers it.</summary>
    AsAnyBetter,

    /// <summary>The shop ships free anyway: accepted at the current total with the free-shipping reply.</summary>
    Grant,
}

/// <summary>What an "打八折" ask does.</summary>
public enum PercentOffHandling
{
    /// <summary>Converted to a target total (list total less the percentage, the discount rounded down) and judged like one.</summary>
    AsTarget,

    /// <summary>Never accepted as such: the next step answers it, like "any better".</summary>
    AsAnyBetter,
}
