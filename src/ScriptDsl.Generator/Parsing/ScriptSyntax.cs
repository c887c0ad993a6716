using System.Collections.Generic;
using ScriptDsl.Generator.Diagnostics;

// The syntax tree of a .csdsl file: what the author wrote, with the position of every node, and
// nothing resolved yet. Produced by ScriptParser, consumed by ScriptBinder; never cached by the
// pipeline (the binder's ShopModel is), so plain lists are fine here.
namespace ScriptDsl.Generator.Parsing
{
    public sealed record Ident(SourcePosition Pos, string Name);

    /// <summary>A string literal: <paramref name="Value"/> with escapes processed, <paramref name="Raw"/> exactly as written between the quotes, starting at <paramref name="RawStart"/>.</summary>
    public sealed record StringLit(SourcePosition Pos, string Value, string Raw, SourcePosition RawStart);

    /// <summary>A number as written: ASCII digits with an optional fraction and percent sign, or a date (2026-12-12).</summary>
    public sealed record NumberLit(SourcePosition Pos, string Text, bool Percent, bool IsDate);

    public sealed record FileSyntax(IReadOnlyList<ShopSyntax> Shops, IReadOnlyList<PolicySyntax> Policies, IReadOnlyList<LibrarySyntax> Libraries);

    public sealed record ShopSyntax(SourcePosition Pos, Ident Id, StringLit DisplayName, IReadOnlyList<MemberSyntax> Members);

    public abstract record MemberSyntax(SourcePosition Pos);

    public sealed record CurrencySyntax(SourcePosition Pos, Ident Code) : MemberSyntax(Pos);

    public sealed record HonorificSyntax(SourcePosition Pos, StringLit Text) : MemberSyntax(Pos);

    public sealed record ParticlesSyntax(SourcePosition Pos, IReadOnlyList<StringLit> Particles) : MemberSyntax(Pos);

    /// <summary>questions_before_recommend / max_reply_length.</summary>
    public sealed record SettingSyntax(SourcePosition Pos, string Keyword, NumberLit Value) : MemberSyntax(Pos);

    public sealed record LiteralSyntax(SourcePosition Pos, StringLit? Text, NumberLit? Number, Ident? Word);

    public sealed record FactSyntax(SourcePosition Pos, Ident Name, Ident Type, LiteralSyntax Value) : MemberSyntax(Pos);

    public sealed record ChoiceSyntax(SourcePosition Pos, Ident Value, IReadOnlyList<StringLit> Synonyms);

    /// <summary><paramref name="Kind"/> is choice, number, money or text.</summary>
    public sealed record SlotTypeSyntax(SourcePosition Pos, string Kind, IReadOnlyList<ChoiceSyntax> Choices, IReadOnlyList<StringLit> Units);

    public sealed record RepliesSyntax(SourcePosition Pos, IReadOnlyList<StringLit> Variants);

    public sealed record QuestionSyntax(SourcePosition Pos, bool Open, RepliesSyntax Replies);

    public sealed record SlotSyntax(SourcePosition Pos, Ident Name, SlotTypeSyntax Type, QuestionSyntax Question) : MemberSyntax(Pos);

    /// <summary>One entry of a phrase list: a quoted phrase, <c>concept NAME</c>, or <c>start</c>.</summary>
    public sealed record PhraseSyntax(SourcePosition Pos, StringLit? Text, Ident? Concept, bool Start);

    public sealed record ConceptSyntax(SourcePosition Pos, Ident Name, IReadOnlyList<PhraseSyntax> Phrases, IReadOnlyList<StringLit> Negations) : MemberSyntax(Pos);

    public sealed record ItemSyntax(SourcePosition Pos, Ident Id, StringLit Sku, StringLit Name, NumberLit Price, Ident Category, StringLit? Point) : MemberSyntax(Pos);

    public sealed record FlagSyntax(SourcePosition Pos, Ident Color, StringLit Note);

    public sealed record IntentBodySyntax(RepliesSyntax? Replies, IReadOnlyList<Ident> Ask, Ident? Then, IReadOnlyList<FlagSyntax> Flags);

    public sealed record StageIntentSyntax(SourcePosition Pos, Ident? Name, IReadOnlyList<PhraseSyntax> Phrases, IntentBodySyntax Body, IReadOnlyList<UnderstandSyntax> Understand);

    public sealed record StageSyntax(SourcePosition Pos, Ident Name, IReadOnlyList<StageIntentSyntax> Intents, IReadOnlyList<Ident> Next) : MemberSyntax(Pos);

    public abstract record CondSyntax(SourcePosition Pos);

    public sealed record OrSyntax(SourcePosition Pos, CondSyntax Left, CondSyntax Right) : CondSyntax(Pos);

    public sealed record AndSyntax(SourcePosition Pos, CondSyntax Left, CondSyntax Right) : CondSyntax(Pos);

    public sealed record NotSyntax(SourcePosition Pos, CondSyntax Operand) : CondSyntax(Pos);

