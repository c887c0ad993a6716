using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Bargaining;

/// <summary>
/// The bargaining decision: one buyer ask in, one decision out. Pure and deterministic: no clock, no
/// randomness, no shared state; today's remaining gift stock comes in as an argument and the gift
/// this decision hands out comes back in <see cref="NegotiationOutcome.GiftStockConsumed"/>. The same
/// arguments always give the same outcome, text included. The algorithm is specified in
/// docs/design/policy-spec.md ("Decision algorithm"); in short:
/// <list type="number">
/// <item>Price the cart: list total, floor, the coupon that applies (bargaining starts from the payable total).</item>
/// <item>Plan this round's step: from the state's step on, the first step that still has something to
/// give (a gift that fits, a counter below the current offer, an unused explain/coupon/split); hold once
/// the steps are used up, the rounds exceed the maximum, or the policy has held before.</item>
/// <item>Accept a target (or percent-off converted to a target) that is at least what that step would
/// offer; otherwise answer with the step.</item>
/// </list>
/// </summary>
public static class Negotiator
{
    /// <summary>The step name reported for an accepted ask.</summary>
    public const string AcceptStep = "accept";

    /// <summary>The step name reported for a granted free-shipping ask.</summary>
    public const string FreeShippingStep = "free_shipping";

    /// <summary>
    /// Decides one ask. Throws <see cref="NegotiationInputException"/> (an <see cref="ArgumentException"/>)
    /// for an empty cart, a line without a positive price or quantity, a non-positive target, a
    /// percentage outside 1..99, an unknown ask kind, a state that does not belong to this policy, or
    /// totals that overflow; <see cref="ArgumentNullException"/> for a missing argument.
    /// </summary>
    /// <param name="giftStockToday">Remaining stock per gift name today; a gift not listed has its full daily limit (unlimited if it has none).</param>
    public static NegotiationOutcome Decide(
        PolicyDefinition policy,
        ShopDefinition shop,
        CartView cart,
        BargainAsk ask,
        BargainingState state,
        string customerTier,
        IReadOnlyDictionary<string, int>? giftStockToday = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(customerTier);
        RequireState(policy, state);
        var priced = CartPricing.Price(policy, cart, customerTier);
        var target = Target(policy, ask, priced.ListTotalMinor);
        if (state.Round == int.MaxValue)
        {
            throw new NegotiationInputException("The bargaining state has run out of rounds.", nameof(state));
        }

        var round = state.Round + 1;
        var start = priced.PayableMinor;
        var floor = priced.FloorMinor;
        var sameCart = state.Round > 0 && state.CartListTotalMinor == priced.ListTotalMinor;

        // An offer was for the cart it was made on; another cart starts again from its payable total.
        var offered = sameCart ? Math.Min(state.OfferedMinor, start) : start;
        var conditionScope = PolicyRendering.Scope(shop, cart, customerTier, new PolicyValues
        {
            TotalMinor = offered,
            ListTotalMinor = priced.ListTotalMinor,
            UsePeriodDays = policy.UsePeriodDays,
            UsePeriodYears = policy.UsePeriodYears,
            Round = round,
        });

        // Gifts already granted stay while they fit under the floor (they always do for the same cart
        // and tier); on another cart their conditions are checked again.
        var held = new List<int>(state.GiftsGranted.Count + 1);
        long heldCost = 0;
        foreach (var name in state.GiftsGranted)
        {
            var index = IndexOfGift(policy, name);
            if (index < 0)
            {
                continue;
            }

            var gift = policy.Gifts[index];
            if (floor + heldCost + gift.CostMinor <= offered
                && (sameCart || ConditionHolds(gift, priced.ListTotalMinor, conditionScope)))
            {
                held.Add(index);
                heldCost += gift.CostMinor;
            }
        }

        var reservation = floor + heldCost;
        offered = Math.Max(offered, reservation);

        var plan = state.Held || round > policy.MaxRounds
            ? new Plan(policy.Steps.Count - 1, StepKind.Hold, -1, offered)
            : PlanStep(policy, state, priced, offered, reservation, round, giftStockToday, conditionScope);

        // Accept when the buyer's ask is at least what this round's step would offer anyway.
        if (target is { } asked && asked >= plan.Total)
        {
            var total = Math.Min(asked, offered);
            return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.Accept, AcceptStep, policy.Accept, total, round, target,
                state with { Round = round, OfferedMinor = total, CartListTotalMinor = priced.ListTotalMinor, GiftsGranted = Names(policy, held) },
                held, granted: -1);
        }

