using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Parsing;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// True figures only (issue 14): the cart's computed pricing values exist in every reply of a shop
    /// with a price policy, and SDSL1009 flags a reply that states, as fixed text, an amount the shop
    /// computes (the per-day split, a coupon's threshold or amount, a money fact).
    /// </summary>
    public sealed partial class ScriptBinder
    {
        private static readonly string[] PerDayWords = { "一天", "每天", "天天", "日均", "每日", "一日" };

        /// <summary>The shop has a policy, so its replies may read the cart's pricing (the engine uses the price objection's policy, else the first).</summary>
        private bool _hasPricing;

        /// <summary>The coupons of the shop's policies: threshold and amount in fen.</summary>
        private readonly List<(long Threshold, long Amount)> _couponFigures = new List<(long, long)>();

        private void CollectPricing(IReadOnlyList<PolicySyntax> policies)
        {
            _hasPricing = policies.Count > 0;
            foreach (var coupon in policies.SelectMany(p => p.Members).OfType<CouponSyntax>())
            {
                if (TryFen(coupon.Spend.Text, out var threshold) && TryFen(coupon.Off.Text, out var amount) && !coupon.Spend.Percent && !coupon.Off.Percent)
                {
                    _couponFigures.Add((threshold, amount));
                }
            }
        }

        /// <summary>SDSL1009 over the literal text of one reply variant (the parts outside <c>{{ }}</c>).</summary>
        private void CheckFigures(StringLit literal, int[] lines)
        {
            if (IsAllowed(DiagnosticDescriptors.LiteralFigure.Id, lines))
            {
                return;
            }

            foreach (var figure in MoneyFigures(literal.Raw))
            {
                var before = literal.Raw.Substring(Math.Max(0, figure.Start - 8), Math.Min(8, figure.Start));
                string? why = null;
                string? write = null;
                if (_hasPricing && PerDayWords.Any(w => before.IndexOf(w, StringComparison.Ordinal) >= 0))
                {
                    why = "the per-day price of the conversation's cart is computed by the price policy";
                    write = "per_day | money";
                }
                else if (_hasPricing && _couponFigures.Any(c => c.Threshold == figure.Fen))
                {
                    why = "it is a coupon's threshold, computed for the cart (the next coupon and the amount still missing)";
                    write = "coupon.threshold | money";
                }
                else if (_hasPricing && _couponFigures.Any(c => c.Amount == figure.Fen))
                {
                    why = "it is a coupon's amount, computed for the cart";
                    write = "coupon.amount | money";
                }
                else if (_facts.FirstOrDefault(f => f.Kind == ValueKind.Money && f.Money == figure.Fen) is { } fact)
                {
                    why = "it is the value of the money fact '" + fact.Name + "'";
                    write = fact.Name + " | money";
                }

                if (why is null || write is null)
                {
                    continue;
                }

                var text = literal.Raw.Substring(figure.Start, figure.Length);
                var at = new SourcePosition(literal.RawStart.Offset + figure.Start, literal.RawStart.Line, literal.RawStart.Column + figure.Start);
                Report(DiagnosticDescriptors.LiteralFigure, at, figure.Length, text, why, write);
            }
        }

        /// <summary>
        /// Amounts of money written as text outside the <c>{{ }}</c> blocks of a raw template:
        /// digits or Chinese numerals followed by 元/块钱 (digits also by 块), and 满 followed by an
        /// amount (满300, 满三百). Chinese numerals are read here by hand: the generator runs on
        /// netstandard2.0 inside the compiler and no package for this small grammar exists there.
        /// </summary>
        internal static IEnumerable<(int Start, int Length, long Fen)> MoneyFigures(string raw)
        {
            var i = 0;
            while (i < raw.Length)
            {
                if (raw[i] == '{' && i + 1 < raw.Length && raw[i + 1] == '{')
                {
                    var close = raw.IndexOf("}}", i + 2, StringComparison.Ordinal);
                    i = close < 0 ? raw.Length : close + 2;
                    continue;
                }

                var afterFull = raw[i] == '满';
                var start = afterFull ? i + 1 : i;
                if (!TryReadAmount(raw, start, out var end, out var fen, out var arabic))
                {
                    i++;
                    continue;
                }

                var unit = UnitLength(raw, end, arabic);
                if (unit > 0 || (afterFull && fen > 0))
                {
                    var from = afterFull ? i : start;
                    yield return (from, end + unit - from, fen);
                    i = end + unit;
                    continue;
                }

                i = end;
            }
        }

        private static int UnitLength(string raw, int at, bool arabic)
        {
            if (string.CompareOrdinal(raw, at, "块钱", 0, 2) == 0)
            {
                return 2;
            }

            if (at < raw.Length && (raw[at] == '元' || (arabic && raw[at] == '块')))
            {
                return 1;
            }

            return 0;
        }

        /// <summary>An amount at <paramref name="start"/> (not inside a longer number): digits with up to two decimals, or Chinese numerals up to 万.</summary>
        private static bool TryReadAmount(string raw, int start, out int end, out long fen, out bool arabic)
        {
            end = start;
            fen = 0;
            arabic = false;
            if (start >= raw.Length || (start > 0 && (char.IsDigit(raw[start - 1]) || raw[start - 1] == '.' || ChineseDigit(raw[start - 1]) >= 0 || IsChineseUnit(raw[start - 1]))))
            {
                return false;
            }

            if (raw[start] >= '0' && raw[start] <= '9')
            {
                var j = start;
                while (j < raw.Length && raw[j] >= '0' && raw[j] <= '9')
                {
                    j++;
                }

                if (j + 1 < raw.Length && raw[j] == '.' && raw[j + 1] >= '0' && raw[j + 1] <= '9')
                {
                    j++;
                    while (j < raw.Length && raw[j] >= '0' && raw[j] <= '9')
                    {
                        j++;
                    }
                }

                end = j;
                arabic = true;
                return TryFen(raw.Substring(start, j - start), out fen);
            }

            long total = 0;
            long section = 0;
            long digit = -1;
            var k = start;
            for (; k < raw.Length && k - start < 12; k++)
            {
                var c = raw[k];
                var d = ChineseDigit(c);
                if (d >= 0)
                {
                    digit = d;
                    continue;
                }

                var unit = c == '十' ? 10 : c == '百' ? 100 : c == '千' ? 1000 : c == '万' ? 10000 : 0;
                if (unit == 0)
                {
                    break;
                }

                if (unit == 10000)
                {
                    total = (total + section + Math.Max(digit, 0)) * 10000;
                    section = 0;
                }
                else
                {
                    section += (digit < 0 ? (unit == 10 ? 1 : 0) : digit) * unit;
                }

                digit = -1;
            }

            if (k == start)
            {
                return false;
            }

            end = k;
            fen = (total + section + Math.Max(digit, 0)) * 100;
            return fen > 0;
        }

        private static int ChineseDigit(char c) => c switch
        {
            '零' => 0,
            '一' => 1,
            '二' => 2,
            '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => -1,
        };

        private static bool IsChineseUnit(char c) => c == '十' || c == '百' || c == '千' || c == '万';

        private static bool TryFen(string yuan, out long fen)
        {
            fen = 0;
            if (!decimal.TryParse(yuan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value > 100000000m)
            {
                return false;
            }

            var scaled = value * 100m;
            if (scaled != decimal.Truncate(scaled))
            {
                return false;
            }

            fen = (long)scaled;
            return true;
        }
    }
}