    /// <summary><paramref name="Op"/> is ==, !=, &lt;, &lt;=, &gt;, &gt;= or null for a bare operand (a bool, or a slot tested for being filled).</summary>
    public sealed record CompareSyntax(SourcePosition Pos, OperandSyntax Left, string? Op, OperandSyntax? Right) : CondSyntax(Pos)
    {
        /// <summary>Where <see cref="Op"/> is written (diagnostics about the operator point at it).</summary>
        public SourcePosition OpPos { get; init; }
    }

    public sealed record InSyntax(SourcePosition Pos, OperandSyntax Left, IReadOnlyList<OperandSyntax> Set) : CondSyntax(Pos);

    /// <summary>A name path (room, cart.total), a number or date, or a string.</summary>
    public sealed record OperandSyntax(SourcePosition Pos, IReadOnlyList<Ident>? Path, NumberLit? Number, StringLit? Text);

    public sealed record RuleSyntax(SourcePosition Pos, CondSyntax? When, Ident Item);

    public sealed record RecommendSyntax(SourcePosition Pos, Ident? Name, IReadOnlyList<RuleSyntax> Rules, RepliesSyntax Replies) : MemberSyntax(Pos);

    public sealed record QuickSyntax(SourcePosition Pos, Ident Name, IReadOnlyList<PhraseSyntax> Phrases, RepliesSyntax Replies, IReadOnlyList<UnderstandSyntax> Understand) : MemberSyntax(Pos);

    public sealed record CrossSellSyntax(SourcePosition Pos, Ident After, IReadOnlyList<Ident> Offer, RepliesSyntax Replies) : MemberSyntax(Pos);

    public sealed record ObjectionSyntax(SourcePosition Pos, Ident Kind, IReadOnlyList<PhraseSyntax> Phrases, RepliesSyntax? Replies, Ident? Policy, IReadOnlyList<UnderstandSyntax> Understand) : MemberSyntax(Pos);

    public sealed record OrderSyntax(SourcePosition Pos, IReadOnlyList<PhraseSyntax> Phrases, RepliesSyntax Replies, IReadOnlyList<FlagSyntax> Flags, IReadOnlyList<UnderstandSyntax> Understand) : MemberSyntax(Pos);

    public sealed record PaymentSyntax(SourcePosition Pos, NumberLit Days, RepliesSyntax Replies) : MemberSyntax(Pos);

    public sealed record FarewellSyntax(SourcePosition Pos, IReadOnlyList<PhraseSyntax> Phrases, RepliesSyntax Replies, IReadOnlyList<UnderstandSyntax> Understand) : MemberSyntax(Pos);

    /// <summary><paramref name="Kind"/>: confirm, apologize, collect, remedy, opinion, follow_up. <paramref name="Remedy"/>: coupon, discount, thanks.</summary>
    public sealed record ComplaintStepSyntax(SourcePosition Pos, string Kind, IReadOnlyList<Ident> Ask, string? Remedy, StringLit? CouponName, NumberLit? Amount, RepliesSyntax? Replies);

    public sealed record ComplaintSyntax(SourcePosition Pos, IReadOnlyList<PhraseSyntax> Phrases, IReadOnlyList<ComplaintStepSyntax> Steps, IReadOnlyList<UnderstandSyntax> Understand) : MemberSyntax(Pos);

    public sealed record EscalateSyntax(SourcePosition Pos, StringLit To, StringLit? Reason, IReadOnlyList<PhraseSyntax> Phrases, RepliesSyntax Replies, IReadOnlyList<UnderstandSyntax> Understand) : MemberSyntax(Pos);

    public sealed record FallbackSyntax(SourcePosition Pos, RepliesSyntax Replies) : MemberSyntax(Pos);

    public sealed record PolicySyntax(SourcePosition Pos, Ident Name, Ident Shop, IReadOnlyList<PolicyMemberSyntax> Members);

    public abstract record PolicyMemberSyntax(SourcePosition Pos);

    /// <summary><c>use_period 2 years</c> (days, day, years, year).</summary>
    public sealed record UsePeriodSyntax(SourcePosition Pos, NumberLit Amount, Ident Unit) : PolicyMemberSyntax(Pos);

    /// <summary>
    /// A floor. <paramref name="Kind"/> is the word after <c>floor</c>: "list" (<c>floor 90% of list</c>, the
    /// keyword position is the percentage's), "cart", "sku", "category" or "tier". <paramref name="Key"/> is
    /// the sku (a string), the category or the tier (a name or a string), null for list and cart.
    /// </summary>
    public sealed record FloorSyntax(SourcePosition Pos, Ident Kind, FloorKeySyntax? Key, NumberLit Value) : PolicyMemberSyntax(Pos);

    /// <summary>What a floor applies to, as written: <paramref name="Length"/> counts the quotes of a string.</summary>
    public sealed record FloorKeySyntax(SourcePosition Pos, string Text, int Length);

    public sealed record MaxRoundsSyntax(SourcePosition Pos, NumberLit Rounds) : PolicyMemberSyntax(Pos);

