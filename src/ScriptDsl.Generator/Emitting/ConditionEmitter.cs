using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using ScriptDsl.Generator.Binding;

namespace ScriptDsl.Generator.Emitting
{
    /// <summary>
    /// The bound condition tree (Binding/BoundConditions.cs) → a C# expression over
    /// <c>global::ScriptDsl.Templates.ScriptScope s</c>. One writer for recommend rules, gift
    /// <c>when</c> and <c>{{ if }}</c>, so the three mean the same thing at run time.
    /// </summary>
    internal static class ConditionEmitter
    {
        /// <param name="inlineFacts">
        /// True inside templates (they read only <c>s</c>, so a fact is written as its constant);
        /// false in the shop class, where a fact is its <c>Facts</c> member.
        /// </param>
        public static string Condition(BoundCondition condition, bool inlineFacts)
        {
            switch (condition)
            {
                case BoundAnd and:
                    return "(" + Condition(and.Left, inlineFacts) + " && " + Condition(and.Right, inlineFacts) + ")";
                case BoundOr or:
                    return "(" + Condition(or.Left, inlineFacts) + " || " + Condition(or.Right, inlineFacts) + ")";
                case BoundNot not:
                    return "!" + Condition(not.Operand, inlineFacts);
                case BoundIsAnswered answered:
                    return Slot(answered.Slot) + ".IsFilled";
                case BoundTest test:
                    return Value(test.Value, inlineFacts);
                case BoundComparison comparison:
                    return Comparison(comparison.Left, comparison.Operator, comparison.Right, inlineFacts);
                case BoundIn inSet:
                    return "(" + string.Join(" || ", inSet.Set.Select(v => Comparison(inSet.Left, "==", v, inlineFacts))) + ")";
                default:
                    return "false";
            }
        }

        /// <summary>
        /// Constants folded away (a bool fact, true/false, a comparison of two constants, and/or/not of
        /// them), so the emitter of a template keeps only the branch taken.
        /// </summary>
        public static BoundCondition Simplify(BoundCondition condition)
        {
            if (BoundConditions.Evaluate(condition) is bool known)
            {
                return new BoundTest(new BoundBoolLiteral(known));
            }

            switch (condition)
            {
                case BoundAnd and:
                    // Neither side is false (that would be known): a true side is dropped.
                    return BoundConditions.Evaluate(and.Left) == true ? Simplify(and.Right)
                        : BoundConditions.Evaluate(and.Right) == true ? Simplify(and.Left)
                        : new BoundAnd(Simplify(and.Left), Simplify(and.Right));
                case BoundOr or:
                    return BoundConditions.Evaluate(or.Left) == false ? Simplify(or.Right)
                        : BoundConditions.Evaluate(or.Right) == false ? Simplify(or.Left)
                        : new BoundOr(Simplify(or.Left), Simplify(or.Right));
                case BoundNot not:
                    return new BoundNot(Simplify(not.Operand));
                default:
                    return condition;
            }
        }

        /// <summary>A value as a C# expression. A slot is read as what its kind compares by (Text, Number, Money, Choice).</summary>
        public static string Value(BoundValue value, bool inlineFacts)
        {
            switch (value)
            {
                case BoundTextLiteral text:
                    return SymbolDisplay.FormatLiteral(text.Value, quote: true);
                case BoundWholeLiteral whole:
                    return whole.Value.ToString(CultureInfo.InvariantCulture) + "L";
                case BoundNumberLiteral number:
                    return number.Value.ToString(CultureInfo.InvariantCulture) + "m";
                case BoundDateLiteral date:
                    return string.Format(CultureInfo.InvariantCulture, "new global::System.DateOnly({0}, {1}, {2})", date.Year, date.Month, date.Day);
                case BoundBoolLiteral b:
                    return b.Value ? "true" : "false";
                case BoundChoiceLiteral choice:
                    return choice.Ordinal.ToString(CultureInfo.InvariantCulture) + " /* " + choice.Value.Replace("*/", "* /") + " */";
                case BoundSlot slot:
                    return Slot(slot.Ordinal) + slot.Kind switch
                    {
                        ValueKind.Choice => ".Choice",
                        ValueKind.Number => ".Number",
                        ValueKind.Int => ".Number",
                        ValueKind.Money => ".Money",
                        _ => ".Text",
                    };
                case BoundFact fact:
                    if (!inlineFacts)
                    {
                        return "Facts." + Names.FactMember(fact.Name);
                    }

                    return Value(fact.Value, inlineFacts);
                case BoundMember member:
                    return Member(member);
                case BoundConditionValue condition:
                    return Condition(condition.Condition, inlineFacts);
                default:
                    return "default";
            }
        }

        /// <summary>A value as text: a slot's Text (null when unanswered), anything else as it is.</summary>
        public static string Text(BoundValue value, bool inlineFacts) =>
            value is BoundSlot slot ? Slot(slot.Ordinal) + ".Text" : Value(value, inlineFacts);

        public static string Slot(int ordinal) => "s.Slots[" + ordinal.ToString(CultureInfo.InvariantCulture) + "]";

        public static string Member(BoundMember member)
        {
            var root = member.Root switch
            {
                ValueRoot.Shop => "s.Shop",
                ValueRoot.Cart => "s.Cart",
                ValueRoot.Buyer => "s.Buyer",
                ValueRoot.Item => "s.Item!",
                ValueRoot.Pricing => "(s.Policy ?? global::ScriptDsl.Templates.PolicyValues.None)",
                ValueRoot.Policy => "s.Policy!",
                _ => LoopVariable(member.Depth),
            };
            return member.Property.Length == 0 ? root : root + "." + member.Property;
        }

        /// <summary>The C# loop variable of a <c>{{ for }}</c> at <paramref name="depth"/> (line1, line2, ...; never a user's name).</summary>
        public static string LoopVariable(int depth) => "line" + depth.ToString(CultureInfo.InvariantCulture);

        private static string Comparison(BoundValue left, string op, BoundValue right, bool inlineFacts)
        {
            // A choice slot against one of its values compares ordinals; other text and choice values compare their text.
            var ordinal = left is BoundChoiceLiteral || right is BoundChoiceLiteral;
            var textual = !ordinal && (BoundConditions.IsTextual(left.Kind) || BoundConditions.IsTextual(right.Kind));
            var equal = textual
                ? "global::System.String.Equals(" + Text(left, inlineFacts) + ", " + Text(right, inlineFacts) + ", global::System.StringComparison.Ordinal)"
                : Value(left, inlineFacts) + " == " + Value(right, inlineFacts);
            var core = textual
                ? (op == "!=" ? "!" : "") + equal
                : Value(left, inlineFacts) + " " + op + " " + Value(right, inlineFacts);

            // An unanswered slot is unequal to every value and neither smaller nor larger than any:
            // != holds, every other comparison does not. An unanswered choice slot's ordinal is -1
            // (SlotValue.Empty), unequal to every choice, so an ordinal test needs no guard.
            var guards = new List<string>();
            foreach (var side in new[] { left, right })
            {
                if (side is BoundSlot slot && !ordinal && !guards.Contains(Slot(slot.Ordinal) + ".IsFilled"))
                {
                    guards.Add(Slot(slot.Ordinal) + ".IsFilled");
                }
            }

            if (guards.Count == 0)
            {
                return "(" + core + ")";
            }

            if (op == "!=")
            {
                return "!(" + string.Join(" && ", guards) + " && " + equal + ")";
            }

            return "(" + string.Join(" && ", guards) + " && " + core + ")";
        }
    }
}
