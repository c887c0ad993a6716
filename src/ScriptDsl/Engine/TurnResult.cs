namespace ScriptDsl.Engine;

/// <summary>What the buyer's client told us besides the message: tier, cart and extra facts.</summary>
public sealed record BuyerContext(string CustomerTier, Templates.CartView Cart, IReadOnlyDictionary<string, string> Facts)
{
    public static readonly BuyerContext Empty = new("", Templates.CartView.Empty, new Dictionary<string, string>(StringComparer.Ordinal));
}

/// <summary>One chat message of the shop; <see cref="VariantId"/> names the reply variant for statistics.</summary>
public sealed record ReplyMessage(string Text, string VariantId);

/// <summary>Something the client should do besides sending text (mirrors the API's Action).</summary>
public abstract record TurnAction;

public sealed record RecommendItemAction(string Sku, string Name, string Reason) : TurnAction;

public sealed record OfferGiftAction(string Name, long CostMinor) : TurnAction;

public sealed record OfferCouponAction(string Name, long ThresholdMinor, long AmountMinor) : TurnAction;

public sealed record FlagOrderAction(string Color, string Note) : TurnAction;

public sealed record EscalateAction(string To, string Reason) : TurnAction;

/// <summary>A bargaining policy answered in this turn: which step, what it decided, and the gift whose daily stock it used.</summary>
public sealed record PolicyUse(string Policy, string Step, Bargaining.BargainDecision Decision, long TotalMinor, Bargaining.GrantedGift? GiftStockConsumed);

/// <summary>How the turn's intent was understood (the proto's <c>MatchKind</c>, same numbers).</summary>
public enum MatchKind
{
    Unspecified = 0,

    /// <summary>One of the rule's trigger phrases was in the message (or a counter-offer was named): confidence 1.</summary>
    Trigger = 1,

    /// <summary>The build-time classifier, confidence at or above the shop's threshold and clear of the runner-up.</summary>
    Examples = 2,

    /// <summary>The buyer picked one of the two intents the shop asked about last turn.</summary>
    Clarified = 3,

    /// <summary>Two intents were too close: the shop asked which one (<see cref="TurnResult.ClarifyOptions"/>).</summary>
    Clarifying = 4,

    /// <summary>No new intent: the message answered the open question or continued a flow.</summary>
    Continued = 5,

    /// <summary>Not understood: the fallback answered.</summary>
    Fallback = 6,
}

/// <summary>What answered a turn (the proto's <c>reply_kind</c>).</summary>
public static class ReplyKinds
{
    public const string Intent = "intent";
    public const string SlotAnswer = "slot_answer";
    public const string Complaint = "complaint";
    public const string Quote = "quote";
    public const string Negotiate = "negotiate";
    public const string Close = "close";
    public const string Clarify = "clarify";
    public const string Fallback = "fallback";
}

/// <summary>
/// The money side of a turn that quoted, negotiated or closed on the conversation's cart (the proto's
/// <c>ReplyPricing</c>). Amounts in minor units (fen).
/// </summary>
/// <param name="Kind">"quote", "negotiate" or "close" (<see cref="ReplyKinds"/>).</param>
/// <param name="Step">The policy step used; "" for a quote and a close.</param>
/// <param name="Decision">The bargaining decision; null for a quote and a close.</param>
/// <param name="TotalMinor">Payable (quote), offered (negotiate) or agreed (close) total.</param>
/// <param name="AskTotalMinor">The buyer's counter-offer as a total; 0 when the buyer named none.</param>
/// <param name="Round">Bargaining rounds answered so far in this conversation.</param>
public sealed record TurnPricing(
    string Kind,
    string Policy,
    string Step,
    Bargaining.BargainDecision? Decision,
    long ListTotalMinor,
    long TotalMinor,
    long AskTotalMinor,
    long PerDayMinor,
    long ToNextCouponMinor,
    int Round);

/// <summary>The outcome of one turn. <see cref="Intent"/> is "" when the fallback answered.</summary>
public sealed record TurnResult(
    IReadOnlyList<ReplyMessage> Messages,
    string Intent,
    string Stage,
    IReadOnlyDictionary<string, string> Slots,
    IReadOnlyList<TurnAction> Actions,
    IReadOnlyList<string> Suggestions,
    ConversationState State,
    PolicyUse? Policy = null)
{
    /// <summary>1 for a trigger hit, a counter-offer and a continued flow; the classifier's probability for examples; 0 for the fallback.</summary>
    public double Confidence { get; init; }

    public MatchKind Match { get; init; } = MatchKind.Unspecified;

    /// <summary>With <see cref="MatchKind.Clarifying"/>: the intent names the shop asked the buyer to choose between, in the order asked.</summary>
    public IReadOnlyList<string> ClarifyOptions { get; init; } = [];

    /// <summary>What answered (<see cref="ReplyKinds"/>).</summary>
    public string ReplyKind { get; init; } = ReplyKinds.Fallback;

    /// <summary>Set when the turn quoted, negotiated or closed on the conversation's cart.</summary>
    public TurnPricing? Pricing { get; init; }
}
