using ScriptDsl.Generator.Binding;
using System;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>A date known at compile time (netstandard2.0 has no DateOnly).</summary>
    internal sealed class DateValue : IComparable<DateValue>, IEquatable<DateValue>
    {
        public DateValue(int year, int month, int day)
        {
            Year = year;
            Month = month;
            Day = day;
        }

        public int Year { get; }

        public int Month { get; }

        public int Day { get; }

        public int CompareTo(DateValue? other) => other is null ? 1 : ((Year * 10000) + (Month * 100) + Day).CompareTo((other.Year * 10000) + (other.Month * 100) + other.Day);

        public bool Equals(DateValue? other) => other != null && CompareTo(other) == 0;

        public override bool Equals(object? obj) => Equals(obj as DateValue);

        public override int GetHashCode() => (Year * 10000) + (Month * 100) + Day;
    }

    /// <summary>Compile-time values: money and date text exactly as the runtime writes them, literals in C#.</summary>
    internal static class TemplateValues
    {
        /// <summary>Same output as ScriptDsl.Templates.MoneyText.Format ("785", "1.08", "-0.50"); tests check they agree.</summary>
        public static string FormatMoney(long minorUnits)
        {
            var negative = minorUnits < 0;
            var abs = negative ? (ulong)(-(minorUnits + 1)) + 1UL : (ulong)minorUnits;
            var yuan = abs / 100UL;
            var fen = abs % 100UL;
            var text = fen == 0
                ? yuan.ToString(CultureInfo.InvariantCulture)
                : yuan.ToString(CultureInfo.InvariantCulture) + "." + fen.ToString("00", CultureInfo.InvariantCulture);
            return negative ? "-" + text : text;
        }

        /// <summary>
        /// Checks a date format of the subset: runs of y (2 or 4), M (1 or 2), d (1 or 2); every other
        /// character is copied. Returns the first unsupported run, or null when the format is valid.
        /// </summary>
        public static string? FindUnsupportedDateSpecifier(string format)
        {
            for (var i = 0; i < format.Length;)
            {
                var c = format[i];
                var run = RunLength(format, i);
                if (c == 'y' && run != 2 && run != 4)
                {
                    return format.Substring(i, run);
                }

                if ((c == 'M' || c == 'd') && run > 2)
                {
                    return format.Substring(i, run);
                }

                i += run;
            }

            return null;
        }

        /// <summary>Same output as ScriptDsl.Templates.DateText.Format for a valid format; tests check they agree.</summary>
        public static string FormatDate(DateValue date, string format)
        {
            var result = new StringBuilder();
            for (var i = 0; i < format.Length;)
            {
                var c = format[i];
                var run = RunLength(format, i);
                if (c == 'y')
                {
                    result.Append(run == 4
                        ? date.Year.ToString("0000", CultureInfo.InvariantCulture)
                        : (date.Year % 100).ToString("00", CultureInfo.InvariantCulture));
                }
                else if (c == 'M')
                {
                    result.Append(date.Month.ToString(run == 2 ? "00" : "0", CultureInfo.InvariantCulture));
                }
                else if (c == 'd')
                {
                    result.Append(date.Day.ToString(run == 2 ? "00" : "0", CultureInfo.InvariantCulture));
                }
                else
                {
                    result.Append(format, i, run);
                }

                i += run;
            }

            return result.ToString();
        }

        private static int RunLength(string text, int start)
        {
            var c = text[start];
            if (c != 'y' && c != 'M' && c != 'd')
            {
                return 1;
            }

            var end = start;
            while (end < text.Length && text[end] == c)
            {
                end++;
            }

            return end - start;
        }

        public static string StringLiteral(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

        /// <summary>Levenshtein distance, for "did you mean" suggestions.</summary>
        public static int EditDistance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }

                var swap = previous;
                previous = current;
                current = swap;
            }

            return previous[b.Length];
        }

        public static string Closest(string name, System.Collections.Generic.IEnumerable<string> candidates)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                var distance = EditDistance(name, candidate);
                if (distance < bestDistance)
                {
                    best = candidate;
                    bestDistance = distance;
                }
            }

            return best ?? string.Empty;
        }
    }
}
