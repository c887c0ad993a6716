using ScriptDsl.Templates;

namespace ScriptDsl.Model;

/// <summary>
/// A compiled shop: everything the .csdsl file declared, with its templates compiled and its trigger
/// phrases normalized. Generated code builds one instance per shop as static data; the engine only
/// reads it. Cross references are ordinals into the lists of this definition (-1 for none).
/// </summary>
public sealed class ShopDefinition
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public required string Currency { get; init; }

    public required string Honorific { get; init; }

    public required IReadOnlyList<string> Particles { get; init; }

    /// <summary>The script's path relative to the project, e.g. "scripts/lamp_shop.csdsl".</summary>
    public required string SourceFile { get; init; }

    /// <summary>Lower-case hex SHA-256 of the script's text (UTF-8), so a stored conversation can tell which script version it ran on.</summary>
    public required string SourceHash { get; init; }

    /// <summary>Questions asked before a recommendation may be made (the seeds: at least two).</summary>
    public int MinQuestionsBeforeRecommend { get; init; } = 2;

    public required IReadOnlyList<FactDefinition> Facts { get; init; }

    public required IReadOnlyList<SlotDefinition> Slots { get; init; }

    public required IReadOnlyList<ConceptDefinition> Concepts { get; init; }

    public required IReadOnlyList<ItemDefinition> Items { get; init; }

    /// <summary>Every intent, in declaration order (the tie-breaker of matching).</summary>
    public required IReadOnlyList<IntentDefinition> Intents { get; init; }

    /// <summary>Every stage; <see cref="InitialStage"/> is where a conversation starts.</summary>
    public required IReadOnlyList<StageDefinition> Stages { get; init; }

    public int InitialStage { get; init; }

    /// <summary>Every trigger phrase; the payload of a hit in the shop's trigger automaton is an index here.</summary>
    public required IReadOnlyList<TriggerDefinition> Triggers { get; init; }

    /// <summary>Every phrase that fills a choice slot (its values and their synonyms, normalized).</summary>
    public required IReadOnlyList<SlotPhraseDefinition> SlotPhrases { get; init; }

    /// <summary>
    /// All trigger phrases compiled at build time; a hit's payload indexes <see cref="Triggers"/>.
    /// Empty by default so that a hand-built shop without triggers needs none; the engine refuses a
    /// shop whose triggers have no tables (see <see cref="ScriptDsl.Engine.ConversationEngine"/>).
    /// </summary>
    public ScriptDsl.Matching.TriggerAutomaton Automaton { get; init; } = NoPatterns;

    /// <summary>All slot phrases compiled at build time; a hit's payload indexes <see cref="SlotPhrases"/>.</summary>
    public ScriptDsl.Matching.TriggerAutomaton SlotPhraseAutomaton { get; init; } = NoPatterns;

    private static readonly ScriptDsl.Matching.TriggerAutomaton NoPatterns = new(new ScriptDsl.Matching.TriggerAutomatonBuilder().Build());

    public required IReadOnlyList<CrossSellDefinition> CrossSells { get; init; }

    public ComplaintFlowDefinition? Complaint { get; init; }

    public PaymentReminderDefinition? PaymentReminder { get; init; }

    public required ReplyDefinition Fallback { get; init; }

    /// <summary>Names of the bargaining policies declared for this shop.</summary>
    public required IReadOnlyList<string> PolicyNames { get; init; }

    /// <summary>The compiled bargaining policies of this shop, by name in <see cref="PolicyNames"/> order.</summary>
    public IReadOnlyList<ScriptDsl.Bargaining.PolicyDefinition> Policies { get; init; } = [];

    /// <summary>The build-time intent classifier and its thresholds; <see cref="UnderstandingDefinition.None"/> when the shop has no examples.</summary>
    public UnderstandingDefinition Understanding { get; init; } = UnderstandingDefinition.None;
}

/// <summary>
/// How a shop understands messages no trigger phrase matched (docs/design/understanding-spec.md).
/// The classifier's intents are names of <see cref="ShopDefinition.Intents"/>.
/// </summary>
/// <param name="Classifier">Null when the shop has no examples: only triggers are understood.</param>
/// <param name="Threshold">The best intent's probability must reach this to be taken.</param>
/// <param name="Margin">Below this distance between the two best, the shop asks which one was meant.</param>
/// <param name="Examples">Every training phrasing (intent name, text), for the nlu report and tools; never read by a turn.</param>
public sealed record UnderstandingDefinition(
    ScriptDsl.Understanding.IntentClassifier? Classifier,
    double Threshold,
    double Margin,
    IReadOnlyList<ScriptDsl.Understanding.TrainingExample> Examples)
{
    public const double DefaultThreshold = 0.55;

    public const double DefaultMargin = 0.10;

    public static readonly UnderstandingDefinition None = new(null, DefaultThreshold, DefaultMargin, []);
}

public enum ValueType
{
    Text,
    Int,
    Money,
    Date,
    Bool,
}

/// <summary>A typed constant. Exactly one value field is meaningful, per <see cref="Type"/>.</summary>
public sealed record FactDefinition(string Name, ValueType Type, string Text, long Int, long Money, DateOnly Date, bool Bool);

public enum SlotKind
{
    Choice,
    Number,
    Money,
    Text,
}

public enum QuestionKind
{
    Open,
    Closed,
}

