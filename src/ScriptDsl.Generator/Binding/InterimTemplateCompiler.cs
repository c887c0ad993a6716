using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// Until the templates branch's TemplateCompiler is merged: literal text and output blocks
    /// <c>{{ name }}</c> / <c>{{ a.b | money | date "M月d日" | default "x" }}</c>, every name checked.
    /// Anything else is reported as outside what this build supports. Replaced, not extended, on merge.
    /// </summary>
    internal static class InterimTemplateCompiler
    {
        private sealed record Value(string Kind, string? Constant, string? Expression, string? Guard);

        public static CompiledTemplate Compile(TemplateSource source, TemplateEnvironment env)
        {
            var lines = new List<string>();
            var literal = new StringBuilder();
            var diagnostics = new List<DiagnosticInfo>();
            var length = 0;
            var raw = source.Raw;
            var pending = new StringBuilder();

            void Flush()
            {
                if (pending.Length > 0)
                {
                    lines.Add("w.Append(" + SymbolDisplay.FormatLiteral(pending.ToString(), true) + ");");
                    pending.Clear();
                }
            }

            SourcePosition PositionOf(int index) =>
                new SourcePosition(source.Start.Offset + index, source.Start.Line, source.Start.Column + index);

            var i = 0;
            while (i < raw.Length)
            {
                if (raw[i] == '{' && i + 1 < raw.Length && raw[i + 1] == '{')
                {
                    var close = raw.IndexOf("}}", i + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InterimTemplateUnsupported, source.FilePath, PositionOf(i), PositionOf(raw.Length), "{{ without a closing }}"));
                        break;
                    }

                    var inner = raw.Substring(i + 2, close - i - 2);
                    var value = Evaluate(inner, env, source, PositionOf(i), diagnostics);
                    if (value is not null)
                    {
                        if (value.Constant is not null)
                        {
                            pending.Append(value.Constant);
                            length += value.Constant.Length;
                        }
                        else
                        {
                            Flush();
                            lines.Add(value.Guard is null ? value.Expression! : "if (" + value.Guard + ") " + value.Expression);
                            length += 6;
                        }
                    }

                    i = close + 2;
                    continue;
                }

                var c = raw[i];
                if (c == '\\' && i + 1 < raw.Length)
                {
                    var next = raw[i + 1];
                    c = next == 'n' ? '\n' : next;
                    i++;
                }

                pending.Append(c);
                literal.Append(c);
                length++;
                i++;
            }

            Flush();
            return new CompiledTemplate(new EquatableArray<string>(lines), literal.ToString(), length, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        private static Value? Evaluate(string inner, TemplateEnvironment env, TemplateSource source, SourcePosition at, List<DiagnosticInfo> diagnostics)
        {
            var parts = SplitPipes(inner);
            var path = parts[0].Trim();
            var value = Resolve(path, env);
            if (value is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InterimTemplateUnknownName, source.FilePath, at, at, path.Length == 0 ? "(empty)" : path, Names.Suggest(path, KnownNames(env))));
                return null;
            }

            foreach (var filter in parts.Skip(1).Select(p => p.Trim()))
            {
                var space = filter.IndexOf(' ');
                var name = space < 0 ? filter : filter.Substring(0, space);
                var argument = space < 0 ? null : Unquote(filter.Substring(space + 1).Trim());
                if (name == "money" && argument is null && value.Kind == "money")
                {
                    value = value.Constant is not null
                        ? value
                        : value with { Expression = value.Expression!.Replace("w.Append(MONEY:", "w.AppendMoney(") };
                }
                else if (name == "date" && argument is not null && value.Kind == "date" && value.Constant is not null)
                {
                    var date = DateTime.ParseExact(value.Constant, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    value = value with { Constant = date.ToString(argument, CultureInfo.InvariantCulture) };
                }
                else if (name == "default" && argument is not null && value.Constant is null)
                {
                    value = value with { Guard = null, Expression = "w.Append(" + value.Guard + " ? " + ExtractText(value) + " : " + SymbolDisplay.FormatLiteral(argument, true) + ");" };
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InterimTemplateUnsupported, source.FilePath, at, at, "filter '" + filter + "' on a " + value.Kind));
                    return null;
                }
            }

            if (value.Expression is not null && value.Expression.StartsWith("w.Append(MONEY:", StringComparison.Ordinal))
            {
                value = value with { Expression = value.Expression.Replace("w.Append(MONEY:", "w.AppendMoney(") };
            }

            return value;
        }

        private static string ExtractText(Value value) =>
            value.Expression!.Substring("w.Append(".Length, value.Expression.Length - "w.Append(".Length - 2);

        private static string? Unquote(string text) =>
            text.Length >= 2 && (text[0] == '"' || text[0] == '\'') && text[text.Length - 1] == text[0] ? text.Substring(1, text.Length - 2) : null;

        private static List<string> SplitPipes(string inner)
        {
            var parts = new List<string>();
            var sb = new StringBuilder();
            char quote = '\0';
            foreach (var c in inner)
            {
                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }
                }
                else if (c == '"' || c == '\'')
                {
                    quote = c;
                }
                else if (c == '|')
                {
                    parts.Add(sb.ToString());
                    sb.Clear();
                    continue;
                }

                sb.Append(c);
            }

            parts.Add(sb.ToString());
            return parts;
        }

        private static IEnumerable<string> KnownNames(TemplateEnvironment env) =>
            env.Facts.Select(f => f.Name).Concat(env.Slots.Select(s => s.Name)).Concat(BuiltIns(env.Context).Keys);

        private static Dictionary<string, Value> BuiltIns(TemplateContextKind context)
        {
            var map = new Dictionary<string, Value>(StringComparer.Ordinal)
            {
                ["shop.name"] = new Value("text", null, "w.Append(s.Shop.DisplayName);", null),
                ["shop.id"] = new Value("text", null, "w.Append(s.Shop.Id);", null),
                ["shop.honorific"] = new Value("text", null, "w.Append(s.Shop.Honorific);", null),
                ["cart.total"] = new Value("money", null, "w.Append(MONEY:s.Cart.TotalMinor);", null),
                ["cart.count"] = new Value("int", null, "w.AppendInt(s.Cart.Count);", null),
                ["buyer.tier"] = new Value("text", null, "w.Append(s.Buyer.Tier);", null),
            };
            if (context == TemplateContextKind.Recommend || context == TemplateContextKind.CrossSell)
            {
                map["item.sku"] = new Value("text", null, "w.Append(s.Item?.Sku);", null);
                map["item.name"] = new Value("text", null, "w.Append(s.Item?.Name);", null);
                map["item.point"] = new Value("text", null, "w.Append(s.Item?.Point);", null);
                map["item.category"] = new Value("text", null, "w.Append(s.Item?.Category);", null);
                map["item.price"] = new Value("money", null, "if (s.Item is not null) w.AppendMoney(s.Item.PriceMinor);", null);
            }

            if (context == TemplateContextKind.Policy)
            {
                map["total"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.TotalMinor);", null);
                map["list_total"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.ListTotalMinor);", null);
                map["per_day"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.PerDayMinor);", null);
                map["use_period.years"] = new Value("int", null, "if (s.Policy is not null) w.AppendInt(s.Policy.UsePeriodYears);", null);
                map["use_period.days"] = new Value("int", null, "if (s.Policy is not null) w.AppendInt(s.Policy.UsePeriodDays);", null);
                map["gift.name"] = new Value("text", null, "w.Append(s.Policy?.GiftName);", null);
                map["gift.cost"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.GiftCostMinor);", null);
                map["coupon.name"] = new Value("text", null, "w.Append(s.Policy?.CouponName);", null);
                map["coupon.threshold"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.CouponThresholdMinor);", null);
                map["coupon.amount"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.CouponAmountMinor);", null);
                map["to_next_coupon"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.ToNextCouponMinor);", null);
                map["ask"] = new Value("money", null, "if (s.Policy is not null) w.AppendMoney(s.Policy.AskMinor);", null);
                map["round"] = new Value("int", null, "if (s.Policy is not null) w.AppendInt(s.Policy.Round);", null);
            }

            return map;
        }

        private static Value? Resolve(string path, TemplateEnvironment env)
        {
            foreach (var fact in env.Facts)
            {
                if (fact.Name == path)
                {
                    var kind = fact.Kind.ToString().ToLowerInvariant();
                    return new Value(kind, fact.DisplayText, null, null);
                }
            }

            foreach (var slot in env.Slots)
            {
                if (slot.Name == path)
                {
                    var index = slot.Ordinal.ToString(CultureInfo.InvariantCulture);
                    return new Value(slot.Kind == ScriptValueKind.Money ? "money" : "text", null, "w.Append(s.Slots[" + index + "].Text);", "s.Slots[" + index + "].IsFilled");
                }
            }

            return BuiltIns(env.Context).TryGetValue(path, out var builtIn) ? builtIn : null;
        }
    }
}
