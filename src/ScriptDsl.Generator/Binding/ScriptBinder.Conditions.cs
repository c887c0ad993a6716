using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Parsing;

namespace ScriptDsl.Generator.Binding
{
    // The condition front end of the script syntax (the `when` of recommend rules and of gifts):
    // CondSyntax → the shared bound tree (BoundConditions.cs), with the SDSL01xx diagnostics.
    // {{ if }} builds the same tree from Scriban's expressions in Templates/TemplateBinder.cs.
    public sealed partial class ScriptBinder
    {
        /// <summary>An operand after name resolution: its kind and bound value; <paramref name="Untyped"/> for a literal not yet given the kind of the other side.</summary>
        private sealed record Operand(ValueKind Kind, BoundValue? Value, string Display, bool Untyped, SlotModel? ChoiceSlot, NumberLit? Literal, StringLit? Text);

        /// <summary>The built-in values a rule or gift condition may read.</summary>
        private static readonly (string Path, BoundMember Value)[] ConditionBuiltIns =
        {
            ("cart.total", new BoundMember(ValueRoot.Cart, 0, "TotalMinor", ValueKind.Money, Narrow: false)),
            ("cart.count", new BoundMember(ValueRoot.Cart, 0, "Count", ValueKind.Int, Narrow: false)),
            ("buyer.tier", new BoundMember(ValueRoot.Buyer, 0, "Tier", ValueKind.Text, Narrow: false)),
            ("shop.name", new BoundMember(ValueRoot.Shop, 0, "DisplayName", ValueKind.Text, Narrow: false)),
            ("shop.id", new BoundMember(ValueRoot.Shop, 0, "Id", ValueKind.Text, Narrow: false)),
        };

        /// <summary>Binds <paramref name="when"/> and adds it to the shop's conditions; its index, or -1 when it has errors.</summary>
        private int AddCondition(CondSyntax when, string source, int line)
        {
            var condition = BindCondition(when);
            if (condition is null)
            {
                return -1;
            }

            _conditions.Add(new ConditionModel(Source: source, Condition: condition, Line: line));
            return _conditions.Count - 1;
        }

