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
    /// Syntax tree → checked, bound tree. Resolves every name against the environment (loop
    /// variables, then facts, then slots, then built-in names of the context), checks types and
    /// filters, folds constants (facts are inlined), and reports each problem once; a value that
    /// failed to bind has type Error and produces no further diagnostics. Values and conditions
    /// become the bound tree shared with recommend rules and gift conditions
    /// (Binding/BoundConditions.cs); the emitter writes the C#.
    /// </summary>
    internal sealed class TemplateBinder
    {
        private sealed class Member
        {
            public Member(string name, ValueKind type, string property, string? objectName = null, bool narrow = false)
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

            public ValueKind Type { get; }

            public string Property { get; }

            public string? ObjectName { get; }
        }

        /// <summary>A bound value: its type, a C# expression (or a constant), and whether it may be missing (a slot).</summary>
        private sealed class Value
        {
            public Value(ValueKind type, BoundValue bound, string display, int start, int end)
            {
                Type = type;
                Bound = bound;
                Display = display;
                Start = start;
                End = end;
            }

            public ValueKind Type { get; set; }

            /// <summary>The value in the shared bound tree.</summary>
            public BoundValue Bound { get; set; }

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

            public static Value Error(int start, int end) => new Value(ValueKind.Error, new BoundBoolLiteral(false), string.Empty, start, end);
        }

        private static readonly Dictionary<string, Member[]> Objects = new Dictionary<string, Member[]>(StringComparer.Ordinal)
        {
            ["shop"] = new[]
            {
                new Member("name", ValueKind.Text, "DisplayName"),
                new Member("id", ValueKind.Text, "Id"),
                new Member("honorific", ValueKind.Text, "Honorific"),
            },
            ["item"] = new[]
            {
                new Member("sku", ValueKind.Text, "Sku"),
                new Member("name", ValueKind.Text, "Name"),
                new Member("price", ValueKind.Money, "PriceMinor"),
                new Member("point", ValueKind.Text, "Point"),
                new Member("category", ValueKind.Text, "Category"),
            },
            ["cart"] = new[]
            {
                new Member("total", ValueKind.Money, "TotalMinor"),
                new Member("count", ValueKind.Int, "Count"),
                new Member("lines", ValueKind.List, "Lines"),
            },
            ["buyer"] = new[]
            {
                new Member("tier", ValueKind.Text, "Tier"),
            },
            ["use_period"] = new[]
            {
                new Member("years", ValueKind.Int, "UsePeriodYears", narrow: true),
                new Member("days", ValueKind.Int, "UsePeriodDays", narrow: true),
            },
            ["gift"] = new[]
            {
                new Member("name", ValueKind.Text, "GiftName"),
                new Member("cost", ValueKind.Money, "GiftCostMinor"),
            },
            ["coupon"] = new[]
            {
                new Member("name", ValueKind.Text, "CouponName"),
                new Member("threshold", ValueKind.Money, "CouponThresholdMinor"),
                new Member("amount", ValueKind.Money, "CouponAmountMinor"),
            },
            ["line"] = new[]
            {
                new Member("sku", ValueKind.Text, "Sku"),
                new Member("name", ValueKind.Text, "Name"),
                new Member("price", ValueKind.Money, "UnitPriceMinor"),
                new Member("quantity", ValueKind.Int, "Quantity", narrow: true),
                new Member("category", ValueKind.Text, "Category"),
                new Member("subtotal", ValueKind.Money, "SubtotalMinor"),
            },
        };

        private static readonly string[] AlwaysRoots = { "shop", "cart", "buyer" };

        // Policy names: scalars read straight from s.Policy, and objects whose members do.
        private static readonly Member[] PolicyRoots =
        {
            new Member("total", ValueKind.Money, "TotalMinor"),
            new Member("list_total", ValueKind.Money, "ListTotalMinor"),
            new Member("per_day", ValueKind.Money, "PerDayMinor"),
            new Member("to_next_coupon", ValueKind.Money, "ToNextCouponMinor"),
            new Member("ask", ValueKind.Money, "AskMinor"),
            new Member("round", ValueKind.Int, "Round", narrow: true),
            new Member("use_period", ValueKind.Object, string.Empty, "use_period"),
            new Member("gift", ValueKind.Object, string.Empty, "gift"),
            new Member("coupon", ValueKind.Object, string.Empty, "coupon"),
        };

        /// <summary>The policy names that are values of the cart alone, so every reply of a shop with a price policy may use them.</summary>
        private static readonly string[] CartPricingRoots = { "total", "list_total", "per_day", "to_next_coupon", "use_period", "coupon" };

        private static readonly string[] Filters = { "money", "date", "default" };

        private readonly TemplateText _text;
        private readonly TemplateEnvironment _environment;
        private readonly List<string> _loopVariables = new List<string>();

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
        public static EquatableArray<BoundNode> Bind(TemplateText text, TemplateEnvironment environment, List<TemplateNode> nodes, List<TemplateNameUse> names) =>
            new TemplateBinder(text, environment, names).BindNodes(nodes);

        private static string? DottedPath(TemplateExpression expression) => expression switch
        {
            NameExpression name => name.Name,
            MemberExpression member => DottedPath(member.Target) is string target ? target + "." + member.Member : null,
            _ => null,
        };

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
                            var condition = branch.Condition is null ? BoundCondition.Error : BindCondition(branch.Condition);
                            branches.Add(new BoundBranch(condition, BindNodes(branch.Body)));
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

            _loopVariables.Add(node.Variable);
            var body = BindNodes(node.Body);
            _loopVariables.RemoveAt(_loopVariables.Count - 1);
            return new BoundFor(_loopVariables.Count + 1, listValue, body);
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
                    return new Value(ValueKind.Bool, new BoundConditionValue(condition), _text.Slice(expression.Start, expression.End), expression.Start, expression.End)
                    {
                        Constant = BoundConditions.Evaluate(condition),
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
                    return new Value(ValueKind.Text, new BoundTextLiteral(literal.Text), display, literal.Start, literal.End)
                    {
                        Constant = literal.Text,
                        IsLiteral = true,
                    };
                case LiteralKind.Bool:
                    var b = string.Equals(literal.Text, "true", StringComparison.Ordinal);
                    return new Value(ValueKind.Bool, new BoundBoolLiteral(b), display, literal.Start, literal.End) { Constant = b };
                default:
                    decimal number;
                    if (!decimal.TryParse(literal.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
                    {
                        _text.Report(DiagnosticDescriptors.TemplateNumberLiteralInvalid, literal.Start, literal.End, literal.Text, literal.Text, "a number", "it is too large; numbers in templates are at most 28 digits");
                        return Value.Error(literal.Start, literal.End);
                    }

                    return new Value(ValueKind.NumberLiteral, new BoundNumberLiteral(number), display, literal.Start, literal.End) { Constant = number };
            }
        }

        private Value BindName(NameExpression name)
        {
            var display = name.Name;
            for (var i = _loopVariables.Count - 1; i >= 0; i--)
            {
                if (string.Equals(_loopVariables[i], name.Name, StringComparison.Ordinal))
                {
                    return new Value(ValueKind.Object, new BoundMember(ValueRoot.Line, i + 1, string.Empty, ValueKind.Object, Narrow: false), display, name.Start, name.End) { ObjectName = "line" };
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
                        ValueKind.Choice => ValueKind.Choice,
                        ValueKind.Number => ValueKind.Number,
                        ValueKind.Int => ValueKind.Number,
                        ValueKind.Money => ValueKind.Money,
                        _ => ValueKind.Text,
                    };
                    return new Value(type, new BoundSlot(slot.Ordinal, slot.Name, type), display, name.Start, name.End) { Slot = slot };
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

                        return new Value(root.Type, new BoundMember(ValueRoot.Pricing, 0, root.Property, root.Type, root.Narrow), display, name.Start, name.End)
                        {
                            ObjectName = root.ObjectName,
                            Narrow = root.Narrow,
                        };
                    }

                    if (context != TemplateContextKind.Policy)
                    {
                        _text.Report(DiagnosticDescriptors.TemplatePolicyNameOutsidePolicy, name.Start, name.End, name.Name, DescribeContext(context));
                        return Value.Error(name.Start, name.End);
                    }

                    return new Value(root.Type, new BoundMember(ValueRoot.Policy, 0, root.Property, root.Type, root.Narrow), display, name.Start, name.End)
                    {
                        ObjectName = root.ObjectName,
                        Narrow = root.Narrow,
                    };
                }
            }

            _text.Report(DiagnosticDescriptors.UnknownTemplateName, name.Start, name.End, name.Name, TemplateValues.Closest(name.Name, KnownNames()));
            return Value.Error(name.Start, name.End);
        }

        private IEnumerable<string> KnownNames()
        {
            for (var i = _loopVariables.Count - 1; i >= 0; i--)
            {
                yield return _loopVariables[i];
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
            var root = objectName switch
            {
                "shop" => ValueRoot.Shop,
                "cart" => ValueRoot.Cart,
                "buyer" => ValueRoot.Buyer,
                _ => ValueRoot.Item,
            };
            return new Value(ValueKind.Object, new BoundMember(root, 0, string.Empty, ValueKind.Object, Narrow: false), name.Name, name.Start, name.End) { ObjectName = objectName };
        }

        private Value BindFact(FactSymbol fact, NameExpression name)
        {
            var type = fact.Kind switch
            {
                ValueKind.Int => ValueKind.Int,
                ValueKind.Money => ValueKind.Money,
                ValueKind.Date => ValueKind.Date,
                ValueKind.Bool => ValueKind.Bool,
                ValueKind.Number => ValueKind.Number,
                _ => ValueKind.Text,
            };
            object? constant = fact.Constant switch
            {
                BoundTextLiteral text => text.Value,
                BoundWholeLiteral whole => whole.Value,
                BoundNumberLiteral number => number.Value,
                BoundBoolLiteral b => b.Value,
                BoundDateLiteral date => new DateValue(date.Year, date.Month, date.Day),
                _ => null,
            };
            return new Value(type, new BoundFact(fact.Name, type, fact.Constant), name.Name, name.Start, name.End) { Constant = constant };
        }

        private Value BindMember(MemberExpression member)
        {
            _memberTargetDepth++;
            var target = BindValue(member.Target);
            _memberTargetDepth--;
            if (target.Type == ValueKind.Error)
            {
                return target;
            }

            var display = target.Display + "." + member.Member;
            if (target.Type != ValueKind.Object || target.ObjectName is null || !(target.Bound is BoundMember root))
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
                    return new Value(m.Type, new BoundMember(root.Root, root.Depth, m.Property, m.Type, m.Narrow), display, member.Start, member.End)
                    {
                        ObjectName = m.ObjectName,
                        Narrow = m.Narrow,
                    };
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
            output.Type = ValueKind.Error;
        }

        // ---- conditions ----

        private BoundCondition BindCondition(TemplateExpression expression)
        {
            switch (expression)
            {
                case UnaryExpression unary:
                    return new BoundNot(BindCondition(unary.Operand));
                case BinaryExpression binary when binary.Operator == "&&" || binary.Operator == "||":
                    var left = BindCondition(binary.Left);
                    var right = BindCondition(binary.Right);
                    return binary.Operator == "&&" ? new BoundAnd(left, right) : (BoundCondition)new BoundOr(left, right);
                case BinaryExpression comparison:
                    return BindComparison(comparison);
                default:
                    var value = BindValue(expression);
                    if (value.Type == ValueKind.Error)
                    {
                        return BoundCondition.Error;
                    }

                    if (value.Optional)
                    {
                        return new BoundIsAnswered(value.Slot!.Ordinal, value.Slot.Name);
                    }

                    if (value.Type == ValueKind.Bool)
                    {
                        return new BoundTest(value.Bound);
                    }

                    _text.Report(DiagnosticDescriptors.TemplateConditionNotBoolean, value.Start, value.End, value.Display, Describe(value));
                    return BoundCondition.Error;
            }
        }

        private BoundCondition BindComparison(BinaryExpression comparison)
        {
            var op = comparison.Operator;
            var left = BindValue(comparison.Left);
            var right = BindValue(comparison.Right);
            if (left.Type == ValueKind.Error || right.Type == ValueKind.Error)
            {
                return BoundCondition.Error;
            }

            // A number written in the template takes the type of what it is compared with.
            if (left.Type == ValueKind.NumberLiteral && right.Type != ValueKind.NumberLiteral && !ConvertNumber(left, right))
            {
                return BoundCondition.Error;
            }

            if (right.Type == ValueKind.NumberLiteral && left.Type != ValueKind.NumberLiteral && !ConvertNumber(right, left))
            {
                return BoundCondition.Error;
            }

            var textual = BoundConditions.IsTextual(left.Type) && BoundConditions.IsTextual(right.Type);
            if (!BoundConditions.Comparable(left.Type, right.Type))
            {
                _text.Report(DiagnosticDescriptors.TemplateComparisonTypeMismatch, comparison.Start, comparison.End, left.Display, Describe(left), right.Display, Describe(right));
                return BoundCondition.Error;
            }

            var ordering = op != "==" && op != "!=";
            if (ordering && !BoundConditions.IsOrdered(left.Type))
            {
                _text.Report(DiagnosticDescriptors.TemplateOrderingOnUnorderedType, comparison.OperatorStart, comparison.OperatorStart + op.Length, op, left.Display, Describe(left));
                return BoundCondition.Error;
            }

            if (left.Type == ValueKind.List || left.Type == ValueKind.Object)
            {
                _text.Report(DiagnosticDescriptors.TemplateComparisonTypeMismatch, comparison.Start, comparison.End, left.Display, Describe(left), right.Display, Describe(right));
                return BoundCondition.Error;
            }

            // A choice compared with a known text: the text must be one of its values, and becomes that choice.
            if (!CheckChoice(left, right) || !CheckChoice(right, left))
            {
                return BoundCondition.Error;
            }

            var leftBound = ChoiceOf(right, left) ?? left.Bound;
            var rightBound = ChoiceOf(left, right) ?? right.Bound;
            var bound = new BoundComparison(leftBound, op, rightBound);
            if (textual && left.Optional && right.Optional && !(leftBound is BoundChoiceLiteral) && !(rightBound is BoundChoiceLiteral))
            {
                // Scriban: two unanswered slots are both null, and null == null. (An unanswered slot
                // is otherwise unequal to every value: the comparison's own rule.)
                var equal = new BoundComparison(leftBound, "==", rightBound);
                var bothUnanswered = new BoundAnd(
                    new BoundNot(new BoundIsAnswered(left.Slot!.Ordinal, left.Slot.Name)),
                    new BoundNot(new BoundIsAnswered(right.Slot!.Ordinal, right.Slot.Name)));
                var equalOrBoth = new BoundOr(equal, bothUnanswered);
                return op == "==" ? equalOrBoth : (BoundCondition)new BoundNot(equalOrBoth);
            }

            return bound;
        }

        private bool ConvertNumber(Value literal, Value other)
        {
            var number = (decimal)literal.Constant!;
            switch (other.Type)
            {
                case ValueKind.Int:
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

                    literal.Type = ValueKind.Int;
                    literal.Constant = (long)number;
                    literal.Bound = new BoundWholeLiteral(ValueKind.Int, (long)number);
                    return true;
                case ValueKind.Money:
                    var minor = number * 100m;
                    if (decimal.Truncate(minor) != minor || minor > long.MaxValue)
                    {
                        _text.Report(DiagnosticDescriptors.TemplateNumberLiteralInvalid, literal.Start, literal.End, literal.Display, other.Display, Describe(other), "money in a template is yuan with at most two decimals, e.g. 599 or 1.08");
                        return false;
                    }

                    literal.Type = ValueKind.Money;
                    literal.Constant = (long)minor;
                    literal.Bound = new BoundWholeLiteral(ValueKind.Money, (long)minor);
                    return true;
                case ValueKind.Number:
                    literal.Type = ValueKind.Number;
                    return true;
                default:
                    _text.Report(DiagnosticDescriptors.TemplateComparisonTypeMismatch, Math.Min(literal.Start, other.Start), Math.Max(literal.End, other.End), other.Display, Describe(other), literal.Display, Describe(literal));
                    return false;
            }
        }

        private bool CheckChoice(Value choice, Value other)
        {
            if (choice.Type != ValueKind.Choice || choice.Slot is null || !(other.Constant is string text))
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

        /// <summary>A known text compared with a choice slot: that choice (its ordinal); null otherwise.</summary>
        private static BoundChoiceLiteral? ChoiceOf(Value choice, Value other)
        {
            if (choice.Type != ValueKind.Choice || choice.Slot is null || !(other.Constant is string text))
            {
                return null;
            }

            var index = 0;
            foreach (var value in choice.Slot.Choices)
            {
                if (string.Equals(value, text, StringComparison.Ordinal))
                {
                    return new BoundChoiceLiteral(index, text);
                }

                index++;
            }

            return null;
        }

        // ---- wording ----

        private static string Describe(Value value)
        {
            switch (value.Type)
            {
                case ValueKind.Text:
                    return value.Optional ? "a text slot" : "a text";
                case ValueKind.Int:
                    return "an int";
                case ValueKind.Money:
                    return value.Optional ? "a money slot" : "money";
                case ValueKind.Number:
                    return value.Optional ? "a number slot" : "a number";
                case ValueKind.Date:
                    return "a date";
                case ValueKind.Bool:
                    return "a bool";
                case ValueKind.Choice:
                    return "a choice slot";
                case ValueKind.List:
                    return "a list";
                case ValueKind.Object:
                    return "an object";
                case ValueKind.NumberLiteral:
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
