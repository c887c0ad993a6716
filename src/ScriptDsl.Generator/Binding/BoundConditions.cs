using System;
using ScriptDsl.Generator.Infrastructure;

// The bound expression tree of conditions, shared by recommend rules (`when` of a rule), gift
// `when` and `{{ if }}` (and the values `{{ ... }}` writes). The front ends (ScriptBinder.Conditions
// over the Sprache CondSyntax, TemplateBinder over Scriban's expression nodes) only translate their
// syntax into the one unbound syntax (ConditionSyntax.cs); the one ConditionBinder resolves names,
// type-checks, reports and builds this tree; the models hold it; only the emitters
// (Emitting/ConditionEmitter) write C# from it. Records with EquatableArray, so models holding a tree
// stay values for the incremental pipeline.
namespace ScriptDsl.Generator.Binding
{
    /// <summary>Where a built-in value lives at run time.</summary>
    public enum ValueRoot
    {
        Shop,
        Cart,
        Buyer,

        /// <summary>The recommended or cross-sold item (recommend and cross_sell replies).</summary>
        Item,

        /// <summary>The cart's pricing values in an ordinary reply (zeros when the caller computed none).</summary>
        Pricing,

        /// <summary>The policy values of a bargaining reply.</summary>
        Policy,

        /// <summary>The line of a <c>{{ for line in cart.lines }}</c> loop, by depth.</summary>
        Line,
    }

    /// <summary>A value of kind <see cref="Kind"/>.</summary>
    public abstract record BoundValue(ValueKind Kind)
    {
        /// <summary>The node's type, so a serialized tree (the bound-model snapshots) shows what each node is.</summary>
        public string Node => GetType().Name;
    }

    public sealed record BoundTextLiteral(string Value) : BoundValue(ValueKind.Text);

    /// <summary>An int, or money in fen (<paramref name="Kind"/> says which).</summary>
    public sealed record BoundWholeLiteral(ValueKind Kind, long Value) : BoundValue(Kind);

    public sealed record BoundNumberLiteral(decimal Value) : BoundValue(ValueKind.Number);

    public sealed record BoundDateLiteral(int Year, int Month, int Day) : BoundValue(ValueKind.Date);

    public sealed record BoundBoolLiteral(bool Value) : BoundValue(ValueKind.Bool);

    /// <summary>One of a choice slot's values: <paramref name="Ordinal"/> indexes the slot's choices.</summary>
    public sealed record BoundChoiceLiteral(int Ordinal, string Value) : BoundValue(ValueKind.Choice);

    /// <summary>The buyer's answer to slot <paramref name="Ordinal"/>; may be unanswered.</summary>
    public sealed record BoundSlot(int Ordinal, string Name, ValueKind Kind) : BoundValue(Kind);

    /// <summary>A shop fact, with its constant (<paramref name="Value"/>, a literal of the fact's kind).</summary>
    public sealed record BoundFact(string Name, ValueKind Kind, BoundValue Value) : BoundValue(Kind);

    /// <summary>
    /// A built-in value: <paramref name="Property"/> of <paramref name="Root"/> (empty for the object
    /// itself); <paramref name="Depth"/> the loop depth for <see cref="ValueRoot.Line"/>.
    /// <paramref name="Narrow"/>: an int the runtime holds as a C# int, compared only with numbers that fit.
    /// </summary>
    public sealed record BoundMember(ValueRoot Root, int Depth, string Property, ValueKind Kind, bool Narrow) : BoundValue(Kind);

    /// <summary>A condition used as a value (<c>{{ a == b }}</c> writes true or false).</summary>
    public sealed record BoundConditionValue(BoundCondition Condition) : BoundValue(ValueKind.Bool);

    /// <summary>A bool-valued test.</summary>
    public abstract record BoundCondition
    {
        /// <summary>The node's type, so a serialized tree (the bound-model snapshots) shows what each node is.</summary>
        public string Node => GetType().Name;

        /// <summary>What a condition that failed to bind becomes (never emitted: the file has errors).</summary>
        public static BoundCondition Error { get; } = new BoundTest(new BoundBoolLiteral(false));
    }

    public sealed record BoundAnd(BoundCondition Left, BoundCondition Right) : BoundCondition;

    public sealed record BoundOr(BoundCondition Left, BoundCondition Right) : BoundCondition;

    public sealed record BoundNot(BoundCondition Operand) : BoundCondition;

    /// <summary>Has the buyer answered the slot?</summary>
    public sealed record BoundIsAnswered(int Slot, string Name) : BoundCondition;

    /// <summary>A bool value as a condition (a bool fact, true/false, a bool built-in).</summary>
    public sealed record BoundTest(BoundValue Value) : BoundCondition;

    /// <summary>
    /// <paramref name="Left"/> <paramref name="Operator"/> <paramref name="Right"/> (== != &lt; &lt;= &gt; &gt;=),
    /// both sides of kinds that compare (<see cref="BoundConditions.Comparable"/>: Int and Number mix, Text and Choice mix). Text compares
    /// ordinally; a choice slot against a <see cref="BoundChoiceLiteral"/> compares ordinals. An
    /// unanswered slot is unequal to every value and neither smaller nor larger than any: != holds,
    /// every other comparison does not.
    /// </summary>
    public sealed record BoundComparison(BoundValue Left, string Operator, BoundValue Right) : BoundCondition;

