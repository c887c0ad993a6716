using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>Where a template is used decides which built-in names exist (item only in recommend/cross-sell, policy values only in policies).</summary>
    public enum TemplateContextKind
    {
        Reply,
        Recommend,
        CrossSell,
        Policy,
    }

    /// <summary>A shop fact: a typed constant (<paramref name="Constant"/>, a bound literal of the fact's kind) and its text as replies show it.</summary>
    public sealed record FactSymbol(string Name, ValueKind Kind, BoundValue Constant, string DisplayText);

    /// <summary>A slot: <paramref name="Ordinal"/> indexes ScriptScope.Slots; <paramref name="Choices"/> for choice slots.</summary>
    public sealed record SlotSymbol(string Name, ValueKind Kind, int Ordinal, EquatableArray<string> Choices);

    /// <summary>The names a template may use.</summary>
    public sealed record TemplateEnvironment(EquatableArray<FactSymbol> Facts, EquatableArray<SlotSymbol> Slots, TemplateContextKind Context)
    {
        /// <summary>
        /// The shop has a price policy, so every reply may use the cart's computed pricing values
        /// (total, list_total, per_day, to_next_coupon, coupon, use_period); without one they are SDSL0223.
        /// </summary>
        public bool HasPricing { get; init; }
    }

    /// <summary>
    /// A template as written: <paramref name="Raw"/> is exactly the characters between the quotes of the
    /// .csdsl string literal (escapes \" \\ \n not yet processed), <paramref name="Start"/> the position
    /// of its first character, so diagnostics point inside the template.
    /// </summary>
    public sealed record TemplateSource(string Raw, string FilePath, SourcePosition Start);

    /// <summary>
    /// The checked template: its bound tree (empty when there is any diagnostic, so no broken C# is
    /// emitted); the literal text (for lints) and an estimate of the rendered length (literals plus
    /// constants plus a nominal width per value); the names it uses, for checks of the caller (which
    /// policy values exist at a step).
    /// </summary>
    public sealed record CompiledTemplate(
        EquatableArray<BoundNode> Body,
        string LiteralText,
        int EstimatedLength,
        EquatableArray<DiagnosticInfo> Diagnostics,
        EquatableArray<TemplateNameUse> Names)
    {
        /// <summary>
        /// The C# statements the emitter writes for <see cref="Body"/> (one per line, relative
        /// indentation of four spaces), writing into <c>ref global::ScriptDsl.Templates.TemplateWriter w</c>
        /// reading <c>global::ScriptDsl.Templates.ScriptScope s</c>.
        /// </summary>
        public EquatableArray<string> BodyLines => TemplateEmitter.Emit(Body).ToEquatableArray();
    }

    /// <summary>A value the template names (<c>gift.name</c>, <c>room</c>, <c>line.sku</c>; filters excluded), where it starts in the .csdsl file.</summary>
    public sealed record TemplateNameUse(string Path, SourcePosition Start);
}
