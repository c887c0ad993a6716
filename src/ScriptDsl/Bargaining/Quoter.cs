using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Bargaining;

/// <summary>The proto's <c>QuoteResponse</c>.</summary>
/// <param name="Applied">The coupon that applies (one per order), or none.</param>
/// <param name="ToNextCouponMinor">How much more the buyer must add to reach <paramref name="NextCoupon"/>; 0 when none.</param>
/// <param name="PerDayMinor">The payable total split over the use period, rounded up to the fen.</param>
public sealed record QuoteResult(
    long ListTotalMinor,
    long PayableTotalMinor,
    IReadOnlyList<CouponDefinition> Applied,
    CouponDefinition? NextCoupon,
    long ToNextCouponMinor,
    long PerDayMinor,
    IReadOnlyList<PolicyMessage> Messages);

/// <summary>Prices a cart for the buyer: totals, coupons, the next threshold, the price split.</summary>
public static class Quoter
{
    /// <summary>
    /// Pure. The policy's quote reply (if any) is rendered with <c>total</c> = payable,
    /// <c>coupon</c> = the next coupon if there is one, else the applied one. Throws
    /// <see cref="NegotiationInputException"/> for a cart the policy cannot price.
    /// </summary>
    public static QuoteResult Quote(PolicyDefinition policy, ShopDefinition shop, CartView cart, string customerTier)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var priced = CartPricing.Price(policy, cart, customerTier);
        var perDay = MoneyMath.SplitUp(priced.PayableMinor, policy.UsePeriodDays);
        var messages = Array.Empty<PolicyMessage>();
        if (policy.Quote is { } reply)
        {
            var values = Values(policy, priced, perDay);
            var scope = PolicyRendering.Scope(shop, cart, customerTier, values);
            messages = [PolicyRendering.Render(reply, 0, scope)];
        }

        return new QuoteResult(
            priced.ListTotalMinor,
            priced.PayableMinor,
            priced.AppliedCoupon is null ? [] : [priced.AppliedCoupon],
            priced.NextCoupon,
            priced.ToNextCouponMinor,
            perDay,
            messages);
    }

    /// <summary>
    /// The cart's pricing as every reply of the shop reads it (<c>total</c>, <c>list_total</c>,
    /// <c>per_day</c>, <c>to_next_coupon</c>, <c>coupon</c> = the next coupon if there is one, else
    /// the applied one, <c>use_period</c>): the same values the quote reply gets. Throws
    /// <see cref="NegotiationInputException"/> for a cart the policy cannot price.
    /// </summary>
    public static PolicyValues CartValues(PolicyDefinition policy, CartView cart, string customerTier)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var priced = CartPricing.Price(policy, cart, customerTier);
        return Values(policy, priced, MoneyMath.SplitUp(priced.PayableMinor, policy.UsePeriodDays));
    }

    private static PolicyValues Values(PolicyDefinition policy, PricedCart priced, long perDay)
    {
        var focus = priced.NextCoupon ?? priced.AppliedCoupon;
        return new PolicyValues
        {
            TotalMinor = priced.PayableMinor,
            ListTotalMinor = priced.ListTotalMinor,
            PerDayMinor = perDay,
            UsePeriodDays = policy.UsePeriodDays,
            UsePeriodYears = policy.UsePeriodYears,
            CouponName = focus?.Name ?? "",
            CouponThresholdMinor = focus?.ThresholdMinor ?? 0,
            CouponAmountMinor = focus?.AmountMinor ?? 0,
            ToNextCouponMinor = priced.ToNextCouponMinor,
        };
    }
}
