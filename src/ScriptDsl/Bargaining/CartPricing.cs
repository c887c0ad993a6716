using ScriptDsl.Templates;

namespace ScriptDsl.Bargaining;

/// <summary>A cart priced under a policy: list total, floor, the coupon that applies and the next one.</summary>
/// <param name="RawFloorMinor">The floor as the rules compute it (may exceed the list total).</param>
/// <param name="FloorMinor">The floor in force: never above <paramref name="PayableMinor"/> (a cart whose floors add up above its price gets no concession).</param>
/// <param name="PayableMinor">List total less the coupon that applies: where bargaining starts.</param>
public readonly record struct PricedCart(
    long ListTotalMinor,
    long RawFloorMinor,
    long FloorMinor,
    CouponDefinition? AppliedCoupon,
    long PayableMinor,
    CouponDefinition? NextCoupon,
    long ToNextCouponMinor);

/// <summary>Prices a cart under a policy; the same arithmetic serves quotes and negotiations.</summary>
public static class CartPricing
{
    /// <summary>Validates the cart and prices it; <see cref="NegotiationInputException"/> for a cart the policy cannot judge.</summary>
    public static PricedCart Price(PolicyDefinition policy, CartView cart, string customerTier)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (cart is null || cart.Lines.Count == 0)
        {
            throw new NegotiationInputException("The cart is empty: there is no price to bargain over.", nameof(cart));
        }

        ArgumentNullException.ThrowIfNull(customerTier);
        var floors = policy.Floors;
        var percent = floors.PercentOfListBasisPoints;
        foreach (var tier in floors.Tiers)
        {
            if (string.Equals(tier.Tier, customerTier, StringComparison.Ordinal))
            {
                percent = tier.BasisPoints;
                break;
            }
        }

        try
        {
            long list = 0;
            long lineFloors = 0;
            for (var i = 0; i < cart.Lines.Count; i++)
            {
                var line = cart.Lines[i] ?? throw new NegotiationInputException($"Cart line {i} is missing.", nameof(cart));
                if (line.UnitPriceMinor <= 0)
                {
                    throw new NegotiationInputException($"Cart line {i} ({line.Sku}) has a unit price of {line.UnitPriceMinor}; prices must be positive.", nameof(cart));
                }

                if (line.Quantity <= 0)
                {
                    throw new NegotiationInputException($"Cart line {i} ({line.Sku}) has a quantity of {line.Quantity}; quantities must be positive.", nameof(cart));
                }

                var subtotal = MoneyMath.Multiply(line.UnitPriceMinor, line.Quantity);
                list = MoneyMath.Add(list, subtotal);
                lineFloors = MoneyMath.Add(lineFloors, LineFloor(floors, percent, line, subtotal));
            }

            var rawFloor = Math.Max(lineFloors, floors.CartMinor);
            var (applied, next) = Coupons(policy.Coupons, list);
            var payable = list - (applied?.AmountMinor ?? 0);
            var toNext = next is null ? 0 : next.ThresholdMinor - list;
            return new PricedCart(list, rawFloor, Math.Min(rawFloor, payable), applied, payable, next, toNext);
        }
        catch (OverflowException e)
        {
            throw new NegotiationInputException("The cart's totals overflow: " + e.Message, nameof(cart));
        }
    }

    private static long LineFloor(FloorRules floors, int percent, CartLineView line, long subtotal)
    {
        var floor = MoneyMath.ShareUp(subtotal, percent);
        foreach (var sku in floors.Skus)
        {
            if (string.Equals(sku.Sku, line.Sku, StringComparison.Ordinal))
            {
                floor = Math.Max(floor, MoneyMath.Multiply(sku.UnitMinor, line.Quantity));
            }
        }

        foreach (var category in floors.Categories)
        {
            if (string.Equals(category.Category, line.Category, StringComparison.Ordinal))
            {
                floor = Math.Max(floor, MoneyMath.ShareUp(subtotal, category.BasisPoints));
            }
        }

        return floor;
    }

    /// <summary>
    /// One coupon per order: the largest amount whose threshold the list total reaches (ties: the
    /// earlier declared). The next coupon is the lowest threshold not yet reached that would take off
    /// more than the applied one (ties: the larger amount, then the earlier declared).
    /// </summary>
    private static (CouponDefinition? Applied, CouponDefinition? Next) Coupons(IReadOnlyList<CouponDefinition> coupons, long list)
    {
        CouponDefinition? applied = null;
        foreach (var coupon in coupons)
        {
            if (coupon.ThresholdMinor <= list && (applied is null || coupon.AmountMinor > applied.AmountMinor))
            {
                applied = coupon;
            }
        }

        var appliedAmount = applied?.AmountMinor ?? 0;
        CouponDefinition? next = null;
        foreach (var coupon in coupons)
        {
            if (coupon.ThresholdMinor > list
                && coupon.AmountMinor > appliedAmount
                && (next is null
                    || coupon.ThresholdMinor < next.ThresholdMinor
                    || (coupon.ThresholdMinor == next.ThresholdMinor && coupon.AmountMinor > next.AmountMinor)))
            {
                next = coupon;
            }
        }

        return (applied, next);
    }
}
