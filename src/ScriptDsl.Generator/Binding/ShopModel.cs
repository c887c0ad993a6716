using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Templates;

// The bound shop: everything the emitter needs, resolved to ordinals and bound trees, as values
// (strings, numbers, EquatableArray) so the incremental pipeline can compare two runs and skip
// emitting when nothing changed. No Roslyn objects here.
namespace ScriptDsl.Generator.Binding
{
    /// <summary>One .csdsl file as read from the compilation: the path the build reports and the text.</summary>
    public sealed record ScriptFile(string Path, string Text);

    /// <summary>The build settings the compiler reads (MSBuild ScriptDslMaxReplyLength).</summary>
    public sealed record CompilerOptions(int MaxReplyLength)
    {
        public const int DefaultMaxReplyLength = 60;

        public static readonly CompilerOptions Default = new CompilerOptions(DefaultMaxReplyLength);
    }

    /// <summary>The result of compiling one file: the model (null when the file has errors) and every diagnostic.</summary>
    public sealed record ShopCompilation(string FilePath, ShopModel? Model, string? ShopId, int ShopLine, int ShopColumn, int ShopOffset, int ShopIdLength, EquatableArray<DiagnosticInfo> Diagnostics);

    public sealed partial record ShopModel(
        string SourcePath,
        string RelativePath,
        string Id,
        string ClassName,
        string DisplayName,
        string Currency,
        string Honorific,
        EquatableArray<string> Particles,
        string SourceHash,
        int MinQuestions,
        int ShopLine,
        EquatableArray<FactModel> Facts,
        EquatableArray<SlotModel> Slots,
        EquatableArray<ConceptModel> Concepts,
        EquatableArray<ItemModel> Items,
        EquatableArray<IntentModel> Intents,
        EquatableArray<StageModel> Stages,
        int InitialStage,
        EquatableArray<TriggerModel> Triggers,
        AutomatonModel TriggerAutomaton,
        EquatableArray<SlotPhraseModel> SlotPhrases,
        AutomatonModel SlotPhraseAutomaton,
        EquatableArray<CrossSellModel> CrossSells,
        ComplaintModel? Complaint,
        PaymentModel? Payment,
        ReplyModel Fallback,
        EquatableArray<string> PolicyNames,
        EquatableArray<TemplateModel> Templates,
        EquatableArray<ConditionModel> Conditions,
        EquatableArray<PolicyModel> Policies);

    /// <summary>
    /// A shop fact: <paramref name="Kind"/> and the one value its kind holds (the others keep their
    /// defaults); <paramref name="Text"/> the value as replies show it. No C#: the emitter writes the
    /// constant from <see cref="Constant"/>.
    /// </summary>
    public sealed record FactModel(string Name, ValueKind Kind, string Text, long Int, long Money, int Year, int Month, int Day, bool Bool, int Line)
    {
        /// <summary>The fact's value as a bound literal, the form conditions and templates use.</summary>
        public BoundValue Constant => Kind switch
        {
            ValueKind.Int => new BoundWholeLiteral(ValueKind.Int, Int),
            ValueKind.Money => new BoundWholeLiteral(ValueKind.Money, Money),
            ValueKind.Date => new BoundDateLiteral(Year, Month, Day),
            ValueKind.Bool => new BoundBoolLiteral(Bool),
            _ => new BoundTextLiteral(Text),
        };
    }

    public sealed record ChoiceModel(string Value, string EnumMember, EquatableArray<string> Synonyms);

    /// <summary><paramref name="Kind"/> (Choice, Number, Money or Text) names the runtime SlotKind member.</summary>
    public sealed record SlotModel(string Name, ValueKind Kind, string EnumName, EquatableArray<ChoiceModel> Choices, EquatableArray<string> Units, bool Open, ReplyModel Question, int Line);

    public sealed record ConceptModel(string Name, EquatableArray<string> Phrases, EquatableArray<string> Negations, int Line);

    public sealed record ItemModel(string Id, string Sku, string Name, long PriceMinor, string Category, string Point, int Line);

    /// <summary>Intent as the runtime IntentDefinition; kinds are runtime enum member names.</summary>
    public sealed record IntentModel(
        string Name,
        string Kind,
        int Stage,
        bool OnStart,
        ReplyModel? Reply,
        EquatableArray<int> AskSlots,
        int Then,
        int Next,
        string Objection,
        string? Policy,
        EquatableArray<FlagModel> Flags,
        string? EscalateTo,
        string? EscalateReason,
        int Line);

