using ScriptDsl.Bargaining;
using ScriptDsl.Text;

namespace ScriptDsl.Engine;

/// <summary>
/// Reads what a buyer asks for in a price objection typed in chat: a percentage ("打八折", "9折",
/// "九五折"), free shipping ("包邮", "包个邮"), a price ("700行吗", "700元可以吗"), or else simply
/// "any better". Works on normalized text.
/// </summary>
public static class BargainAskParser
{
    private static readonly QuantityExtractor Money = new(QuantityExtractor.MoneyUnits, digitsAfterUnitAreDecimals: true);

    public static BargainAsk Parse(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (TryPercentOff(normalized, out var percent, out var mentionsRate))
        {
            return BargainAsk.PercentOff(percent);
        }

        if (mentionsRate)
        {
            // "100折", "九十五折": a rate nobody can honour; not an amount either.
            return BargainAsk.AnyBetter();
        }

        var money = Money.FindMoney(normalized);
        if (money.Count > 0 && money[^1].Fen > 0)
        {
            return BargainAsk.Target(money[^1].Fen);
        }

        if (TryBareAmount(normalized, out var fen))
        {
            return BargainAsk.Target(fen);
        }

        if (normalized.Contains("包邮", StringComparison.Ordinal) || normalized.Contains("包个邮", StringComparison.Ordinal)
            || normalized.Contains("免运费", StringComparison.Ordinal))
        {
            return BargainAsk.FreeShipping();
        }

        return BargainAsk.AnyBetter();
    }

    /// <summary>"八折" is 20% off, "九五折" / "95折" 5% off, "7.5折" 25% off.</summary>
    private static bool TryPercentOff(string text, out int percentOff, out bool mentionsRate)
    {
        percentOff = 0;
        mentionsRate = false;
        var at = text.IndexOf('折', StringComparison.Ordinal);
        while (at > 0)
        {
            var start = at;
            while (start > 0 && IsNumeral(text[start - 1]))
            {
                start--;
            }

            var digits = text[start..at];
            mentionsRate |= digits.Length > 0;
            var partOfALargerNumber = start > 0 && text[start - 1] is '十' or '百' or '千' or '万';
            if (digits.Length > 0 && !partOfALargerNumber && TryRate(digits, out var rate) && rate is > 0 and < 100)
            {
                percentOff = 100 - rate;
                return true;
            }

            at = text.IndexOf('折', at + 1);
        }

        return false;
    }

    /// <summary>The price after the discount in percent of list: "八" → 80, "九五" → 95, "7.5" → 75.</summary>
    private static bool TryRate(string digits, out int rate)
    {
        rate = 0;
        if (digits.Contains('.', StringComparison.Ordinal))
        {
            if (!decimal.TryParse(digits, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var d) || d <= 0 || d >= 10)
            {
                return false;
            }

            var scaled = d * 10m;
            if (scaled != decimal.Truncate(scaled))
            {
                return false;
            }

            rate = (int)scaled;
            return true;
        }

        // Digit by digit: "九五" is 9 and 5 → 95, never ninety-five as a number ("九十五" is not a discount).
        var values = new List<int>();
        foreach (var c in digits)
        {
            var v = DigitValue(c);
            if (v < 0)
            {
                return false;
            }

            values.Add(v);
        }

        rate = values.Count switch
        {
            1 => values[0] * 10,
            2 => (values[0] * 10) + values[1],
            _ => -1,
        };
        return rate > 0;
    }

    /// <summary>
    /// A bare integer such as "700行吗": the only number of the last clause that has numbers, so
    /// "785太贵了, 700行吗" asks 700; "买2个300一个行吗" (two numbers in one clause) is not an amount.
    /// </summary>
    private static bool TryBareAmount(string text, out long fen)
    {
        fen = 0;
        var clauses = text.Split(TextNormalizer.Separator);
        for (var c = clauses.Length - 1; c >= 0; c--)
        {
            var clause = clauses[c];
            var found = -1L;
            var runs = 0;
            var i = 0;
            while (i < clause.Length)
            {
                if (!char.IsAsciiDigit(clause[i]))
                {
                    i++;
                    continue;
                }

                var start = i;
                while (i < clause.Length && char.IsAsciiDigit(clause[i]))
                {
                    i++;
                }

                runs++;
                found = i - start > 9 ? -1 : long.Parse(clause.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (runs == 0)
            {
                continue;
            }

            if (runs > 1 || found <= 0)
            {
                return false;
            }

            fen = found * 100;
            return true;
        }

        return false;
    }

    private static bool IsNumeral(char c) => char.IsAsciiDigit(c) || c == '.' || DigitValue(c) >= 0;

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        '一' => 1,
        '二' or '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => -1,
    };
}
