using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>
    /// Syntax tree → checked, bound tree. The template's own part: text, <c>{{ ... }}</c> outputs and
    /// their filters, <c>{{ if }}</c> branches and <c>{{ for }}</c> loops. Every value and condition is
    /// translated from Scriban's expressions into the one unbound condition syntax
    /// (Binding/ConditionSyntax.cs, positions mapped to the .csdsl file) and bound by the one
    /// <see cref="ConditionBinder"/> against the template's <see cref="ConditionScope"/> — the binder
    /// recommend rules and gift conditions use — so names, kinds, literals and their diagnostics are
    /// the same in every place. Constants fold (facts are inlined); a value that failed to bind has
    /// type Error and produces no further diagnostics; the emitter writes the C#.
    /// </summary>
    internal sealed class TemplateBinder
    {
        /// <summary>A bound value with where it is in the template text (for the template's own diagnostics).</summary>
        private sealed class Value
        {
            public Value(BoundOperand? operand, string display, int start, int end)
            {
                Operand = operand;
                Type = operand?.Kind ?? ValueKind.Error;
                Bound = operand?.Value ?? new BoundBoolLiteral(false);
                Display = operand?.Display ?? display;
                Start = start;
                End = end;
                Constant = operand?.Value is { } bound ? ConstantObject(bound) : null;
            }

            public BoundOperand? Operand { get; }

            public ValueKind Type { get; }

            /// <summary>The value in the shared bound tree.</summary>
            public BoundValue Bound { get; }

            public string Display { get; }

            public int Start { get; }

            public int End { get; }

            /// <summary>string, long, decimal, bool or DateValue when known at compile time.</summary>
            public object? Constant { get; }

            /// <summary>For Object values: the key into the scope's objects.</summary>
            public string? ObjectName => Operand?.ObjectName;

            /// <summary>A slot's answer: it may be unanswered.</summary>
            public bool Optional => Operand?.Slot is not null;

            private static object? ConstantObject(BoundValue value) => BoundConditions.ConstantOf(value) switch
            {
                BoundTextLiteral text => text.Value,
                BoundWholeLiteral whole => whole.Value,
                BoundNumberLiteral number => number.Value,
                BoundBoolLiteral b => b.Value,
                BoundDateLiteral date => new DateValue(date.Year, date.Month, date.Day),
                _ => null,
            };
        }

        private static readonly string[] Filters = { "money", "date", "default" };

        private readonly TemplateText _text;
        private readonly ConditionScope _scope;
        private readonly ConditionBinder _binder;

        private TemplateBinder(TemplateText text, TemplateEnvironment environment, List<TemplateNameUse> names)
        {
            _text = text;
            _scope = ConditionScope.ForTemplate(environment);
            _binder = new ConditionBinder(_scope, text.FilePath, text.Diagnostics, names);
        }

        /// <param name="names">Receives every value the template names, in source order of binding.</param>
        public static EquatableArray<BoundNode> Bind(TemplateText text, TemplateEnvironment environment, List<TemplateNode> nodes, List<TemplateNameUse> names) =>
            new TemplateBinder(text, environment, names).BindNodes(nodes);

        private EquatableArray<BoundNode> BindNodes(List<TemplateNode> nodes)
        {
            var result = new List<BoundNode>(nodes.Count);
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case TextNode text:
                        result.Add(new BoundText(text.Text));
                        break;
                    case OutputNode output:
                        var bound = BindOutput(output.Expression);
                        if (bound != null)
                        {
                            result.Add(bound);
                        }

                        break;
                    case IfNode ifNode:
                        var branches = new List<BoundBranch>();
                        foreach (var branch in ifNode.Branches)
                        {
                            var condition = branch.Condition is null ? null : _binder.Bind(ReadCondition(branch.Condition));
                            branches.Add(new BoundBranch(condition ?? BoundCondition.Error, BindNodes(branch.Body)));
                        }

                        result.Add(new BoundIf(branches.ToEquatableArray(), ifNode.Else is null ? null : new BoundElse(BindNodes(ifNode.Else))));
                        break;
                    case ForNode forNode:
                        result.Add(BindFor(forNode));
                        break;
                }
            }

            return result.ToEquatableArray();
        }

        private BoundNode BindFor(ForNode node)
        {
            BoundValue? listValue = null;
            if (node.List != null)
            {
                var list = BindValue(node.List);
                if (list.Type == ValueKind.List)
                {
                    listValue = list.Bound;
                }
                else if (list.Type != ValueKind.Error)
                {
                    _text.Report(DiagnosticDescriptors.TemplateForRequiresList, list.Start, list.End, list.Display, Describe(list));
                }
            }

            _scope.PushLoopVariable(node.Variable);
            var body = BindNodes(node.Body);
            _scope.PopLoopVariable();
            return new BoundFor(_scope.LoopVariables.Count + 1, listValue, body);
        }

        private Value BindValue(TemplateExpression expression) =>
            new Value(_binder.BindValue(ReadOperand(expression)), _text.Slice(expression.Start, expression.End), expression.Start, expression.End);

        private static string Describe(Value value) => value.Operand is { } operand ? ConditionBinder.Describe(operand) : "an invalid value";

        // ---- Scriban's expressions -> the shared unbound syntax (no names resolved, nothing typed)

        private SyntaxSpan Span(int start, int end) => new SyntaxSpan(_text.PositionAt(start), _text.PositionAt(Math.Max(start, end)));

        private ConditionExpr ReadCondition(TemplateExpression expression)
        {
            switch (expression)
            {
                case UnaryExpression unary:
                    return new NotExpr(Span(unary.Start, unary.End), ReadCondition(unary.Operand));
                case BinaryExpression binary when binary.Operator == "&&" || binary.Operator == "||":
                    var left = ReadCondition(binary.Left);
                    var right = ReadCondition(binary.Right);
                    var span = Span(binary.Start, binary.End);
                    return binary.Operator == "&&" ? new AndExpr(span, left, right) : (ConditionExpr)new OrExpr(span, left, right);
                case BinaryExpression comparison:
                    return new CompareExpr(
                        Span(comparison.Start, comparison.End),
                        ReadOperand(comparison.Left),
                        comparison.Operator,
                        Span(comparison.OperatorStart, comparison.OperatorStart + comparison.Operator.Length),
                        ReadOperand(comparison.Right));
                default:
                    var operand = ReadOperand(expression);
                    return new TestExpr(operand.Span, operand);
            }
        }

        private OperandExpr ReadOperand(TemplateExpression expression)
        {
            var span = Span(expression.Start, expression.End);
            var display = _text.Slice(expression.Start, expression.End);
            switch (expression)
            {
                case NameExpression name:
                    // In Scriban a bare word is always a variable, never one of a choice's values.
                    return new NameOperand(span, name.Name, BareWord: false);
                case MemberExpression member:
                    var target = ReadOperand(member.Target);
                    return new MemberOperand(span, target.Display + "." + member.Member, target, member.Member, Span(member.MemberStart, member.End));
                case LiteralExpression literal:
                    switch (literal.Kind)
                    {
                        case LiteralKind.String:
                            return new TextOperand(span, display, literal.Text);
                        case LiteralKind.Bool:
                            return new BoolOperand(span, display, string.Equals(literal.Text, "true", StringComparison.Ordinal));
                        default:
                            return new NumberOperand(span, display, literal.Text, Percent: false, IsDate: false);
                    }

                case UnaryExpression _:
                case BinaryExpression _:
                    return new ConditionOperand(span, display, ReadCondition(expression));
                case FilterExpression filter:
                    // A syntax matter of templates: filters format what '{{ ... }}' writes.
                    _text.Report(
                        DiagnosticDescriptors.UnsupportedTemplateConstruct,
                        filter.FilterStart,
                        filter.FilterEnd,
                        "A filter inside a condition or comparison",
                        "filters only format what '{{ ... }}' writes; compare the value itself");
                    return new InvalidOperand(span, display);
                default:
                    return new InvalidOperand(span, display);
            }
        }

        // ---- output ----

        /// <summary>What a '{{ value | filters }}' block writes, step by step through its filters.</summary>
        private sealed class Output
        {
            public Output(Value value)
            {
                Value = value;
                Type = value.Type;
                Optional = value.Optional;
            }

            public Value Value { get; }

            public ValueKind Type { get; set; }

            public bool Optional { get; set; }

            /// <summary>Turned into text by money/date/default: nothing left to decide.</summary>
            public bool Formatted { get; set; }

            public string? ConstantText { get; set; }

            public WriteMethod? Method { get; set; }

            /// <summary>The date format, or the default text.</summary>
            public string? Argument { get; set; }

            /// <summary>Written only when the slot is answered.</summary>
            public bool Guarded { get; set; }

            public string? Fallback { get; set; }

            public int Width { get; set; }
        }

        private BoundNode? BindOutput(TemplateExpression expression)
        {
            var filters = new List<FilterExpression>();
            var target = expression;
            while (target is FilterExpression filter)
            {
                filters.Insert(0, filter);
                target = filter.Target;
            }

            var output = new Output(BindValue(target));
            foreach (var filter in filters)
            {
                if (output.Type == ValueKind.Error)
                {
                    break;
                }

                ApplyFilter(output, filter);
            }

            if (output.Type == ValueKind.Error)
            {
                return null;
            }

            if (!output.Formatted)
            {
                Finish(output);
            }

            if (output.Type == ValueKind.Error)
            {
                return null;
            }

            if (output.ConstantText != null)
            {
                return new BoundText(output.ConstantText);
            }

            return new BoundWrite(output.Method ?? WriteMethod.Append, output.Value.Bound, output.Argument, output.Guarded, output.Fallback, output.Width);
        }

        private void ApplyFilter(Output output, FilterExpression filter)
        {
            var value = output.Value;
            switch (filter.Filter)
            {
                case "money":
                    if (filter.Arguments.Count != 0)
                    {
                        _text.Report(DiagnosticDescriptors.TemplateFilterArguments, filter.Arguments[0].Start, filter.End, "money", "takes no arguments", "'{{ total | money }}'");
                        output.Type = ValueKind.Error;
                        return;
                    }

                    if (output.Type != ValueKind.Money || output.Formatted)
                    {
                        _text.Report(DiagnosticDescriptors.MoneyFilterRequiresMoney, filter.FilterStart, filter.FilterEnd, value.Display, output.Formatted ? "already text" : Describe(value));
                        output.Type = ValueKind.Error;
                        return;
                    }

                    if (value.Constant is long minor)
                    {
                        output.ConstantText = TemplateValues.FormatMoney(minor);
                    }
                    else
                    {
                        output.Method = WriteMethod.AppendMoney;
                        output.Guarded = value.Optional;
                        output.Width = 6;
                    }

                    output.Type = ValueKind.Text;
                    output.Formatted = true;
                    return;

                case "date":
                    var format = SingleStringArgument(filter, "'{{ promo_end | date \"M月d日\" }}'");
                    if (format is null)
                    {
                        output.Type = ValueKind.Error;
                        return;
                    }

                    if (output.Type != ValueKind.Date || output.Formatted)
                    {
                        _text.Report(DiagnosticDescriptors.DateFilterRequiresDate, filter.FilterStart, filter.FilterEnd, value.Display, output.Formatted ? "already text" : Describe(value));
                        output.Type = ValueKind.Error;
                        return;
                    }

                    var unsupported = TemplateValues.FindUnsupportedDateSpecifier(format);
                    if (unsupported != null)
                    {
                        _text.Report(DiagnosticDescriptors.UnsupportedTemplateDateFormat, filter.Arguments[0].Start, filter.Arguments[0].End, format, unsupported);
                        output.Type = ValueKind.Error;
                        return;
                    }

                    if (value.Constant is DateValue date)
                    {
                        output.ConstantText = TemplateValues.FormatDate(date, format);
                    }
                    else
                    {
                        output.Method = WriteMethod.AppendDate;
                        output.Argument = format;
                        output.Width = format.Length + 2;
                    }

                    output.Type = ValueKind.Text;
                    output.Formatted = true;
                    return;

                case "default":
                    var fallback = SingleStringArgument(filter, "'{{ budget | money | default \"您的预算\" }}'");
                    if (fallback is null)
                    {
                        output.Type = ValueKind.Error;
                        return;
                    }

                    if (output.Optional)
                    {
                        if (!output.Formatted && (output.Type == ValueKind.Money || output.Type == ValueKind.Date))
                        {
                            _text.Report(DiagnosticDescriptors.TemplateValueNotPrintable, value.Start, value.End, value.Display, Describe(value), "write '| money' before '| default'");
                            output.Type = ValueKind.Error;
                            return;
                        }

                        if (output.Formatted)
                        {
                            output.Fallback = fallback;
                        }
                        else
                        {
                            // Text, choice and number slots: their Text is null when unfilled.
                            output.Method = WriteMethod.AppendOrDefault;
                            output.Argument = fallback;
                        }

                        output.Width = Math.Max(6, fallback.Length);
                        output.Optional = false;
                        output.Formatted = true;
                        output.Type = ValueKind.Text;
                        return;
                    }

                    if (!output.Formatted && output.Type == ValueKind.Text)
                    {
                        if (value.Constant is string text)
                        {
                            output.ConstantText = text.Length == 0 ? fallback : text;
                        }
                        else
                        {
                            output.Method = WriteMethod.AppendOrDefault;
                            output.Argument = fallback;
                            output.Width = Math.Max(6, fallback.Length);
                        }

                        output.Formatted = true;
                        return;
                    }

                    _text.Report(DiagnosticDescriptors.TemplateDefaultNotApplicable, filter.FilterStart, filter.FilterEnd, value.Display, output.Formatted ? "text formatted from a value" : Describe(value));
                    output.Type = ValueKind.Error;
                    return;

                default:
                    // Suggest a filter only when it is plausibly a typo of it ('mony'), not for 'upcase'.
                    var closest = TemplateValues.Closest(filter.Filter, Filters);
                    var suggestion = TemplateValues.EditDistance(filter.Filter, closest) <= Math.Max(1, closest.Length / 3)
                        ? " (did you mean '" + closest + "'?)"
                        : string.Empty;
                    _text.Report(DiagnosticDescriptors.UnknownTemplateFilter, filter.FilterStart, filter.FilterEnd, filter.Filter, suggestion);
                    output.Type = ValueKind.Error;
                    return;
            }
        }

        private string? SingleStringArgument(FilterExpression filter, string example)
        {
            if (filter.Arguments.Count == 1 && filter.Arguments[0] is LiteralExpression literal && literal.Kind == LiteralKind.String)
            {
                return literal.Text;
            }

            var start = filter.Arguments.Count > 0 ? filter.Arguments[0].Start : filter.FilterStart;
            var end = filter.Arguments.Count > 0 ? filter.End : filter.FilterEnd;
            _text.Report(DiagnosticDescriptors.TemplateFilterArguments, start, end, filter.Filter, "takes exactly one quoted text", example);
            return null;
        }

        private void Finish(Output output)
        {
            var value = output.Value;
            switch (output.Type)
            {
                case ValueKind.Text:
                case ValueKind.Choice:
                case ValueKind.Number:
                    if (value.Constant is string text)
                    {
                        output.ConstantText = text;
                    }
                    else if (value.Constant is decimal number)
                    {
                        output.ConstantText = number.ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        // A slot's Text is null when unfilled, and Append(null) writes nothing: Scriban's "" for null.
                        // A slot's Text is also how the buyer wrote a number, so slots never go through AppendNumber.
                        output.Method = output.Type == ValueKind.Number && !value.Optional ? WriteMethod.AppendNumber : WriteMethod.Append;
                        output.Width = 6;
                    }

                    return;
                case ValueKind.Int:
                    if (value.Constant is long l)
                    {
                        output.ConstantText = l.ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        output.Method = WriteMethod.AppendInt;
                        output.Width = 3;
                    }

                    return;
                case ValueKind.Bool:
                    if (value.Constant is bool b)
                    {
                        output.ConstantText = b ? "true" : "false";
                    }
                    else
                    {
                        output.Method = WriteMethod.AppendBool;
                        output.Width = 5;
                    }

                    return;
                case ValueKind.NumberLiteral:
                    // Scriban reads number literals as int or double; print them as it would.
                    output.ConstantText = value.Constant is decimal d
                        ? (decimal.Truncate(d) == d && d <= long.MaxValue
                            ? ((long)d).ToString(CultureInfo.InvariantCulture)
                            : ((double)d).ToString("R", CultureInfo.InvariantCulture))
                        : value.Display;
                    return;
                case ValueKind.Money:
                    ReportNotPrintable(output, "write it with '| money' (78500 fen is written 785, 108 fen 1.08)");
                    return;
                case ValueKind.Date:
                    ReportNotPrintable(output, "format it with '| date \"M月d日\"'");
                    return;
                case ValueKind.List:
                    ReportNotPrintable(output, "loop over it with '{{ for line in " + value.Display + " }}...{{ line.name }}...{{ end }}'");
                    return;
                case ValueKind.Object:
                    var members = value.ObjectName != null && _scope.Objects.TryGetValue(value.ObjectName, out var list)
                        ? string.Join(", ", list.Select(m => value.Display + "." + m.Name))
                        : string.Empty;
                    ReportNotPrintable(output, "write one of its members: " + members);
                    return;
            }
        }

        private void ReportNotPrintable(Output output, string fix)
        {
            _text.Report(DiagnosticDescriptors.TemplateValueNotPrintable, output.Value.Start, output.Value.End, output.Value.Display, Describe(output.Value), fix);
            output.Type = ValueKind.Error;
        }

    }
}