/// <summary>A slot the engine fills from the buyer's words and the script's questions.</summary>
/// <param name="Units">Unit words of a number or money slot; a number slot's value is in its first unit.</param>
public sealed record SlotDefinition(
    string Name,
    SlotKind Kind,
    IReadOnlyList<ChoiceValue> Choices,
    IReadOnlyList<string> Units,
    QuestionKind QuestionKind,
    ReplyDefinition Question)
{
    /// <summary>
    /// Further unit words of a number slot and what one of each is worth in the slot's first unit
    /// (<c>unit "斤" = 0.5 kg</c> on a slot in kg: <c>UnitFactor("斤", 0.5m)</c>; <c>unit "米" = 100 cm</c>
    /// on a slot in cm: <c>UnitFactor("米", 100m)</c>). Declared by the script, never built in: a slot
    /// without a factor for 斤 does not read 斤. A word listed here need not be in <see cref="Units"/>;
    /// a word in both takes its factor here. Words of <see cref="Units"/> without a factor count 1.
    /// </summary>
    public IReadOnlyList<UnitFactor> UnitFactors { get; init; } = [];
}

/// <summary>A unit word and its value in the first unit of the slot it belongs to.</summary>
/// <param name="Word">The unit word as the script wrote it ("斤", "米").</param>
/// <param name="Factor">How many of the slot's first unit one <paramref name="Word"/> is; positive.</param>
public sealed record UnitFactor(string Word, decimal Factor);

/// <summary>A choice value and the other words a buyer may use for it (already normalized).</summary>
public sealed record ChoiceValue(string Value, IReadOnlyList<string> Synonyms);

/// <summary>A named set of trigger phrases, and the prefixes that negate a mention ("不贵").</summary>
public sealed record ConceptDefinition(string Name, IReadOnlyList<string> Phrases, IReadOnlyList<string> NegationPrefixes);

public sealed record ItemDefinition(string Id, string Sku, string Name, long PriceMinor, string Category, string Point);

public enum IntentKind
{
    /// <summary>Answered inside a stage; only while the conversation is in that stage.</summary>
    Stage,
    Quick,
    Objection,
    OrderPlaced,
    Farewell,
    Complaint,
    Escalation,

    /// <summary>The buyer asks for the total of the cart: the policy's quote answers (一共多少钱).</summary>
    Quote,

    /// <summary>The buyer agrees to buy (促成交易): confirm the cart and the agreed total, guide to the order.</summary>
    Close,
}

public enum ObjectionKind
{
    None,
    Need,
    Budget,
    Authority,
    Price,
    Product,
    Agent,
    Timing,
}

/// <summary>
/// One thing a buyer can say and what the shop does about it. The reply (if any) is sent, then the
/// missing <see cref="AskSlots"/> are asked one per turn, then the conversation moves to
/// <see cref="Then"/> once they are all filled, or to <see cref="Next"/> right after replying.
/// </summary>
public sealed record IntentDefinition(
    string Name,
    IntentKind Kind,
    int Stage,
    bool OnStart,
    ReplyDefinition? Reply,
    IReadOnlyList<int> AskSlots,
    int Then,
    int Next,
    ObjectionKind Objection,
    string? Policy,
    IReadOnlyList<OrderFlag> Flags,
    Escalation? Escalation,
    int SourceLine)
{
    /// <summary>How a clarification question names this intent (「发货时间」); the intent's name when the script gives none.</summary>
    public string Label { get; init; } = "";

    /// <summary>The standard library intent this rule maps onto ("" for none).</summary>
    public string Standard { get; init; } = "";
}

public sealed record OrderFlag(string Color, string Note);

public sealed record Escalation(string To, string Reason);

public enum StageKind
{
    Normal,
    Recommend,
}

public sealed record StageDefinition(
    string Name,
    StageKind Kind,
    IReadOnlyList<int> Intents,
    int Next,
    RecommendDefinition? Recommend,
    int SourceLine);

/// <summary>Rules tried in order; the first whose condition holds (an else rule has none) picks the item.</summary>
public sealed record RecommendDefinition(IReadOnlyList<RecommendRule> Rules, ReplyDefinition Reply);

public delegate bool Condition(ScriptScope scope);

public sealed record RecommendRule(Condition? When, int Item, int SourceLine);

/// <summary>A trigger phrase (normalized) of an intent. Start triggers fire on a conversation's first turn.</summary>
public sealed record TriggerDefinition(int Intent, string Phrase, int Concept, IReadOnlyList<string> NegationPrefixes, int Order);

/// <summary>A phrase that fills choice <see cref="Choice"/> of slot <see cref="Slot"/>.</summary>
public sealed record SlotPhraseDefinition(int Slot, int Choice, string Phrase);

public sealed record CrossSellDefinition(string AfterCategory, IReadOnlyList<string> OfferCategories, ReplyDefinition Reply, int SourceLine);

public sealed record PaymentReminderDefinition(int WithinDays, ReplyDefinition Reply);

/// <summary>Reply variants, rotated by the engine; each has a stable id for statistics.</summary>
public sealed record ReplyDefinition(IReadOnlyList<ReplyVariant> Variants);

/// <param name="Id">Stable within the shop, e.g. "greet/1".</param>
public sealed record ReplyVariant(string Id, Template Template, int SourceLine);