    /// <summary><paramref name="Left"/> equals one of <paramref name="Set"/> (each as a == comparison).</summary>
    public sealed record BoundIn(BoundValue Left, EquatableArray<BoundValue> Set) : BoundCondition;

    /// <summary>What the kinds allow, the same for every syntax; and the compile-time value of a constant tree.</summary>
    public static class BoundConditions
    {
        /// <summary>Only these kinds have an order (&lt; &lt;= &gt; &gt;=).</summary>
        public static bool IsOrdered(ValueKind kind) =>
            kind == ValueKind.Int || kind == ValueKind.Money || kind == ValueKind.Number || kind == ValueKind.Date || kind == ValueKind.NumberLiteral;

        public static bool IsNumeric(ValueKind kind) => kind == ValueKind.Int || kind == ValueKind.Number;

        /// <summary>Texts and choices compare by their text (a choice with one of its values, by ordinal).</summary>
        public static bool IsTextual(ValueKind kind) => kind == ValueKind.Text || kind == ValueKind.Choice;

        /// <summary>
        /// Which kinds may be compared with each other, in every syntax: the same kind; a whole number
        /// with a number; a text with a choice.
        /// </summary>
        public static bool Comparable(ValueKind left, ValueKind right) =>
            left == right || (IsNumeric(left) && IsNumeric(right)) || (IsTextual(left) && IsTextual(right));

        /// <summary>The kind as the diagnostics name it ("text", "money", ...).</summary>
        public static string Name(ValueKind kind) => kind.ToString().ToLowerInvariant();

        /// <summary>The value when known at compile time (a literal or a fact with a known value), else null.</summary>
        public static BoundValue? ConstantOf(BoundValue value) => value switch
        {
            BoundFact fact => fact.Value,
            BoundConditionValue condition => Evaluate(condition.Condition) is bool b ? new BoundBoolLiteral(b) : null,
            BoundSlot _ or BoundMember _ => null,
            _ => value,
        };

        /// <summary>True or false when the condition is known at compile time (facts and literals), else null.</summary>
        public static bool? Evaluate(BoundCondition condition)
        {
            switch (condition)
            {
                case BoundTest test:
                    return ConstantOf(test.Value) is BoundBoolLiteral b ? b.Value : (bool?)null;
                case BoundNot not:
                    return Evaluate(not.Operand) is bool inner ? !inner : (bool?)null;
                case BoundAnd and:
                    return Junction(Evaluate(and.Left), Evaluate(and.Right), isAnd: true);
                case BoundOr or:
                    return Junction(Evaluate(or.Left), Evaluate(or.Right), isAnd: false);
                case BoundComparison comparison:
                    var left = ConstantOf(comparison.Left);
                    var right = ConstantOf(comparison.Right);
                    return left is null || right is null ? (bool?)null : Compare(left, right, comparison.Operator);
                default:
                    return null;
            }
        }

        /// <summary>false &amp;&amp; x and true || x are decided whatever x is.</summary>
        private static bool? Junction(bool? left, bool? right, bool isAnd)
        {
            if (left == !isAnd || right == !isAnd)
            {
                return !isAnd;
            }

            return left.HasValue && right.HasValue ? isAnd : (bool?)null;
        }

        private static bool Compare(BoundValue left, BoundValue right, string op)
        {
            int order;
            switch (left)
            {
                case BoundTextLiteral a when right is BoundTextLiteral b:
                    order = string.CompareOrdinal(a.Value, b.Value);
                    break;
                case BoundWholeLiteral a when right is BoundWholeLiteral b:
                    order = a.Value.CompareTo(b.Value);
                    break;
                case BoundWholeLiteral a when right is BoundNumberLiteral b:
                    order = ((decimal)a.Value).CompareTo(b.Value);
                    break;
                case BoundNumberLiteral a when right is BoundWholeLiteral b:
                    order = a.Value.CompareTo(b.Value);
                    break;
                case BoundNumberLiteral a when right is BoundNumberLiteral b:
                    order = a.Value.CompareTo(b.Value);
                    break;
                case BoundBoolLiteral a when right is BoundBoolLiteral b:
                    order = a.Value == b.Value ? 0 : 1;
                    break;
                case BoundDateLiteral a when right is BoundDateLiteral b:
                    order = a.Year != b.Year ? a.Year.CompareTo(b.Year) : a.Month != b.Month ? a.Month.CompareTo(b.Month) : a.Day.CompareTo(b.Day);
                    break;
                case BoundChoiceLiteral a when right is BoundChoiceLiteral b:
                    order = a.Ordinal == b.Ordinal ? 0 : 1;
                    break;
                default:
                    order = 1;
                    break;
            }

            return op switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            };
        }
    }
}