    public sealed record FlagModel(string Color, string Note);

    public sealed record StageModel(string Name, bool IsRecommend, EquatableArray<int> Intents, int Next, RecommendModel? Recommend, int Line);

    /// <summary><paramref name="Condition"/> indexes <see cref="ShopModel.Conditions"/>; -1 for the else rule.</summary>
    public sealed record RuleModel(int Condition, int Item, int Line);

    public sealed record RecommendModel(EquatableArray<RuleModel> Rules, ReplyModel Reply);

    public sealed record TriggerModel(int Intent, string Phrase, int Concept, EquatableArray<string> Negations, int Order);

    /// <summary>The tables of a TriggerAutomatonData; the alphabet as a string.</summary>
    public sealed record AutomatonModel(
        string Alphabet,
        EquatableArray<int> EdgeOffsets,
        EquatableArray<int> EdgeClasses,
        EquatableArray<int> EdgeTargets,
        EquatableArray<int> Failure,
        EquatableArray<int> OutputLink,
        EquatableArray<int> OutputOffsets,
        EquatableArray<int> OutputPatterns,
        EquatableArray<int> PatternPayloads,
        EquatableArray<int> PatternLengths);

    public sealed record SlotPhraseModel(int Slot, int Choice, string Phrase);

    public sealed record CrossSellModel(string After, EquatableArray<string> Offer, ReplyModel Reply, int Line);

    public sealed record ComplaintStepModel(string Kind, ReplyModel Reply, EquatableArray<int> AskSlots, string Remedy, string RemedyName, long RemedyAmountMinor, int RemedyPercent, int Line);

    public sealed record ComplaintModel(int Intent, EquatableArray<ComplaintStepModel> Steps, int EscalationIntent);

    public sealed record PaymentModel(int WithinDays, ReplyModel Reply);

    public sealed record ReplyModel(EquatableArray<VariantModel> Variants);

    /// <summary><paramref name="Template"/> indexes <see cref="ShopModel.Templates"/>.</summary>
    public sealed record VariantModel(string Id, int Template, int Line);

    /// <summary>A checked template: the template as written and its bound tree (Templates/TemplateBoundTree.cs), which the emitter writes as C#.</summary>
    public sealed record TemplateModel(string Source, int Line, EquatableArray<BoundNode> Body);

    /// <summary>A bound condition (the `when` of a recommend rule or a gift) as written (<paramref name="Source"/>) and as the bound tree the emitter writes.</summary>
    public sealed record ConditionModel(string Source, BoundCondition Condition, int Line);

    /// <summary>
    /// A bargaining policy as the runtime's PolicyDefinition takes it: money in fen, percentages in
    /// basis points, <paramref name="UsePeriodDays"/> already in days (365 when the policy has no
    /// use_period: the runtime needs a positive period, and the checker forbids naming it then).
    /// </summary>
    public sealed record PolicyModel(
        string Name,
        int Line,
        int UsePeriodDays,
        int MaxRounds,
        int PercentOfListBasisPoints,
        long CartFloorMinor,
        EquatableArray<SkuFloorModel> Skus,
        EquatableArray<KeyFloorModel> Categories,
        EquatableArray<KeyFloorModel> Tiers,
        EquatableArray<CouponModel> Coupons,
        EquatableArray<GiftModel> Gifts,
        EquatableArray<PolicyStepModel> Steps,
        ReplyModel Accept,
        bool GrantFreeShipping,
        ReplyModel? FreeShippingReply,
        bool PercentOffAsTarget,
        ReplyModel? Quote);

    public sealed record SkuFloorModel(string Sku, long UnitMinor);

    /// <summary>A category's or a tier's floor percentage.</summary>
    public sealed record KeyFloorModel(string Key, int BasisPoints);

    public sealed record CouponModel(string Name, long ThresholdMinor, long AmountMinor, ReplyModel? Reply, int Line);

    /// <summary><paramref name="Condition"/> indexes <see cref="ShopModel.Conditions"/> (-1: none); <paramref name="DailyLimit"/> -1: unlimited.</summary>
    public sealed record GiftModel(string Name, long CostMinor, long MinCartTotalMinor, int Condition, int DailyLimit, int Line);

    /// <summary><paramref name="Kind"/> is the runtime StepKind member name; <paramref name="Beta"/> the concession shape β (as written, scale kept).</summary>
    public sealed record PolicyStepModel(string Name, string Kind, ReplyModel Reply, decimal Beta, int Line);
}