    /// <summary><c>coupon "店铺优惠券" spend 300.00 off 20.00 [reply ...]</c>.</summary>
    public sealed record CouponSyntax(SourcePosition Pos, StringLit Name, NumberLit Spend, NumberLit Off, RepliesSyntax? Replies) : PolicyMemberSyntax(Pos);

    /// <summary><c>gift "阳台灯" cost 39.00 [when COND] [limit 20 per day]</c>; a rung of the ladder, in declaration order.</summary>
    public sealed record GiftSyntax(SourcePosition Pos, StringLit Name, NumberLit Cost, CondSyntax? When, NumberLit? Limit) : PolicyMemberSyntax(Pos);

    /// <summary><c>free_shipping grant reply ...</c> (<paramref name="Grant"/>) or <c>free_shipping as any_better</c>.</summary>
    public sealed record FreeShippingSyntax(SourcePosition Pos, bool Grant, RepliesSyntax? Replies) : PolicyMemberSyntax(Pos);

    /// <summary><c>percent_off as target</c> / <c>percent_off as any_better</c>.</summary>
    public sealed record PercentOffSyntax(SourcePosition Pos, Ident Mode) : PolicyMemberSyntax(Pos);

    /// <summary><c>accept reply ...</c> or <c>quote reply ...</c>; <paramref name="Keyword"/> says which.</summary>
    public sealed record PolicyReplySyntax(SourcePosition Pos, string Keyword, RepliesSyntax Replies) : PolicyMemberSyntax(Pos);

    /// <summary>
    /// <c>step NAME KIND [shape] reply ...</c>: <paramref name="Kind"/> is explain, coupon, gift, split, counter
    /// or hold; for a counter, <paramref name="Shape"/> is boulware, linear, conceder or beta (then
    /// <paramref name="Beta"/> holds the number), null for the default (boulware).
    /// </summary>
    public sealed record PolicyStepSyntax(SourcePosition Pos, Ident Name, Ident Kind, Ident? Shape, NumberLit? Beta, RepliesSyntax Replies) : PolicyMemberSyntax(Pos);

    // ---------------------------------------------------------------- understanding (docs/design/understanding-spec.md §1, §2)

    /// <summary>
    /// One understanding part of a rule: <c>examples "…" | "…"</c> (<paramref name="Keyword"/> "examples",
    /// <paramref name="Examples"/>), <c>label "…"</c> (<paramref name="Label"/>) or <c>like NAME</c> (<paramref name="Like"/>).
    /// </summary>
    public sealed record UnderstandSyntax(SourcePosition Pos, string Keyword, IReadOnlyList<StringLit> Examples, StringLit? Label, Ident? Like);

    /// <summary><c>use standard NAME</c>.</summary>
    public sealed record UseStandardSyntax(SourcePosition Pos, Ident Name) : MemberSyntax(Pos);

    /// <summary><c>threshold 0.55</c> or <c>margin 0.10</c> inside <c>understanding { … }</c>.</summary>
    public sealed record UnderstandingSettingSyntax(SourcePosition Pos, Ident Keyword, NumberLit Value);

    public sealed record UnderstandingSyntax(SourcePosition Pos, IReadOnlyList<UnderstandingSettingSyntax> Settings) : MemberSyntax(Pos);

    /// <summary><c>unit "斤" = 0.5 kg</c>: <paramref name="Unit"/> is a unit word of a number slot (a name or a quoted text).</summary>
    public sealed record UnitSyntax(SourcePosition Pos, StringLit Word, NumberLit Factor, Ident Unit, int UnitLength) : MemberSyntax(Pos);

    /// <summary><c>expect "一般几天能到啊" -> shipping</c>.</summary>
    public sealed record ExpectSyntax(SourcePosition Pos, StringLit Text, Ident Intent) : MemberSyntax(Pos);

    /// <summary><c>quote on … [examples …] use policy NAME</c>.</summary>
    public sealed record QuoteSyntax(SourcePosition Pos, IReadOnlyList<PhraseSyntax> Phrases, IReadOnlyList<UnderstandSyntax> Understand, Ident Policy) : MemberSyntax(Pos);

    /// <summary><c>close on … [examples …] reply "…"</c>.</summary>
    public sealed record CloseSyntax(SourcePosition Pos, IReadOnlyList<PhraseSyntax> Phrases, IReadOnlyList<UnderstandSyntax> Understand, RepliesSyntax Replies) : MemberSyntax(Pos);

    /// <summary><c>library NAME "title" { intent … }</c>, a file under standard/.</summary>
    public sealed record LibrarySyntax(SourcePosition Pos, Ident Name, StringLit Title, IReadOnlyList<LibraryIntentSyntax> Intents);

    /// <summary><c>intent NAME label "…" examples "…" | …</c> of a library.</summary>
    public sealed record LibraryIntentSyntax(SourcePosition Pos, Ident Name, IReadOnlyList<UnderstandSyntax> Understand);
}