        /// <summary>The condition as written (up to the arrow), for the comment in the generated code.</summary>
        private string SourceText(SourcePosition from, SourcePosition to)
        {
            var end = _text.LastIndexOf("->", Math.Max(from.Offset, Math.Min(to.Offset, _text.Length - 1)), StringComparison.Ordinal);
            var text = end > from.Offset ? _text.Substring(from.Offset, end - from.Offset) : "";
            return string.Join(" ", text.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        }

        /// <summary>The bound tree of <paramref name="cond"/>, or null when it has errors (reported).</summary>
        private BoundCondition? BindCondition(CondSyntax cond)
        {
            switch (cond)
            {
                case OrSyntax or:
                {
                    var l = BindCondition(or.Left);
                    var r = BindCondition(or.Right);
                    return l is null || r is null ? null : new BoundOr(l, r);
                }

                case AndSyntax and:
                {
                    var l = BindCondition(and.Left);
                    var r = BindCondition(and.Right);
                    return l is null || r is null ? null : new BoundAnd(l, r);
                }

                case NotSyntax not:
                {
                    var inner = BindCondition(not.Operand);
                    return inner is null ? null : new BoundNot(inner);
                }

                case InSyntax inSet:
                {
                    var parts = inSet.Set.Select(o => Compare(inSet.Left, "==", o, "in")).ToList();
                    if (parts.Any(p => p is null))
                    {
                        return null;
                    }

                    if (parts.Count == 0)
                    {
                        return new BoundTest(new BoundBoolLiteral(false));
                    }

                    // Each member was checked as left == member. A literal on the left may take a
                    // different kind per member: then it is the comparisons one by one.
                    if (parts.All(p => p!.Left.Equals(parts[0]!.Left)))
                    {
                        return new BoundIn(parts[0]!.Left, new EquatableArray<BoundValue>(parts.Select(p => p!.Right).ToArray()));
                    }

                    return parts.Skip(1).Aggregate((BoundCondition)parts[0]!, (all, p) => new BoundOr(all, p!));
                }

                case CompareSyntax compare when compare.Op is null:
                {
                    var bound = BindOperand(compare.Left);
                    if (bound is null)
                    {
                        return null;
                    }

                    if (bound.Value is BoundSlot slot)
                    {
                        return new BoundIsAnswered(slot.Ordinal, slot.Name);
                    }

                    if (bound.Kind == ValueKind.Bool && bound.Value is not null)
                    {
                        return new BoundTest(bound.Value);
                    }

                    Report(DiagnosticDescriptors.ConditionTypeMismatch, compare.Pos, 1, bound.Display, "nothing", "(no operator)", "A condition compares two values, e.g. room == 卧室; alone, only a slot (is it filled?) or a bool can stand.");
                    return null;
                }

                case CompareSyntax compare:
                    return Compare(compare.Left, compare.Op!, compare.Right!, compare.Op!);
            }

            return null;
        }

        private BoundComparison? Compare(OperandSyntax leftSyntax, string op, OperandSyntax rightSyntax, string shownOp)
        {
            var left = BindOperand(leftSyntax);
            if (left is null)
            {
                // The right side's meaning depends on the left (a choice value?): one error is enough.
                return null;
            }

            var right = BindOperand(rightSyntax, left.ChoiceSlot);
            if (right is null)
            {
                return null;
            }

            if (left.Untyped && !right.Untyped)
            {
                left = Adopt(left, right.Kind);
            }
            else if (right.Untyped && !left.Untyped)
            {
                right = Adopt(right, left.Kind);
            }
            else if (right.Untyped)
            {
                left = Adopt(left, ValueKind.Number);
                right = Adopt(right, ValueKind.Number);
            }

            if (left is null || right is null)
            {
                return null;
            }

            // A known text next to a choice slot must be one of its choices, and becomes that choice
            // (as in {{ if }}); a choice slot on the left already read the right side as its choice.
            if (right.ChoiceSlot is { } choiceSlot && left.Kind == ValueKind.Text && left.Value is { } text
                && BoundConditions.ConstantOf(text) is BoundTextLiteral known)
            {
                left = ChoiceValue(choiceSlot, known.Value, leftSyntax.Pos, left.Display.Length);
                if (left is null)
                {
                    return null;
                }
            }

            var compatible = BoundConditions.Comparable(left.Kind, right.Kind);
            if (!compatible || left.Value is null || right.Value is null)
            {
                var hint = left.Kind == ValueKind.Choice || right.Kind == ValueKind.Choice
                    ? "A choice slot is compared with one of its choices, e.g. room == 卧室."
                    : "Both sides must be the same kind of value (text, whole number, number, money, date, bool); a whole number compares with a number, a text with a choice.";
                Report(DiagnosticDescriptors.ConditionTypeMismatch, leftSyntax.Pos, 1, Describe(left), Describe(right), shownOp, hint);
                return null;
            }

            if (op != "==" && op != "!=" && (!BoundConditions.IsOrdered(left.Kind) || left.Kind == ValueKind.NumberLiteral))
            {
                Report(DiagnosticDescriptors.ConditionTypeMismatch, leftSyntax.Pos, 1, Describe(left), Describe(right), shownOp, "Only numbers, money and dates can be ordered; use == or != for " + BoundConditions.Name(left.Kind) + " values.");
                return null;
            }

            return new BoundComparison(left.Value, op, right.Value);
        }

        private static string Describe(Operand b) => b.Display + " (" + BoundConditions.Name(b.Kind) + ")";

        /// <summary>A literal number or text takes the kind of the other side: 500 next to money is 500 yuan.</summary>
        private Operand? Adopt(Operand literal, ValueKind kind)
        {
            if (literal.Text is not null)
            {
                return literal with { Kind = ValueKind.Text, Untyped = false, Value = new BoundTextLiteral(literal.Text.Value) };
            }

            var number = literal.Literal!;
            switch (kind)
            {
                case ValueKind.Money:
                    return TryMoney(number, out var fen) ? literal with { Kind = ValueKind.Money, Untyped = false, Value = new BoundWholeLiteral(ValueKind.Money, fen) } : null;
                case ValueKind.Int:
                    if (number.Text.IndexOf('.') < 0 && !number.IsDate && !number.Percent)
                    {
                        return TryInt(number, "whole number", out var n) ? literal with { Kind = ValueKind.Int, Untyped = false, Value = new BoundWholeLiteral(ValueKind.Int, n) } : null;
                    }

                    goto case ValueKind.Number;
                case ValueKind.Number:
                    if (TryDecimal(number, out var value))
                    {
                        return literal with { Kind = ValueKind.Number, Untyped = false, Value = new BoundNumberLiteral(value) };
                    }

                    Report(DiagnosticDescriptors.InvalidNumber, number.Pos, number.Text.Length, number.Text, "number", "Write digits with an optional decimal point, e.g. 170 or 1.5.");
                    return null;
                case ValueKind.Date:
                    return TryDate(number, out var y, out var m, out var d)
                        ? literal with { Kind = ValueKind.Date, Untyped = false, Value = new BoundDateLiteral(y, m, d) }
                        : null;
                default:
                    // Next to a text, bool or choice a number is a mismatch, reported by the caller.
                    return literal with { Kind = number.IsDate ? ValueKind.Date : ValueKind.Number, Untyped = false, Value = null };
            }
        }

        private Operand? BindOperand(OperandSyntax operand, SlotModel? choiceContext = null)
        {
            if (operand.Number is not null)
            {
                return new Operand(ValueKind.NumberLiteral, null, operand.Number.Text, Untyped: true, null, operand.Number, null);
            }

            if (operand.Text is not null)
            {
                if (choiceContext is not null)
                {
                    return ChoiceValue(choiceContext, operand.Text.Value, operand.Pos, operand.Text.Raw.Length + 2);
                }

                return new Operand(ValueKind.Text, null, "\"" + operand.Text.Value + "\"", Untyped: true, null, null, operand.Text);
            }

            var path = operand.Path!;
            var first = path[0];
            var dotted = string.Join(".", path.Select(p => p.Name));
            if (path.Count == 1)
            {
                if (choiceContext is not null)
                {
                    return ChoiceValue(choiceContext, first.Name, first.Pos, first.Name.Length);
                }

                for (var i = 0; i < _slots.Count; i++)
                {
                    var slot = _slots[i];
                    if (slot.Name == first.Name)
                    {
                        return new Operand(slot.Kind, new BoundSlot(i, slot.Name, slot.Kind), slot.Name, Untyped: false, slot.Kind == ValueKind.Choice ? slot : null, null, null);
                    }
                }

                foreach (var fact in _facts)
                {
                    if (fact.Name == first.Name)
                    {
                        return new Operand(fact.Kind, FactValue(fact), fact.Name, Untyped: false, null, null, null);
                    }
                }

                if (first.Name == "true" || first.Name == "false")
                {
                    return new Operand(ValueKind.Bool, new BoundBoolLiteral(first.Name == "true"), first.Name, Untyped: false, null, null, null);
                }
            }

            foreach (var (builtIn, value) in ConditionBuiltIns)
            {
                if (builtIn == dotted)
                {
                    return new Operand(value.Kind, value, dotted, Untyped: false, null, null, null);
                }
            }

            var known = _slots.Select(s => s.Name).Concat(_facts.Select(f => f.Name)).Concat(ConditionBuiltIns.Select(b => b.Path));
            Report(DiagnosticDescriptors.UnknownName, first.Pos, dotted.Length, dotted, Names.Suggest(dotted, known));
            return null;
        }

        private Operand? ChoiceValue(SlotModel slot, string value, SourcePosition pos, int length)
        {
            var normalized = Integration.Normalize(value);
            for (var c = 0; c < slot.Choices.Count; c++)
            {
                var choice = slot.Choices[c];
                if (choice.Value == value || Integration.Normalize(choice.Value) == normalized || choice.Synonyms.Contains(normalized))
                {
                    return new Operand(ValueKind.Choice, new BoundChoiceLiteral(c, choice.Value), choice.Value, Untyped: false, null, null, null);
                }
            }

            Report(DiagnosticDescriptors.UnknownChoice, pos, length, value, slot.Name, string.Join(", ", slot.Choices.Select(c => c.Value)));
            return null;
        }

        /// <summary>A fact as a bound value: its name, kind and constant.</summary>
        private static BoundFact FactValue(FactModel fact) => new BoundFact(fact.Name, fact.Kind, fact.Constant);
    }
}
