using System.Collections.Generic;
using ScriptDsl.Generator.Diagnostics;

// The one unbound syntax of conditions and of the values they read. Each front end only
// translates its own syntax into it: the script reader (ScriptBinder.Conditions, from Sprache's
// CondSyntax: the `when` of recommend rules and gifts) and the template reader (TemplateBinder,
// from the Scriban expressions ScribanReader keeps). ConditionBinder then binds it, once, for
// every place: names, kinds, literal coercion, comparability, diagnostics. Every node carries
// its .csdsl span (the template reader maps Scriban's positions through the string's escapes
// before it builds a node), so the binder reports every problem at the right line and column.
namespace ScriptDsl.Generator.Binding
{
    /// <summary>Where a node is in the .csdsl file: from <paramref name="Start"/> up to (not including) <paramref name="End"/>.</summary>
    internal readonly record struct SyntaxSpan(SourcePosition Start, SourcePosition End)
    {
        public static SyntaxSpan Join(SyntaxSpan from, SyntaxSpan to) => new SyntaxSpan(from.Start, to.End);
    }

    internal abstract record ConditionExpr(SyntaxSpan Span);

    internal sealed record AndExpr(SyntaxSpan Span, ConditionExpr Left, ConditionExpr Right) : ConditionExpr(Span);

    internal sealed record OrExpr(SyntaxSpan Span, ConditionExpr Left, ConditionExpr Right) : ConditionExpr(Span);

    internal sealed record NotExpr(SyntaxSpan Span, ConditionExpr Operand) : ConditionExpr(Span);

    /// <summary><paramref name="Left"/> <paramref name="Operator"/> <paramref name="Right"/>, the operator (== != &lt; &lt;= &gt; &gt;=) at <paramref name="OperatorSpan"/>.</summary>
    internal sealed record CompareExpr(SyntaxSpan Span, OperandExpr Left, string Operator, SyntaxSpan OperatorSpan, OperandExpr Right) : ConditionExpr(Span);

    /// <summary><c>left in (a, b, ...)</c>: left == one of the set.</summary>
    internal sealed record InExpr(SyntaxSpan Span, OperandExpr Left, IReadOnlyList<OperandExpr> Set) : ConditionExpr(Span);

    /// <summary>A value standing alone as a condition: a slot (is it answered?) or a bool.</summary>
    internal sealed record TestExpr(SyntaxSpan Span, OperandExpr Operand) : ConditionExpr(Span);

    /// <summary>A value a condition reads; <paramref name="Display"/> is how the diagnostics show it.</summary>
    internal abstract record OperandExpr(SyntaxSpan Span, string Display);

    /// <summary>
    /// A name (a slot, fact, loop variable or built-in root). <paramref name="BareWord"/>: the syntax
    /// writes a choice's values as bare words (the script's <c>room == 卧室</c>), so next to a choice
    /// slot this word may be one of its choices; never in Scriban, where a bare word is a variable.
    /// </summary>
    internal sealed record NameOperand(SyntaxSpan Span, string Name, bool BareWord) : OperandExpr(Span, Name);

    /// <summary><paramref name="Target"/>.<paramref name="Member"/>, the member's name at <paramref name="MemberSpan"/>.</summary>
    internal sealed record MemberOperand(SyntaxSpan Span, string Display, OperandExpr Target, string Member, SyntaxSpan MemberSpan) : OperandExpr(Span, Display);

    internal sealed record TextOperand(SyntaxSpan Span, string Display, string Value) : OperandExpr(Span, Display);

    /// <summary>A number as written (ASCII digits, optional fraction; in scripts also a percentage or a date 2026-12-12).</summary>
    internal sealed record NumberOperand(SyntaxSpan Span, string Display, string Text, bool Percent, bool IsDate) : OperandExpr(Span, Display);

    internal sealed record BoolOperand(SyntaxSpan Span, string Display, bool Value) : OperandExpr(Span, Display);

    /// <summary>A condition used as a value (Scriban's <c>(a == b) == true</c>, <c>{{ a == b }}</c>).</summary>
    internal sealed record ConditionOperand(SyntaxSpan Span, string Display, ConditionExpr Condition) : OperandExpr(Span, Display);

    /// <summary>Something the front end could not translate and has already reported (a syntax matter); binds to nothing, reports nothing more.</summary>
    internal sealed record InvalidOperand(SyntaxSpan Span, string Display) : OperandExpr(Span, Display);
}
