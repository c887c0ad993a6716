namespace ScriptDsl.Engine;

/// <summary>
/// Where one conversation stands, as a plain value: the engine reads one and returns a new one, the
/// service stores it as JSON. Everything is keyed by names from the script (never ordinals), so a
/// state saved under one version of a script can be re-validated against the next.
/// </summary>
public sealed record ConversationState
{
    /// <summary>
    /// The layout version of this record; <see cref="ConversationStateJson"/> reads every older one and
    /// always writes this one. 1 → 2: <see cref="ClarifyOptions"/> and <see cref="AgreedTotalMinor"/>
    /// added. 2 → 3: the same properties, stored as UTF-8 without escapes and without the ones at
    /// their default value.
    /// </summary>
    public const int CurrentVersion = 3;

    public int Version { get; init; } = CurrentVersion;

    public string ShopId { get; init; } = "";

    /// <summary>Source hash of the script that produced this state; a different hash triggers re-validation.</summary>
    public string ScriptHash { get; init; } = "";

    /// <summary>Current stage name; empty before the first turn.</summary>
    public string Stage { get; init; } = "";

    public int Turn { get; init; }

    /// <summary>Filled slots: slot name → canonical value (choice value, invariant number, money in fen, or text).</summary>
    public IReadOnlyDictionary<string, string> Slots { get; init; } = EmptyMap;

    /// <summary>Slots whose question has been asked, in order; a slot is never asked twice.</summary>
    public IReadOnlyList<string> Asked { get; init; } = [];

    /// <summary>The slot asked last turn, so a bare answer ("20", "卧室用的") fills it.</summary>
    public string PendingSlot { get; init; } = "";

    /// <summary>The intent whose questions are still being asked; when they are all answered the conversation moves on.</summary>
    public string PendingIntent { get; init; } = "";

    /// <summary>Reply rotation: reply key → how many times it has been used.</summary>
    public IReadOnlyDictionary<string, int> Rotation { get; init; } = EmptyCounts;

    /// <summary>The text of the last fallback reply, so the fallback never repeats itself twice in a row.</summary>
    public string LastFallback { get; init; } = "";

    public bool OrderPlaced { get; init; }

    /// <summary>The sku recommended last, the cart a price objection is about when the client sends none.</summary>
    public string RecommendedSku { get; init; } = "";

    /// <summary>Where bargaining stands; shared by price objections in chat and the Negotiate call.</summary>
    public ScriptDsl.Bargaining.BargainingState Bargaining { get; init; } = ScriptDsl.Bargaining.BargainingState.Initial;

    /// <summary>Next complaint step to run; -1 when no complaint is open.</summary>
    public int ComplaintStep { get; init; } = -1;

    /// <summary>True while the current complaint step waits for the buyer's answer.</summary>
    public bool ComplaintWaiting { get; init; }

    /// <summary>
    /// The intents the shop asked the buyer to choose between last turn (「您是想问发货时间还是退换货呢?」),
    /// in the order asked; empty when it asked nothing. Only the very next message may pick one.
    /// </summary>
    public IReadOnlyList<string> ClarifyOptions { get; init; } = [];

    /// <summary>The total the buyer agreed to when the sale was closed (促成交易), in fen; 0 until then.</summary>
    public long AgreedTotalMinor { get; init; }

    /// <summary>What re-validation changed (unknown slots dropped, stage reset), newest last.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    internal static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>(StringComparer.Ordinal);

    internal static readonly IReadOnlyDictionary<string, int> EmptyCounts = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The state of a conversation that has not started yet.</summary>
    public static ConversationState New(string shopId, string scriptHash) => new() { ShopId = shopId, ScriptHash = scriptHash };
}
