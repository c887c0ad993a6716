using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// A value after name resolution: its kind, its bound value (null only for a number written next
    /// to a value no number compares with), how diagnostics show it and where it is.
    /// </summary>
    internal sealed record BoundOperand(ValueKind Kind, BoundValue? Value, string Display, SyntaxSpan Span)
    {
        /// <summary>The slot when the value is a slot's answer (it may be unanswered).</summary>
        public ScopeSlot? Slot { get; init; }

        /// <summary>For objects: the key of its members in <see cref="ConditionScope.Objects"/>.</summary>
        public string? ObjectName { get; init; }

        /// <summary>An int the runtime holds as a C# int: compared only with numbers that fit (or C# warns, CS0652).</summary>
        public bool Narrow { get; init; }

        /// <summary>A number as written, before it takes the kind of what it is compared with (Kind is NumberLiteral until then).</summary>
        public NumberOperand? Number { get; init; }

        public bool Untyped => Kind == ValueKind.NumberLiteral && Number is not null;

        /// <summary>The choice slot this value is the answer of, or null.</summary>
        public ScopeSlot? ChoiceSlot => Kind == ValueKind.Choice && Value is BoundSlot ? Slot : null;
    }

    /// <summary>
    /// The one condition binder of the language. Recommend rules, gift <c>when</c> and <c>{{ if }}</c>
    /// (and the values <c>{{ ... }}</c> and <c>{{ for }}</c> read) arrive as the one unbound syntax
    /// (ConditionSyntax.cs), whichever syntax they were written in; this class resolves their names
    /// against a <see cref="ConditionScope"/>, gives every value its <see cref="ValueKind"/>, lets a
    /// written number take the kind of what it is compared with, applies the one comparability rule
    /// (<see cref="BoundConditions.Comparable"/>, <see cref="BoundConditions.IsOrdered"/>), suggests
    /// the closest name, and reports each problem once, under one ID and one message wherever it was
    /// written. The result is the shared bound tree (BoundConditions.cs); only the emitter writes C#.
    /// </summary>
    internal sealed class ConditionBinder
    {
        private readonly ConditionScope _scope;
        private readonly string _path;
        private readonly List<DiagnosticInfo> _diagnostics;
        private readonly List<TemplateNameUse>? _names;

        /// <param name="names">When given, receives every name path the values use (<c>gift.name</c>, <c>room</c>), in binding order.</param>
        public ConditionBinder(ConditionScope scope, string path, List<DiagnosticInfo> diagnostics, List<TemplateNameUse>? names = null)
        {
            _scope = scope;
            _path = path;
            _diagnostics = diagnostics;
            _names = names;
        }

        /// <summary>The bound tree of <paramref name="condition"/>, or null when it has errors (reported).</summary>
        public BoundCondition? Bind(ConditionExpr condition)
        {
            switch (condition)
            {
                case OrExpr or:
                {
                    var l = Bind(or.Left);
                    var r = Bind(or.Right);
                    return l is null || r is null ? null : new BoundOr(l, r);
                }

                case AndExpr and:
                {
                    var l = Bind(and.Left);
                    var r = Bind(and.Right);
                    return l is null || r is null ? null : new BoundAnd(l, r);
                }

                case NotExpr not:
                {
                    var inner = Bind(not.Operand);
                    return inner is null ? null : new BoundNot(inner);
                }

                case TestExpr test:
                    return Test(test);

                case CompareExpr compare:
                    return Compare(compare.Left, compare.Operator, compare.OperatorSpan, compare.Right, compare.Operator);

                case InExpr inSet:
                    return In(inSet);

                default:
                    return null;
            }
        }

        /// <summary>A value: a name, a member, a literal or a condition; null when it has errors (reported).</summary>
        public BoundOperand? BindValue(OperandExpr operand) => Operand(operand, choiceContext: null);

        /// <summary>How the diagnostics describe a value's kind ("a text slot", "money", ...).</summary>
        public static string Describe(BoundOperand value)
        {
            var slot = value.Slot is not null;
            switch (value.Kind)
            {
                case ValueKind.Text:
                    return slot ? "a text slot" : "a text";
                case ValueKind.Int:
                    return "an int";
                case ValueKind.Money:
                    return slot ? "a money slot" : "money";
                case ValueKind.Number:
                case ValueKind.NumberLiteral:
                    return slot ? "a number slot" : "a number";
                case ValueKind.Date:
                    return "a date";
                case ValueKind.Bool:
                    return "a bool";
                case ValueKind.Choice:
                    return slot ? "a choice slot" : "a choice";
                case ValueKind.List:
                    return "a list";
                case ValueKind.Object:
                    return "an object";
                default:
                    return "an invalid value";
            }
        }

        // ---- conditions

        private BoundCondition? Test(TestExpr test)
        {
            var value = BindValue(test.Operand);
            if (value is null)
            {
                return null;
            }

            if (value.Value is BoundSlot slot && value.Slot is not null)
            {
                return new BoundIsAnswered(slot.Ordinal, slot.Name);
            }

            if (value.Kind == ValueKind.Bool && value.Value is not null)
            {
                return new BoundTest(value.Value);
            }

            Report(DiagnosticDescriptors.ConditionNotATest, value.Span, value.Display, Describe(value));
            return null;
        }

        private BoundCondition? In(InExpr inSet)
        {
            if (inSet.Set.Count == 0)
            {
                return new BoundTest(new BoundBoolLiteral(false));
            }

            var parts = new List<BoundCondition>(inSet.Set.Count);
            foreach (var member in inSet.Set)
            {
                // Each member is checked as left == member: a literal on the left takes the kind of each.
                var part = Compare(inSet.Left, "==", inSet.Left.Span, member, "in");
                if (part is null)
                {
                    return null;
                }

                parts.Add(part);
            }

            var comparisons = parts.OfType<BoundComparison>().ToList();
            if (comparisons.Count == parts.Count && comparisons.All(p => p.Left.Equals(comparisons[0].Left)))
            {
                return new BoundIn(comparisons[0].Left, new EquatableArray<BoundValue>(comparisons.Select(p => p.Right).ToArray()));
            }

            return parts.Skip(1).Aggregate(parts[0], (all, p) => new BoundOr(all, p));
        }

        private BoundCondition? Compare(OperandExpr leftSyntax, string op, SyntaxSpan operatorSpan, OperandExpr rightSyntax, string shownOp)
        {
            var left = Operand(leftSyntax, choiceContext: null);
            if (left is null)
            {
                // A bare word on the right may be one of the choices of the left: what it means
                // depends on the left, so one error is enough. Any other right side is still checked.
                if (!(rightSyntax is NameOperand { BareWord: true }))
                {
                    Operand(rightSyntax, choiceContext: null);
                }

                return null;
            }

            var right = Operand(rightSyntax, left.ChoiceSlot);
            if (right is null)
            {
                return null;
            }

            // A number as written takes the kind of the other side: 500 next to money is 500 yuan.
            if (left.Untyped && !right.Untyped)
            {
                left = Adopt(left, right);
            }
            else if (right.Untyped && !left.Untyped)
            {
                right = Adopt(right, left);
            }
            else if (left.Untyped)
            {
                left = left with { Kind = ValueKind.Number };
                right = right with { Kind = ValueKind.Number };
            }

            if (left is null || right is null)
            {
                return null;
            }

            // A known text next to a choice slot must be one of its choices, and becomes that choice.
            if (right.ChoiceSlot is { } rightChoices && KnownText(left) is string leftText)
            {
                left = ChoiceValue(rightChoices, leftText, left.Span);
            }
            else if (left.ChoiceSlot is { } leftChoices && KnownText(right) is string rightText)
            {
                right = ChoiceValue(leftChoices, rightText, right.Span);
            }

            if (left is null || right is null)
            {
                return null;
            }

            var whole = SyntaxSpan.Join(left.Span, right.Span);
            if (!BoundConditions.Comparable(left.Kind, right.Kind) || !Compares(left.Kind) || left.Value is null || right.Value is null)
            {
                var hint = left.Kind == ValueKind.Choice || right.Kind == ValueKind.Choice
                    ? "A choice slot compares with one of its choices, e.g. room == \"卧室\"."
                    : "Compare values of one kind: text with text, money, int or number with a number, a date with a date, a bool with true or false; an int compares with a number, a text with a choice.";
                Report(DiagnosticDescriptors.ConditionTypeMismatch, whole, left.Display, Describe(left), right.Display, Describe(right), shownOp, hint);
                return null;
            }

            if (op != "==" && op != "!=" && !BoundConditions.IsOrdered(left.Kind))
            {
                Report(DiagnosticDescriptors.OrderingOnUnorderedKind, operatorSpan, op, left.Display, Describe(left));
                return null;
            }

            var comparison = new BoundComparison(left.Value, op, right.Value);
            if (_scope.UnansweredTextsEqual && BoundConditions.IsTextual(left.Kind) && BoundConditions.IsTextual(right.Kind)
                && left.Value is BoundSlot leftSlot && right.Value is BoundSlot rightSlot)
            {
                // Scriban: two unanswered slots are both null, and null == null. (An unanswered slot
                // is otherwise unequal to every value: the comparison's own rule.)
                var equal = new BoundComparison(left.Value, "==", right.Value);
                var bothUnanswered = new BoundAnd(
                    new BoundNot(new BoundIsAnswered(leftSlot.Ordinal, leftSlot.Name)),
                    new BoundNot(new BoundIsAnswered(rightSlot.Ordinal, rightSlot.Name)));
                var equalOrBoth = new BoundOr(equal, bothUnanswered);
                return op == "==" ? equalOrBoth : new BoundNot(equalOrBoth);
            }

            return comparison;
        }

        /// <summary>Lists and objects are read (for, members), never compared.</summary>
        private static bool Compares(ValueKind kind) => kind != ValueKind.List && kind != ValueKind.Object && kind != ValueKind.Error;

        private static string? KnownText(BoundOperand value) =>
            value.Kind == ValueKind.Text && value.Value is { } bound && BoundConditions.ConstantOf(bound) is BoundTextLiteral text ? text.Value : null;

        /// <summary>A written number as the kind of <paramref name="other"/>; null when it cannot be one (reported).</summary>
        private BoundOperand? Adopt(BoundOperand literal, BoundOperand other)
        {
            var number = ((BoundNumberLiteral)literal.Value!).Value;
            switch (other.Kind)
            {
                case ValueKind.Money:
                {
                    var fen = number * 100m;
                    if (decimal.Truncate(fen) != fen)
                    {
                        Report(DiagnosticDescriptors.MoneyPrecision, literal.Span, literal.Display);
                        return null;
                    }

                    if (fen > long.MaxValue || fen < long.MinValue)
                    {
                        Report(DiagnosticDescriptors.NumberCannotTakeKind, literal.Span, literal.Display, other.Display, Describe(other), "it is too large for money");
                        return null;
                    }

                    return literal with { Kind = ValueKind.Money, Value = new BoundWholeLiteral(ValueKind.Money, (long)fen) };
                }

                case ValueKind.Int:
                    if (decimal.Truncate(number) != number)
                    {
                        // A whole number compares with a number: 48 > 1.5.
                        return literal with { Kind = ValueKind.Number };
                    }

                    if (number > long.MaxValue || number < long.MinValue)
                    {
                        Report(DiagnosticDescriptors.NumberCannotTakeKind, literal.Span, literal.Display, other.Display, Describe(other), "it is too large for an int");
                        return null;
                    }

                    if (other.Narrow && (number > int.MaxValue || number < int.MinValue))
                    {
                        Report(DiagnosticDescriptors.NumberCannotTakeKind, literal.Span, literal.Display, other.Display, Describe(other), "it is always between -2147483648 and 2147483647");
                        return null;
                    }

                    return literal with { Kind = ValueKind.Int, Value = new BoundWholeLiteral(ValueKind.Int, (long)number) };

                default:
                    // A number; next to anything else a mismatch, which the caller reports.
                    return literal with { Kind = ValueKind.Number };
            }
        }

        // ---- values

        private BoundOperand? Operand(OperandExpr operand, ScopeSlot? choiceContext)
        {
            switch (operand)
            {
                case NumberOperand number:
                    return Number(number);

                case TextOperand text:
                    return choiceContext is not null
                        ? ChoiceValue(choiceContext, text.Value, text.Span)
                        : new BoundOperand(ValueKind.Text, new BoundTextLiteral(text.Value), text.Display, text.Span);

                case BoolOperand b:
                    return new BoundOperand(ValueKind.Bool, new BoundBoolLiteral(b.Value), b.Display, b.Span);

                case ConditionOperand condition:
                {
                    var bound = Bind(condition.Condition);
                    return bound is null ? null : new BoundOperand(ValueKind.Bool, new BoundConditionValue(bound), condition.Display, condition.Span);
                }

                case NameOperand name:
                    RecordName(name.Name, name.Span);
                    if (choiceContext is not null && name.BareWord)
                    {
                        // The script writes a choice as a bare word: room == 卧室.
                        if (FindChoice(choiceContext, name.Name) is { } choice)
                        {
                            return choice with { Span = name.Span };
                        }

                        if (Lookup(name) is null)
                        {
                            return ChoiceValue(choiceContext, name.Name, name.Span);
                        }
                    }

                    return Name(name);

                case MemberOperand member:
                    if (DottedPath(member) is string path)
                    {
                        RecordName(path, member.Span);
                    }

                    return Member(member);

                default:
                    // InvalidOperand: the front end has reported it.
                    return null;
            }
        }

        private BoundOperand? Number(NumberOperand number)
        {
            if (number.IsDate)
            {
                var parts = number.Text.Split('-');
                if (parts.Length == 3 && parts[0].Length == 4
                    && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                    && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
                    && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
                    && year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
                {
                    return new BoundOperand(ValueKind.Date, new BoundDateLiteral(year, month, day), number.Display, number.Span);
                }

                Report(DiagnosticDescriptors.InvalidNumber, number.Span, number.Display, "date", "Write a real date as year-month-day, e.g. 2026-12-12.");
                return null;
            }

            if (number.Percent)
            {
                Report(DiagnosticDescriptors.InvalidNumber, number.Span, number.Display, "value in a condition", "A condition compares plain numbers: write 90 or 0.9, not 90%.");
                return null;
            }

            if (!decimal.TryParse(number.Text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Report(DiagnosticDescriptors.InvalidNumber, number.Span, number.Display, "number", "It is too large: a number has at most 28 digits.");
                return null;
            }

            return new BoundOperand(ValueKind.NumberLiteral, new BoundNumberLiteral(value), number.Display, number.Span) { Number = number };
        }

        /// <summary>What <paramref name="name"/> names here, without reporting; null when nothing.</summary>
        private Func<BoundOperand?>? Lookup(NameOperand name)
        {
            var loops = _scope.LoopVariables;
            for (var i = loops.Count - 1; i >= 0; i--)
            {
                if (string.Equals(loops[i], name.Name, StringComparison.Ordinal))
                {
                    var depth = i + 1;
                    return () => new BoundOperand(ValueKind.Object, new BoundMember(ValueRoot.Line, depth, string.Empty, ValueKind.Object, Narrow: false), name.Name, name.Span) { ObjectName = "line" };
                }
            }

            foreach (var fact in _scope.Facts)
            {
                if (string.Equals(fact.Name, name.Name, StringComparison.Ordinal))
                {
                    return () => new BoundOperand(fact.Kind, new BoundFact(fact.Name, fact.Kind, fact.Constant), name.Name, name.Span);
                }
            }

            foreach (var slot in _scope.Slots)
            {
                if (string.Equals(slot.Name, name.Name, StringComparison.Ordinal))
                {
                    return () => new BoundOperand(slot.Kind, new BoundSlot(slot.Ordinal, slot.Name, slot.Kind), name.Name, name.Span) { Slot = slot };
                }
            }

            foreach (var root in _scope.Roots)
            {
                if (string.Equals(root.Name, name.Name, StringComparison.Ordinal))
                {
                    if (root.Unavailable is { } unavailable)
                    {
                        return () =>
                        {
                            Report(unavailable, name.Span, root.UnavailableArgs ?? Array.Empty<string>());
                            return null;
                        };
                    }

                    var value = root.Value;
                    return () => new BoundOperand(value.Kind, new BoundMember(root.Root, 0, value.Property, value.Kind, value.Narrow), name.Name, name.Span)
                    {
                        ObjectName = value.ObjectName,
                        Narrow = value.Narrow,
                    };
                }
            }

            return null;
        }

        private BoundOperand? Name(NameOperand name)
        {
            if (Lookup(name) is { } bind)
            {
                return bind();
            }

            Report(DiagnosticDescriptors.UnknownName, name.Span, name.Name, Names.Suggest(name.Name, _scope.KnownNames()));
            return null;
        }

        private BoundOperand? Member(MemberOperand member)
        {
            var target = member.Target is MemberOperand inner ? Member(inner) : member.Target is NameOperand name ? Name(name) : Operand(member.Target, choiceContext: null);
            if (target is null)
            {
                return null;
            }

            var at = new SyntaxSpan(member.MemberSpan.Start, member.Span.End);
            if (target.Kind != ValueKind.Object || target.ObjectName is null || !(target.Value is BoundMember root)
                || !_scope.Objects.TryGetValue(target.ObjectName, out var members))
            {
                Report(DiagnosticDescriptors.UnknownMember, at, target.Display, member.Member, "it is " + Describe(target) + " and has no members; write '" + target.Display + "' alone");
                return null;
            }

            foreach (var m in members)
            {
                if (string.Equals(m.Name, member.Member, StringComparison.Ordinal))
                {
                    return new BoundOperand(m.Kind, new BoundMember(root.Root, root.Depth, m.Property, m.Kind, m.Narrow), member.Display, member.Span)
                    {
                        ObjectName = m.ObjectName,
                        Narrow = m.Narrow,
                    };
                }
            }

            var names = members.Select(m => m.Name).ToArray();
            Report(
                DiagnosticDescriptors.UnknownMember,
                at,
                target.Display,
                member.Member,
                "did you mean '" + target.Display + "." + TemplateValues.Closest(member.Member, names) + "'? The members of '" + target.Display + "' are: " + string.Join(", ", names));
            return null;
        }

        /// <summary>One of the slot's choices written as <paramref name="value"/>; reported when it is none of them.</summary>
        private BoundOperand? ChoiceValue(ScopeSlot slot, string value, SyntaxSpan span)
        {
            if (FindChoice(slot, value) is { } choice)
            {
                return choice with { Span = span };
            }

            Report(DiagnosticDescriptors.UnknownChoice, span, value, slot.Name, string.Join(", ", slot.Choices.Select(c => c.Value)));
            return null;
        }

        private BoundOperand? FindChoice(ScopeSlot slot, string value)
        {
            var normalized = _scope.ChoiceSynonyms ? Integration.Normalize(value) : null;
            for (var c = 0; c < slot.Choices.Count; c++)
            {
                var choice = slot.Choices[c];
                if (string.Equals(choice.Value, value, StringComparison.Ordinal)
                    || (normalized is not null && (string.Equals(Integration.Normalize(choice.Value), normalized, StringComparison.Ordinal) || choice.Synonyms.Contains(normalized, StringComparer.Ordinal))))
                {
                    return new BoundOperand(ValueKind.Choice, new BoundChoiceLiteral(c, choice.Value), choice.Value, default);
                }
            }

            return null;
        }

        private static string? DottedPath(OperandExpr operand) => operand switch
        {
            NameOperand name => name.Name,
            MemberOperand member => DottedPath(member.Target) is string target ? target + "." + member.Member : null,
            _ => null,
        };

        private void RecordName(string path, SyntaxSpan span) => _names?.Add(new TemplateNameUse(path, span.Start));

        private void Report(DiagnosticDescriptor descriptor, SyntaxSpan span, params string[] args) =>
            _diagnostics.Add(DiagnosticInfo.Create(descriptor, _path, span.Start, span.End, args));
    }
}
