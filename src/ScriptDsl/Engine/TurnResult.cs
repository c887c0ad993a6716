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

/// <summary>The outcome of one turn. <see cref="Intent"/> is "" when the fallback answered.</summary>
public sealed record TurnResult(
    IReadOnlyList<ReplyMessage> Messages,
    string Intent,
    string Stage,
    IReadOnlyDictionary<string, string> Slots,
    IReadOnlyList<TurnAction> Actions,
    IReadOnlyList<string> Suggestions,
    ConversationState State,
    PolicyUse? Policy = null);