        if (ask.Kind == AskKind.FreeShipping && policy.FreeShipping == FreeShippingHandling.Grant)
        {
            return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.Accept, FreeShippingStep, policy.FreeShippingReply!, offered, round, target,
                state with { Round = round, OfferedMinor = offered, CartListTotalMinor = priced.ListTotalMinor, GiftsGranted = Names(policy, held) },
                held, granted: -1);
        }

        var step = policy.Steps[plan.StepIndex];
        var next = state with
        {
            Round = round,
            OfferedMinor = plan.Total,
            CartListTotalMinor = priced.ListTotalMinor,
            GiftsGranted = Names(policy, held),
        };
        switch (plan.Kind)
        {
            case StepKind.ExplainValue:
                return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.ExplainValue, step.Name, step.Reply, offered, round, target,
                    next with { StepIndex = plan.StepIndex + 1 }, held, granted: -1);
            case StepKind.Coupon:
                var focus = priced.NextCoupon ?? priced.AppliedCoupon;
                return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.Coupon, step.Name, focus?.Reply ?? step.Reply, offered, round, target,
                    next with { StepIndex = plan.StepIndex + 1 }, held, granted: -1);
            case StepKind.Split:
                return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.SplitPrice, step.Name, step.Reply, offered, round, target,
                    next with { StepIndex = plan.StepIndex + 1 }, held, granted: -1);
            case StepKind.Gift:
                held.Add(plan.Gift);
                return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.Gift, step.Name, step.Reply, offered, round, target,
                    next with { StepIndex = plan.StepIndex, GiftCursor = plan.Gift, GiftsGranted = Names(policy, held) }, held, granted: plan.Gift);
            case StepKind.Counter:
                return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.Counter, step.Name, step.Reply, plan.Total, round, target,
                    next with { StepIndex = plan.StepIndex }, held, granted: -1);
            default:
                return Outcome(policy, shop, cart, customerTier, priced, BargainDecision.Hold, step.Name, step.Reply, offered, round, target,
                    next with { StepIndex = plan.StepIndex, Held = true }, held, granted: -1);
        }
    }

    /// <summary>This round's step, chosen without side effects. <see cref="Plan.Total"/> is what it offers.</summary>
    private static Plan PlanStep(
        PolicyDefinition policy,
        BargainingState state,
        PricedCart priced,
        long offered,
        long reservation,
        int round,
        IReadOnlyDictionary<string, int>? giftStockToday,
        ScriptScope conditionScope)
    {
        for (var i = state.StepIndex; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            switch (step.Kind)
            {
                case StepKind.ExplainValue:
                case StepKind.Split:
                    return new Plan(i, step.Kind, -1, offered);
                case StepKind.Coupon:
                    if (policy.Coupons.Count > 0)
                    {
                        return new Plan(i, step.Kind, -1, offered);
                    }

                    break;
                case StepKind.Gift:
                    var gift = NextGift(policy, state.GiftCursor, priced.ListTotalMinor, offered, reservation, giftStockToday, conditionScope);
                    if (gift >= 0)
                    {
                        return new Plan(i, step.Kind, gift, offered);
                    }

                    break;
                case StepKind.Counter:
                    var curve = ConcessionCurve.Offer(priced.PayableMinor, reservation, round, policy.MaxRounds, step.Beta);
                    var counter = Math.Min(offered, curve);
                    if (counter < offered)
                    {
                        return new Plan(i, step.Kind, -1, counter);
                    }

                    break;
                default:
                    return new Plan(i, StepKind.Hold, -1, offered);
            }
        }

        // Unreachable for a validated policy (it ends with a hold step), kept for safety.
        return new Plan(policy.Steps.Count - 1, StepKind.Hold, -1, offered);
    }

    /// <summary>The first gift after the cursor, in ladder order, whose condition holds, that is in stock and fits above the floor.</summary>
    private static int NextGift(
        PolicyDefinition policy,
        int cursor,
        long listTotal,
        long offered,
        long reservation,
        IReadOnlyDictionary<string, int>? giftStockToday,
        ScriptScope conditionScope)
    {
        for (var i = cursor + 1; i < policy.Gifts.Count; i++)
        {
            var gift = policy.Gifts[i];
            if (reservation + gift.CostMinor > offered || !ConditionHolds(gift, listTotal, conditionScope))
            {
                continue;
            }

            var remaining = giftStockToday is not null && giftStockToday.TryGetValue(gift.Name, out var left)
                ? left
                : gift.DailyLimit ?? int.MaxValue;
            if (remaining > 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool ConditionHolds(GiftDefinition gift, long listTotal, ScriptScope scope) =>
        listTotal >= gift.MinCartTotalMinor && (gift.When is null || gift.When(scope));

    private static long? Target(PolicyDefinition policy, BargainAsk ask, long listTotal)
    {
        switch (ask.Kind)
        {
            case AskKind.TargetTotal:
                if (ask.TargetTotalMinor <= 0)
                {
                    throw new NegotiationInputException($"A target total of {ask.TargetTotalMinor} is not a price; it must be positive.", nameof(ask));
                }

                return ask.TargetTotalMinor;
            case AskKind.DiscountPercent:
                if (ask.DiscountPercent is < 1 or > 99)
                {
                    throw new NegotiationInputException($"A discount of {ask.DiscountPercent}% is not an ask; it must lie in 1..99 (打八折 = 20).", nameof(ask));
                }

                // "打八折" is judged as the list total less 20 %, the discount rounded down (in the shop's favour).
                return policy.PercentOff == PercentOffHandling.AsTarget
                    ? listTotal - MoneyMath.ShareDown(listTotal, ask.DiscountPercent * 100)
                    : null;
            case AskKind.FreeShipping:
            case AskKind.AnyBetter:
                return null;
            default:
                throw new NegotiationInputException($"Unknown ask kind {(int)ask.Kind}.", nameof(ask));
        }
    }

    private static void RequireState(PolicyDefinition policy, BargainingState state)
    {
        if (state.Round < 0
            || state.StepIndex < 0
            || state.StepIndex >= policy.Steps.Count
            || state.OfferedMinor < 0
            || state.CartListTotalMinor < 0
            || state.GiftCursor < -1
            || state.GiftCursor >= policy.Gifts.Count
            || state.GiftsGranted is null)
        {
            throw new NegotiationInputException($"The bargaining state {state} does not belong to policy '{policy.Name}'.", nameof(state));
        }
    }

    private static int IndexOfGift(PolicyDefinition policy, string name)
    {
        for (var i = 0; i < policy.Gifts.Count; i++)
        {
            if (string.Equals(policy.Gifts[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static string[] Names(PolicyDefinition policy, List<int> gifts)
    {
        var names = new string[gifts.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = policy.Gifts[gifts[i]].Name;
        }

        return names;
    }

    private static NegotiationOutcome Outcome(
        PolicyDefinition policy,
        ShopDefinition shop,
        CartView cart,
        string customerTier,
        PricedCart priced,
        BargainDecision decision,
        string stepName,
        ReplyDefinition reply,
        long total,
        int round,
        long? target,
        BargainingState next,
        List<int> heldGifts,
        int granted)
    {
        var gifts = new GrantedGift[heldGifts.Count];
        for (var i = 0; i < gifts.Length; i++)
        {
            var gift = policy.Gifts[heldGifts[i]];
            gifts[i] = new GrantedGift(gift.Name, gift.CostMinor);
        }

        var spoken = granted >= 0 ? policy.Gifts[granted] : heldGifts.Count > 0 ? policy.Gifts[heldGifts[^1]] : null;
        var coupon = priced.NextCoupon ?? priced.AppliedCoupon;
        var values = new PolicyValues
        {
            TotalMinor = total,
            ListTotalMinor = priced.ListTotalMinor,
            PerDayMinor = MoneyMath.SplitUp(total, policy.UsePeriodDays),
            UsePeriodDays = policy.UsePeriodDays,
            UsePeriodYears = policy.UsePeriodYears,
            GiftName = spoken?.Name ?? "",
            GiftCostMinor = spoken?.CostMinor ?? 0,
            CouponName = coupon?.Name ?? "",
            CouponThresholdMinor = coupon?.ThresholdMinor ?? 0,
            CouponAmountMinor = coupon?.AmountMinor ?? 0,
            ToNextCouponMinor = priced.ToNextCouponMinor,
            AskMinor = target ?? 0,
            Round = round,
        };
        var scope = PolicyRendering.Scope(shop, cart, customerTier, values);
        var message = PolicyRendering.Render(reply, round - 1, scope);
        return new NegotiationOutcome(
            decision,
            total,
            gifts,
            [message],
            round,
            stepName,
            next,
            granted >= 0 ? gifts[heldGifts.IndexOf(granted)] : null);
    }

    private readonly record struct Plan(int StepIndex, StepKind Kind, int Gift, long Total);
}
