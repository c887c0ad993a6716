using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScriptDsl.Generator.Diagnostics;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>
    /// Syntax tree → checked, bound tree. Resolves every name against the environment (loop
    /// variables, then facts, then slots, then built-in names of the context), checks types and
    /// filters, folds constants (facts are inlined), and reports each problem once; a value that
    /// failed to bind has type Error and produces no further diagnostics.
    /// </summary>
    internal sealed class TemplateBinder
    {
        private enum ValueType
        {
            Error,
            Text,
            Int,
            Money,
            Number,
            Date,
            Bool,
            Choice,
            List,
            Object,
            NumberLiteral,
        }

        private sealed class Member
        {
            public Member(string name, ValueType type, string property, string? objectName = null, bool narrow = false)
            {
                Name = name;
                Type = type;
                Property = property;
                ObjectName = objectName;
                Narrow = narrow;
            }

            /// <summary>An int read from a C# int (not long): compared only with numbers that fit, or C# warns (CS0652).</summary>
            public bool Narrow { get; }

            public string Name { get; }

            public ValueType Type { get; }

            public string Property { get; }

            public string? ObjectName { get; }
        }

        /// <summary>A bound value: its type, a C# expression (or a constant), and whether it may be missing (a slot).</summary>
        private sealed class Value
        {
            public Value(ValueType type, string code, string display, int start, int end)
            {
                Type = type;
                Code = code;
                Display = display;
                Start = start;
                End = end;
            }

            public ValueType Type { get; set; }

            public string Code { get; set; }

            public string Display { get; }

            public int Start { get; }

            public int End { get; }

            /// <summary>string, long, decimal, bool or DateValue when known at compile time.</summary>
            public object? Constant { get; set; }

            public SlotSymbol? Slot { get; set; }

            /// <summary>For Object values: the key into <see cref="Objects"/>.</summary>
            public string? ObjectName { get; set; }

            /// <summary>See <see cref="Member.Narrow"/>.</summary>
            public bool Narrow { get; set; }

            /// <summary>True for a string literal written in the template (compared with a choice's values).</summary>
            public bool IsLiteral { get; set; }

            public bool Optional => Slot != null;

            public static Value Error(int start, int end) => new Value(ValueType.Error, "default", string.Empty, start, end);
        }

        private static readonly Dictionary<string, Member[]> Objects = new Dictionary<string, Member[]>(StringComparer.Ordinal)
        {
            ["shop"] = new[]
            {
                new Member("name", ValueType.Text, "DisplayName"),
                new Member("id", ValueType.Text, "Id"),
                new Member("honorific", ValueType.Text, "Honorific"),
            },
            ["item"] = new[]
            {
                new Member("sku", ValueType.Text, "Sku"),
                new Member("name", ValueType.Text, "Name"),
                new Member("price", ValueType.Money, "PriceMinor"),
                new Member("point", ValueType.Text, "Point"),
                new Member("category", ValueType.Text, "Category"),
            },
            ["cart"] = new[]
            {
                new Member("total", ValueType.Money, "TotalMinor"),
                new Member("count", ValueType.Int, "Count"),
                new Member("lines", ValueType.List, "Lines"),
            },
            ["buyer"] = new[]
            {
                new Member("tier", ValueType.Text, "Tier"),
            },
            ["use_period"] = new[]
            {
                new Member("years", ValueType.Int, "UsePeriodYears", narrow: true),
                new Member("days", ValueType.Int, "UsePeriodDays", narrow: true),
            },
            ["gift"] = new[]
            {
                new Member("name", ValueType.Text, "GiftName"),
                new Member("cost", ValueType.Money, "GiftCostMinor"),
            },
            ["coupon"] = new[]
            {
                new Member("name", ValueType.Text, "CouponName"),
                new Member("threshold", ValueType.Money, "CouponThresholdMinor"),
                new Member("amount", ValueType.Money, "CouponAmountMinor"),
            },
            ["line"] = new[]
            {
                new Member("sku", ValueType.Text, "Sku"),
                new Member("name", ValueType.Text, "Name"),
                new Member("price", ValueType.Money, "UnitPriceMinor"),
                new Member("quantity", ValueType.Int, "Quantity", narrow: true),
                new Member("category", ValueType.Text, "Category"),
                new Member("subtotal", ValueType.Money, "SubtotalMinor"),
            },
        };

        private static readonly string[] AlwaysRoots = { "shop", "cart", "buyer" };

        // Policy names: scalars read straight from s.Policy, and objects whose members do.
        private static readonly Member[] PolicyRoots =
        {
            new Member("total", ValueType.Money, "TotalMinor"),
            new Member("list_total", ValueType.Money, "ListTotalMinor"),
            new Member("per_day", ValueType.Money, "PerDayMinor"),
            new Member("to_next_coupon", ValueType.Money, "ToNextCouponMinor"),
            new Member("ask", ValueType.Money, "AskMinor"),
            new Member("round", ValueType.Int, "Round", narrow: true),
            new Member("use_period", ValueType.Object, string.Empty, "use_period"),
            new Member("gift", ValueType.Object, string.Empty, "gift"),
            new Member("coupon", ValueType.Object, string.Empty, "coupon"),
        };

        /// <summary>The policy names that are values of the cart alone, so every reply of a shop with a price policy may use them.</summary>
        private static readonly string[] CartPricingRoots = { "total", "list_total", "per_day", "to_next_coupon", "use_period", "coupon" };

        private static readonly string[] Filters = { "money", "date", "default" };

        private readonly TemplateText _text;
        private readonly TemplateEnvironment _environment;
        private readonly List<(string Name, string Code)> _loopVariables = new List<(string, string)>();

        private readonly List<TemplateNameUse> _names;

        // > 0 while binding the target of a member access: 'gift.name' is one use, not two.
        private int _memberTargetDepth;

        private TemplateBinder(TemplateText text, TemplateEnvironment environment, List<TemplateNameUse> names)
        {
            _text = text;
            _environment = environment;
            _names = names;
        }

        /// <param name="names">Receives every value the template names, in source order of binding.</param>
        public static List<BoundNode> Bind(TemplateText text, TemplateEnvironment environment, List<TemplateNode> nodes, List<TemplateNameUse> names) =>
            new TemplateBinder(text, environment, names).BindNodes(nodes);

        private static string? DottedPath(TemplateExpression expression) => expression switch
        {
            NameExpression name => name.Name,
            MemberExpression member => DottedPath(member.Target) is string target ? target + "." + member.Member : null,
            _ => null,
        };

        private List<BoundNode> BindNodes(List<TemplateNode> nodes)
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
                            var condition = branch.Condition is null ? BoundCondition.Error : BindCondition(branch.Condition);
                            branches.Add(new BoundBranch(condition, BindNodes(branch.Body)));
                        }

                        result.Add(new BoundIf(branches, ifNode.Else is null ? null : BindNodes(ifNode.Else)));
                        break;
                    case ForNode forNode:
                        result.Add(BindFor(forNode));
                        break;
                }
            }

            return result;
        }

        private BoundNode BindFor(ForNode node)
        {
            var listCode = "global::System.Array.Empty<global::ScriptDsl.Templates.CartLineView>()";
            if (node.List != null)
            {
                var list = BindValue(node.List);
                if (list.Type == ValueType.List)
                {
                    listCode = list.Code;
                }
                else if (list.Type != ValueType.Error)
                {
                    _text.Report(DiagnosticDescriptors.TemplateForRequiresList, list.Start, list.End, list.Display, Describe(list));
                }
            }

            var variable = "line" + (_loopVariables.Count + 1).ToString(CultureInfo.InvariantCulture);
            _loopVariables.Add((node.Variable, variable));
            var body = BindNodes(node.Body);
            _loopVariables.RemoveAt(_loopVariables.Count - 1);
            return new BoundFor(variable, listCode, body);
        }

        // ---- names ----

        private Value BindValue(TemplateExpression expression)
        {
            if (_memberTargetDepth == 0 && DottedPath(expression) is string path)
            {
                _names.Add(new TemplateNameUse(path, _text.PositionAt(expression.Start)));
            }

            switch (expression)
            {
                case NameExpression name:
                    return BindName(name);
                case MemberExpression member:
                    return BindMember(member);
                case LiteralExpression literal:
                    return BindLiteral(literal);
                case UnaryExpression _:
                case BinaryExpression _:
                    var condition = BindCondition(expression);
                    return new Value(ValueType.Bool, condition.AsOperand, _text.Slice(expression.Start, expression.End), expression.Start, expression.End)
                    {
                        Constant = condition.Constant,
                    };
                case FilterExpression filter:
                    _text.Report(
                        DiagnosticDescriptors.UnsupportedTemplateConstruct,
                        filter.FilterStart,
                        filter.FilterEnd,
                        "A filter inside a condition or comparison",
                        "filters only format what '{{ ... }}' writes; compare the value itself");
                    return Value.Error(expression.Start, expression.End);
                default:
                    return Value.Error(expression.Start, expression.End);
            }
        }

        private Value BindLiteral(LiteralExpression literal)
        {
            var display = _text.Slice(literal.Start, literal.End);
            switch (literal.Kind)
            {
                case LiteralKind.String:
                    return new Value(ValueType.Text, TemplateValues.StringLiteral(literal.Text), display, literal.Start, literal.End)
                    {
                        Constant = literal.Text,
                        IsLiteral = true,
                    };
                case LiteralKind.Bool:
                    var b = string.Equals(literal.Text, "true", StringComparison.Ordinal);
                    return new Value(ValueType.Bool, b ? "true" : "false", display, literal.Start, literal.End) { Constant = b };
                default:
                    decimal number;
                    if (!decimal.TryParse(literal.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
                    {
                        _text.Report(DiagnosticDescriptors.TemplateNumberLiteralInvalid, literal.Start, literal.End, literal.Text, literal.Text, "a number", "it is too large; numbers in templates are at most 28 digits");
                        return Value.Error(literal.Start, literal.End);
                    }

                    return new Value(ValueType.NumberLiteral, TemplateValues.DecimalLiteral(number), display, literal.Start, literal.End) { Constant = number };
            }
        }

        private Value BindName(NameExpression name)
        {
            var display = name.Name;
            for (var i = _loopVariables.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_loopVariables[i].Name, name.Name, StringComparison.Ordinal))
                {
                    return new Value(ValueType.Object, _loopVariables[i].Code, display, name.Start, name.End) { ObjectName = "line" };
                }
            }

            foreach (var fact in _environment.Facts)
            {
                if (string.Equals(fact.Name, name.Name, StringComparison.Ordinal))
                {
                    return BindFact(fact, name);
                }
            }

            foreach (var slot in _environment.Slots)
            {
                if (string.Equals(slot.Name, name.Name, StringComparison.Ordinal))
                {
                    var type = slot.Kind switch
                    {
                        ScriptValueKind.Choice => ValueType.Choice,
                        ScriptValueKind.Number => ValueType.Number,
                        ScriptValueKind.Int => ValueType.Number,
                        ScriptValueKind.Money => ValueType.Money,
                        _ => ValueType.Text,
                    };
                    return new Value(type, "s.Slots[" + slot.Ordinal.ToString(CultureInfo.InvariantCulture) + "]", display, name.Start, name.End) { Slot = slot };
                }
            }

            var context = _environment.Context;
            if (Array.IndexOf(AlwaysRoots, name.Name) >= 0)
            {
                return RootObject(name, name.Name);
            }

            if (string.Equals(name.Name, "item", StringComparison.Ordinal))
            {
                if (context == TemplateContextKind.Recommend || context == TemplateContextKind.CrossSell)
                {
                    return RootObject(name, "item");
                }

                _text.Report(DiagnosticDescriptors.TemplateItemOutsideRecommend, name.Start, name.End, name.Name, DescribeContext(context));
                return Value.Error(name.Start, name.End);
            }

            foreach (var root in PolicyRoots)
            {
                if (string.Equals(root.Name, name.Name, StringComparison.Ordinal))
                {
                    // The cart's pricing values exist in every reply of a shop with a price policy:
                    // the engine computes them for the conversation's cart (s.Policy is null only for
                    // a caller that renders without them, which then reads zeros).
                    if (context != TemplateContextKind.Policy && Array.IndexOf(CartPricingRoots, root.Name) >= 0)
                    {
                        if (!_environment.HasPricing)
                        {
                            _text.Report(DiagnosticDescriptors.TemplateCartValueWithoutPolicy, name.Start, name.End, name.Name);
                            return Value.Error(name.Start, name.End);
                        }

                        const string pricing = "(s.Policy ?? global::ScriptDsl.Templates.PolicyValues.None)";
                        return root.Type == ValueType.Object
                            ? new Value(ValueType.Object, pricing, display, name.Start, name.End) { ObjectName = root.ObjectName }
                            : new Value(root.Type, pricing + "." + root.Property, display, name.Start, name.End) { Narrow = root.Narrow };
                    }

                    if (context != TemplateContextKind.Policy)
                    {
                        _text.Report(DiagnosticDescriptors.TemplatePolicyNameOutsidePolicy, name.Start, name.End, name.Name, DescribeContext(context));
                        return Value.Error(name.Start, name.End);
                    }

                    return root.Type == ValueType.Object
                        ? new Value(ValueType.Object, "s.Policy!", display, name.Start, name.End) { ObjectName = root.ObjectName }
                        : new Value(root.Type, "s.Policy!." + root.Property, display, name.Start, name.End) { Narrow = root.Narrow };
                }
            }

            _text.Report(DiagnosticDescriptors.UnknownTemplateName, name.Start, name.End, name.Name, TemplateValues.Closest(name.Name, KnownNames()));
            return Value.Error(name.Start, name.End);
        }

        private IEnumerable<string> KnownNames()
        {
            for (var i = _loopVariables.Count - 1; i >= 0; i--)
            {
                yield return _loopVariables[i].Name;
            }

            foreach (var fact in _environment.Facts)
            {
                yield return fact.Name;
            }

            foreach (var slot in _environment.Slots)
            {
                yield return slot.Name;
            }

            foreach (var root in AlwaysRoots)
            {
                yield return root;
            }

            if (_environment.Context == TemplateContextKind.Recommend || _environment.Context == TemplateContextKind.CrossSell)
            {
                yield return "item";
            }

            if (_environment.Context == TemplateContextKind.Policy)
            {
                foreach (var root in PolicyRoots)
                {
                    yield return root.Name;
                }
            }
            else if (_environment.HasPricing)
            {
                foreach (var root in CartPricingRoots)
                {
                    yield return root;
                }
            }
        }

        private static Value RootObject(NameExpression name, string objectName)
        {
            var code = objectName switch
            {
                "shop" => "s.Shop",
                "cart" => "s.Cart",
                "buyer" => "s.Buyer",
                _ => "s.Item!",
            };
            return new Value(ValueType.Object, code, name.Name, name.Start, name.End) { ObjectName = objectName };
        }

        private Value BindFact(FactSymbol fact, NameExpression name)
        {
            var type = fact.Kind switch
            {
                ScriptValueKind.Int => ValueType.Int,
                ScriptValueKind.Money => ValueType.Money,
                ScriptValueKind.Date => ValueType.Date,
                ScriptValueKind.Bool => ValueType.Bool,
                ScriptValueKind.Number => ValueType.Number,
                _ => ValueType.Text,
            };
            var constant = TemplateValues.ParseFactLiteral(fact);

            // A literal this compiler cannot read is still valid C#: used as a runtime expression.
            var code = constant switch
            {
                string text => TemplateValues.StringLiteral(text),
                long l => TemplateValues.LongLiteral(l),
                decimal d => TemplateValues.DecimalLiteral(d),
                bool b => b ? "true" : "false",
                DateValue date => date.ToCSharp(),
                _ => "(" + fact.CSharpLiteral + ")",
            };
            return new Value(type, code, name.Name, name.Start, name.End) { Constant = constant };
        }

        private Value BindMember(MemberExpression member)
        {
            _memberTargetDepth++;
            var target = BindValue(member.Target);
            _memberTargetDepth--;
            if (target.Type == ValueType.Error)
            {
                return target;
            }

            var display = target.Display + "." + member.Member;
            if (target.Type != ValueType.Object || target.ObjectName is null)
            {
                _text.Report(
                    DiagnosticDescriptors.UnknownTemplateMember,
                    member.MemberStart,
                    member.End,
                    target.Display,
                    member.Member,
                    "it is " + Describe(target) + " and has no members; write '{{ " + target.Display + " }}'");
                return Value.Error(member.Start, member.End);
            }

            var members = Objects[target.ObjectName];
            foreach (var m in members)
            {
                if (string.Equals(m.Name, member.Member, StringComparison.Ordinal))
                {
                    return new Value(m.Type, target.Code + "." + m.Property, display, member.Start, member.End) { Narrow = m.Narrow };
                }
            }

            var names = members.Select(m => m.Name).ToArray();
            _text.Report(
                DiagnosticDescriptors.UnknownTemplateMember,
                member.MemberStart,
                member.End,
                target.Display,
                member.Member,
                "did you mean '" + target.Display + "." + TemplateValues.Closest(member.Member, names) + "'? The members of '" + target.Display + "' are: " + string.Join(", ", names));
            return Value.Error(member.Start, member.End);
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

            public ValueType Type { get; set; }

            public bool Optional { get; set; }

            /// <summary>Turned into text by money/date/default: nothing left to decide.</summary>
            public bool Formatted { get; set; }

            public string? ConstantText { get; set; }

            public string? Method { get; set; }

            public string? Argument { get; set; }

            public string? Guard { get; set; }

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
                if (output.Type == ValueType.Error)
                {
                    break;
                }

                ApplyFilter(output, filter);
            }

            if (output.Type == ValueType.Error)
            {
                return null;
            }

            if (!output.Formatted)
            {
                Finish(output);
            }

            if (output.Type == ValueType.Error)
            {
                return null;
            }

            if (output.ConstantText != null)
            {
                return new BoundText(output.ConstantText);
            }

            return new BoundWrite(output.Method ?? "Append", output.Argument ?? "\"\"", output.Guard, output.Fallback, output.Width);
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
                        output.Type = ValueType.Error;
                        return;
                    }

                    if (output.Type != ValueType.Money || output.Formatted)
                    {
                        _text.Report(DiagnosticDescriptors.MoneyFilterRequiresMoney, filter.FilterStart, filter.FilterEnd, value.Display, output.Formatted ? "already text" : Describe(value));
                        output.Type = ValueType.Error;
                        return;
                    }

                    if (value.Constant is long minor)
                    {
                        output.ConstantText = TemplateValues.FormatMoney(minor);
                    }
                    else
                    {
                        output.Method = "AppendMoney";
                        output.Argument = value.Optional ? value.Code + ".Money" : value.Code;
                        output.Guard = value.Optional ? value.Code + ".IsFilled" : null;
                        output.Width = 6;
                    }

                    output.Type = ValueType.Text;
                    output.Formatted = true;
                    return;

                case "date":
                    var format = SingleStringArgument(filter, "'{{ promo_end | date \"M月d日\" }}'");
                    if (format is null)
                    {
                        output.Type = ValueType.Error;
                        return;
                    }

                    if (output.Type != ValueType.Date || output.Formatted)
                    {
                        _text.Report(DiagnosticDescriptors.DateFilterRequiresDate, filter.FilterStart, filter.FilterEnd, value.Display, output.Formatted ? "already text" : Describe(value));
                        output.Type = ValueType.Error;
                        return;
                    }

                    var unsupported = TemplateValues.FindUnsupportedDateSpecifier(format);
                    if (unsupported != null)
                    {
                        _text.Report(DiagnosticDescriptors.UnsupportedTemplateDateFormat, filter.Arguments[0].Start, filter.Arguments[0].End, format, unsupported);
                        output.Type = ValueType.Error;
                        return;
                    }

                    if (value.Constant is DateValue date)
                    {
                        output.ConstantText = TemplateValues.FormatDate(date, format);
                    }
                    else
                    {
                        output.Method = "AppendDate";
                        output.Argument = value.Code + ", " + TemplateValues.StringLiteral(format);
                        output.Width = format.Length + 2;
                    }

                    output.Type = ValueType.Text;
                    output.Formatted = true;
                    return;

                case "default":
                    var fallback = SingleStringArgument(filter, "'{{ budget | money | default \"您的预算\" }}'");
                    if (fallback is null)
                    {
                        output.Type = ValueType.Error;
                        return;
                    }

                    if (output.Optional)
                    {
                        if (!output.Formatted && (output.Type == ValueType.Money || output.Type == ValueType.Date))
                        {
                            _text.Report(DiagnosticDescriptors.TemplateValueNotPrintable, value.Start, value.End, value.Display, Describe(value), "write '| money' before '| default'");
                            output.Type = ValueType.Error;
                            return;
                        }

                        if (output.Formatted)
                        {
                            output.Fallback = fallback;
                        }
                        else
                        {
                            // Text, choice and number slots: their Text is null when unfilled.
                            output.Method = "AppendOrDefault";
                            output.Argument = value.Code + ".Text, " + TemplateValues.StringLiteral(fallback);
                        }

                        output.Width = Math.Max(6, fallback.Length);
                        output.Optional = false;
                        output.Formatted = true;
                        output.Type = ValueType.Text;
                        return;
                    }

                    if (!output.Formatted && output.Type == ValueType.Text)
                    {
                        if (value.Constant is string text)
                        {
                            output.ConstantText = text.Length == 0 ? fallback : text;
                        }
                        else
                        {
                            output.Method = "AppendOrDefault";
                            output.Argument = value.Code + ", " + TemplateValues.StringLiteral(fallback);
                            output.Width = Math.Max(6, fallback.Length);
                        }

                        output.Formatted = true;
                        return;
                    }

                    _text.Report(DiagnosticDescriptors.TemplateDefaultNotApplicable, filter.FilterStart, filter.FilterEnd, value.Display, output.Formatted ? "text formatted from a value" : Describe(value));
                    output.Type = ValueType.Error;
                    return;

                default:
                    // Suggest a filter only when it is plausibly a typo of it ('mony'), not for 'upcase'.
                    var closest = TemplateValues.Closest(filter.Filter, Filters);
                    var suggestion = TemplateValues.EditDistance(filter.Filter, closest) <= Math.Max(1, closest.Length / 3)
                        ? " (did you mean '" + closest + "'?)"
                        : string.Empty;
                    _text.Report(DiagnosticDescriptors.UnknownTemplateFilter, filter.FilterStart, filter.FilterEnd, filter.Filter, suggestion);
                    output.Type = ValueType.Error;
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
                case ValueType.Text:
                case ValueType.Choice:
                case ValueType.Number:
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
                        output.Method = output.Type == ValueType.Number && !value.Optional ? "AppendNumber" : "Append";
                        output.Argument = value.Optional ? value.Code + ".Text" : value.Code;
                        output.Width = 6;
                    }

                    return;
                case ValueType.Int:
                    if (value.Constant is long l)
                    {
                        output.ConstantText = l.ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        output.Method = "AppendInt";
                        output.Argument = value.Code;
                        output.Width = 3;
                    }

                    return;
                case ValueType.Bool:
                    if (value.Constant is bool b)
                    {
                        output.ConstantText = b ? "true" : "false";
                    }
                    else
                    {
                        output.Method = "Append";
                        output.Argument = value.Code + " ? \"true\" : \"false\"";
                        output.Width = 5;
                    }

                    return;
                case ValueType.NumberLiteral:
                    // Scriban reads number literals as int or double; print them as it would.
                    output.ConstantText = value.Constant is decimal d
                        ? (decimal.Truncate(d) == d && d <= long.MaxValue
                            ? ((long)d).ToString(CultureInfo.InvariantCulture)
                            : ((double)d).ToString("R", CultureInfo.InvariantCulture))
                        : value.Display;
                    return;
                case ValueType.Money:
                    ReportNotPrintable(output, "write it with '| money' (78500 fen is written 785, 108 fen 1.08)");
                    return;
                case ValueType.Date:
                    ReportNotPrintable(output, "format it with '| date \"M月d日\"'");
                    return;
                case ValueType.List:
                    ReportNotPrintable(output, "loop over it with '{{ for line in " + value.Display + " }}...{{ line.name }}...{{ end }}'");
                    return;
                case ValueType.Object:
                    var members = value.ObjectName != null && Objects.TryGetValue(value.ObjectName, out var list)
                        ? string.Join(", ", list.Select(m => value.Display + "." + m.Name))
                        : string.Empty;
                    ReportNotPrintable(output, "write one of its members: " + members);
                    return;
            }
        }

        private void ReportNotPrintable(Output output, string fix)
        {
            _text.Report(DiagnosticDescriptors.TemplateValueNotPrintable, output.Value.Start, output.Value.End, output.Value.Display, Describe(output.Value), fix);
            output.Type = ValueType.Error;
        }

        // ---- conditions ----

        private BoundCondition BindCondition(TemplateExpression expression)
        {
            switch (expression)
            {
                case UnaryExpression unary:
                    var operand = BindCondition(unary.Operand);
                    return operand.Constant.HasValue
                        ? Constant(!operand.Constant.Value)
                        : new BoundCondition("!" + operand.AsOperand, null, simple: true);
                case BinaryExpression binary when binary.Operator == "&&" || binary.Operator == "||":
                    var left = BindCondition(binary.Left);
                    var right = BindCondition(binary.Right);
                    var isAnd = binary.Operator == "&&";
                    if (left.Constant.HasValue)
                    {
                        // false && x, true || x: decided; true && x, false || x: just x.
                        return left.Constant.Value == isAnd ? right : Constant(!isAnd);
                    }

                    if (right.Constant.HasValue)
                    {
                        return right.Constant.Value == isAnd ? left : Constant(!isAnd);
                    }

                    return new BoundCondition(left.AsOperand + " " + binary.Operator + " " + right.AsOperand, null, simple: false);
                case BinaryExpression comparison:
                    return BindComparison(comparison);
                default:
                    var value = BindValue(expression);
                    if (value.Type == ValueType.Error)
                    {
                        return BoundCondition.Error;
                    }

                    if (value.Optional)
                    {
                        return new BoundCondition(value.Code + ".IsFilled", null, simple: true);
                    }

                    if (value.Type == ValueType.Bool)
                    {
                        return value.Constant is bool b ? Constant(b) : new BoundCondition(value.Code, null, simple: true);
                    }

                    _text.Report(DiagnosticDescriptors.TemplateConditionNotBoolean, value.Start, value.End, value.Display, Describe(value));
                    return BoundCondition.Error;
            }
        }

        private static BoundCondition Constant(bool value) => new BoundCondition(value ? "true" : "false", value, simple: true);

        private BoundCondition BindComparison(BinaryExpression comparison)
        {
            var op = comparison.Operator;
            var left = BindValue(comparison.Left);
            var right = BindValue(comparison.Right);
            if (left.Type == ValueType.Error || right.Type == ValueType.Error)
            {
                return BoundCondition.Error;
            }

            // A number written in the template takes the type of what it is compared with.
            if (left.Type == ValueType.NumberLiteral && right.Type != ValueType.NumberLiteral && !ConvertNumber(left, right))
            {
                return BoundCondition.Error;
            }

            if (right.Type == ValueType.NumberLiteral && left.Type != ValueType.NumberLiteral && !ConvertNumber(right, left))
            {
                return BoundCondition.Error;
            }

            var textual = IsTextual(left.Type) && IsTextual(right.Type);
            if (left.Type != right.Type && !textual)
            {
                _text.Report(DiagnosticDescriptors.TemplateComparisonTypeMismatch, comparison.Start, comparison.End, left.Display, Describe(left), right.Display, Describe(right));
                return BoundCondition.Error;
            }

            var ordering = op != "==" && op != "!=";
            if (ordering && !IsOrdered(left.Type))
            {
                _text.Report(DiagnosticDescriptors.TemplateOrderingOnUnorderedType, comparison.OperatorStart, comparison.OperatorStart + op.Length, op, left.Display, Describe(left));
                return BoundCondition.Error;
            }

            if (left.Type == ValueType.List || left.Type == ValueType.Object)
            {
                _text.Report(DiagnosticDescriptors.TemplateComparisonTypeMismatch, comparison.Start, comparison.End, left.Display, Describe(left), right.Display, Describe(right));
                return BoundCondition.Error;
            }

            // A choice compared with a known text: the text must be one of its values.
            if (!CheckChoice(left, right) || !CheckChoice(right, left))
            {
                return BoundCondition.Error;
            }

            if (left.Constant != null && right.Constant != null)
            {
                return Constant(Compare(left.Constant, right.Constant, op));
            }

            if (textual)
            {
                var choiceTest = ChoiceOrdinalTest(left, right, op) ?? ChoiceOrdinalTest(right, left, op);
                if (choiceTest != null)
                {
                    return choiceTest;
                }

                var equals = "global::System.String.Equals(" + TextCode(left) + ", " + TextCode(right) + ", global::System.StringComparison.Ordinal)";
                return new BoundCondition(op == "==" ? equals : "!" + equals, null, simple: true);
            }

            var guards = new List<string>();
            if (left.Optional)
            {
                guards.Add(left.Code + ".IsFilled");
            }

            if (right.Optional)
            {
                guards.Add(right.Code + ".IsFilled");
            }

            var core = ScalarCode(left) + " " + op + " " + ScalarCode(right);
            if (guards.Count == 0)
            {
                return new BoundCondition(core, null, simple: false);
            }

            // Scriban compares an unfilled slot (null) unequal to every value, and never smaller or larger.
            if (op == "!=")
            {
                return new BoundCondition(string.Join(" || ", guards.Select(g => "!" + g)) + " || " + core, null, simple: false);
            }

            return new BoundCondition(string.Join(" && ", guards) + " && " + core, null, simple: false);
        }

        private static bool IsTextual(ValueType type) => type == ValueType.Text || type == ValueType.Choice;

        private static bool IsOrdered(ValueType type) =>
            type == ValueType.Int || type == ValueType.Money || type == ValueType.Number || type == ValueType.Date || type == ValueType.NumberLiteral;

        private bool ConvertNumber(Value literal, Value other)
        {
            var number = (decimal)literal.Constant!;
            switch (other.Type)
            {
                case ValueType.Int:
                    if (decimal.Truncate(number) != number || number > long.MaxValue)
                    {
                        _text.Report(DiagnosticDescriptors.TemplateNumberLiteralInvalid, literal.Start, literal.End, literal.Display, other.Display, Describe(other), "an int is a whole number");
                        return false;
                    }

                    if (other.Narrow && number > int.MaxValue)
                    {
                        _text.Report(DiagnosticDescriptors.TemplateNumberLiteralInvalid, literal.Start, literal.End, literal.Display, other.Display, Describe(other), "it is never larger than 2147483647");
                        return false;
                    }

                    literal.Type = ValueType.Int;
                    literal.Constant = (long)number;
                    literal.Code = TemplateValues.LongLiteral((long)number);
                    return true;
                case ValueType.Money:
                    var minor = number * 100m;
                    if (decimal.Truncate(minor) != minor || minor > long.MaxValue)
                    {
                        _text.Report(DiagnosticDescriptors.TemplateNumberLiteralInvalid, literal.Start, literal.End, literal.Display, other.Display, Describe(other), "money in a template is yuan with at most two decimals, e.g. 599 or 1.08");
                        return false;
                    }

                    literal.Type = ValueType.Money;
                    literal.Constant = (long)minor;
                    literal.Code = TemplateValues.LongLiteral((long)minor);
                    return true;
                case ValueType.Number:
                    literal.Type = ValueType.Number;
                    return true;
                default:
                    _text.Report(DiagnosticDescriptors.TemplateComparisonTypeMismatch, Math.Min(literal.Start, other.Start), Math.Max(literal.End, other.End), other.Display, Describe(other), literal.Display, Describe(literal));
                    return false;
            }
        }

        private bool CheckChoice(Value choice, Value other)
        {
            if (choice.Type != ValueType.Choice || choice.Slot is null || !(other.Constant is string text))
            {
                return true;
            }

            foreach (var value in choice.Slot.Choices)
            {
                if (string.Equals(value, text, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            _text.Report(DiagnosticDescriptors.TemplateChoiceValueNotInSet, other.Start, other.End, choice.Display, text, string.Join(", ", choice.Slot.Choices));
            return false;
        }

        /// <summary>A choice slot compared with one of its values: compares ordinals (unfilled is -1, equal to none).</summary>
        private static BoundCondition? ChoiceOrdinalTest(Value choice, Value other, string op)
        {
            if (choice.Type != ValueType.Choice || choice.Slot is null || !(other.Constant is string text))
            {
                return null;
            }

            var index = 0;
            foreach (var value in choice.Slot.Choices)
            {
                if (string.Equals(value, text, StringComparison.Ordinal))
                {
                    var comment = " /* " + text.Replace("*/", "* /") + " */";
                    return new BoundCondition(choice.Code + ".Choice " + op + " " + index.ToString(CultureInfo.InvariantCulture) + comment, null, simple: false);
                }

                index++;
            }

            return null;
        }

        private static string TextCode(Value value) => value.Optional ? value.Code + ".Text" : value.Code;

        private static string ScalarCode(Value value)
        {
            if (!value.Optional)
            {
                return value.Code;
            }

            return value.Type == ValueType.Money ? value.Code + ".Money" : value.Code + ".Number";
        }

        private static bool Compare(object left, object right, string op)
        {
            int order;
            switch (left)
            {
                case string a when right is string b:
                    order = string.CompareOrdinal(a, b);
                    break;
                case long a when right is long b:
                    order = a.CompareTo(b);
                    break;
                case decimal a when right is decimal b:
                    order = a.CompareTo(b);
                    break;
                case bool a when right is bool b:
                    order = a == b ? 0 : 1;
                    break;
                case DateValue a when right is DateValue b:
                    order = a.CompareTo(b);
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

        // ---- wording ----

        private static string Describe(Value value)
        {
            switch (value.Type)
            {
                case ValueType.Text:
                    return value.Optional ? "a text slot" : "a text";
                case ValueType.Int:
                    return "an int";
                case ValueType.Money:
                    return value.Optional ? "a money slot" : "money";
                case ValueType.Number:
                    return value.Optional ? "a number slot" : "a number";
                case ValueType.Date:
                    return "a date";
                case ValueType.Bool:
                    return "a bool";
                case ValueType.Choice:
                    return "a choice slot";
                case ValueType.List:
                    return "a list";
                case ValueType.Object:
                    return "an object";
                case ValueType.NumberLiteral:
                    return "a number";
                default:
                    return "an invalid value";
            }
        }

        private static string DescribeContext(TemplateContextKind context) => context switch
        {
            TemplateContextKind.Recommend => "recommend",
            TemplateContextKind.CrossSell => "cross_sell",
            TemplateContextKind.Policy => "policy",
            _ => "ordinary",
        };
    }
}
