namespace ScriptDsl.Bargaining;

/// <summary>The proto's <c>NegotiateResponse.Decision</c>, same numbers.</summary>
public enum BargainDecision
{
    /// <summary>The ask is within the policy: accepted as asked.</summary>
    Accept = 1,

    /// <summary>A better price than before, but not the ask.</summary>
    Counter = 2,

    /// <summary>No price change; the next gift on the ladder instead.</summary>
    Gift = 3,

    /// <summary>No price change; a coupon / threshold nudge.</summary>
    Coupon = 4,

    /// <summary>No concession; explain the value.</summary>
    ExplainValue = 5,

    /// <summary>No concession; split the price over the use period.</summary>
    SplitPrice = 6,

    /// <summary>Final: politely hold the price.</summary>
    Hold = 7,
}

/// <summary>A gift granted in this conversation (the proto's <c>OfferGift</c>).</summary>
public sealed record GrantedGift(string Name, long CostMinor);

/// <summary>A rendered reply (the proto's <c>ChatMessage</c>).</summary>
public sealed record PolicyMessage(string Text, string VariantId);

/// <summary>What <see cref="Negotiator.Decide"/> decided for one ask.</summary>
/// <param name="TotalMinor">The price now offered for the cart.</param>
/// <param name="Gifts">All gifts granted so far in this conversation, in ladder order.</param>
/// <param name="Round">1 for the first ask in this conversation.</param>
/// <param name="Step">The policy step that produced this decision ("accept" / "free_shipping" for those replies).</param>
/// <param name="State">The state to store and pass to the next ask.</param>
/// <param name="GiftStockConsumed">The gift granted by this decision, whose daily stock the caller must decrement; null if none.</param>
public sealed record NegotiationOutcome(
    BargainDecision Decision,
    long TotalMinor,
    IReadOnlyList<GrantedGift> Gifts,
    IReadOnlyList<PolicyMessage> Messages,
    int Round,
    string Step,
    BargainingState State,
    GrantedGift? GiftStockConsumed);
