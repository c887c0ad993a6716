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

    /// <summary>Words that ask for money off when a number follows them: 「便宜50」「少50块」「再优惠五十」.</summary>
    private static readonly string[] AmountOffWords = ["便宜", "优惠", "少", "减", "让", "降"];

    /// <summary>Words that turn a bare number into an ask: 「900行不行」「800卖不卖」「能不能850」.</summary>
    private static readonly string[] AskWords =
    [
        "行不行", "行吗", "行不", "行么", "可以吗", "可以不", "可以么", "可不可以", "卖不卖", "卖吗", "卖么", "能不能", "能卖", "成交",
        "怎么样", "咋样", "好不好", "好吗", "出不出", "拿下", "给我", "就买", "我就要", "吧", "呗",
    ];

    /// <summary>
    /// Words after a number that make it some other quantity: sizes, counts, areas, weights, ages,
    /// dates, a discount rate. The shop's own slot units are added by the caller.
    /// </summary>
    private static readonly string[] OtherUnits =
    [
        "折", "个", "件", "台", "只", "盏", "套", "款", "条", "张", "包", "箱", "平", "㎡", "米", "m", "cm", "mm", "厘米", "公分", "斤", "kg", "公斤", "千克", "g", "克",
        "岁", "号", "楼", "层", "室", "天", "年", "月", "日", "点", "分钟", "小时", "瓦", "w", "寸", "码", "%", "度", "次", "人", "口",
        // 「300一个」「200每件」: a unit price, not the cart's total.
        "一个", "一件", "一台", "一只", "一盏", "一套", "一条", "每",
    ];

    /// <summary>Words before a number that make it some other quantity: 「身高170」「订单号2026…」「手机138…」.</summary>
    private static readonly string[] OtherContexts =
    [
        "身高", "体重", "订单", "单号", "电话", "手机", "号码", "尺码", "腰围", "胸围", "第", "面积", "预算",
    ];

    /// <summary>The longest digit run read as an amount; longer runs are order or phone numbers.</summary>
    private const int MaxAmountDigits = 7;

    /// <summary>A counter-offer below this share of the cart's list total (basis points) is no ask but some other number.</summary>
    public const int PlausibleLowBasisPoints = 3_000;

    public static BargainAsk Parse(string normalized) => Parse(normalized, 0);

    /// <summary>
    /// Reads the ask of a message that already is a price objection. <paramref name="referenceTotalMinor"/>
    /// is the total now on the table (the last offer, else the payable total): 「便宜50」 asks that less
    /// 50 yuan; without a reference (0) an amount off is "any better".
    /// </summary>
    public static BargainAsk Parse(string normalized, long referenceTotalMinor)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (TryPercentOff(normalized, out var percent, out var mentionsRate))
        {
            return BargainAsk.PercentOff(percent);
        }

        if (TryAmountOff(normalized, out var offMinor))
        {
            return referenceTotalMinor > offMinor ? BargainAsk.Target(referenceTotalMinor - offMinor) : BargainAsk.AnyBetter();
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

    /// <summary>
    /// A counter-offer in a message that matched no rule (docs/engine.md, "Counter-offers"): a
    /// discount rate (「打个九折呗」), an amount off (「便宜50」), or a total (「900行不行」「800块卖不卖」
    /// 「能不能850」) that is plausible for the cart — at least <see cref="PlausibleLowBasisPoints"/> of
    /// its list total and below it — and is not another quantity: not followed by a unit of another
    /// kind (<paramref name="shopUnits"/> and the usual measure words: 20平, 两个, 1米7, 九折), not
    /// after a word naming another number (身高, 订单号, 手机), not a run of more than seven digits
    /// (order and phone numbers). A bare total needs a money unit, an ask word (行不行, 卖不卖, 能不能,
    /// 吧, …) or to be the whole message. With several candidates the last one counts.
    /// </summary>
    /// <param name="listTotalMinor">The list total of the cart the ask would be about; no cart (0): no counter-offer.</param>
    /// <param name="referenceTotalMinor">The total now on the table, for an amount off.</param>
    public static bool TryCounterOffer(string normalized, long listTotalMinor, long referenceTotalMinor, IReadOnlyList<string> shopUnits, out BargainAsk ask)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        ArgumentNullException.ThrowIfNull(shopUnits);
        ask = BargainAsk.AnyBetter();
        if (listTotalMinor <= 0)
        {
            return false;
        }

        if (TryPercentOff(normalized, out var percent, out _))
        {
            ask = BargainAsk.PercentOff(percent);
            return true;
        }

        var reference = referenceTotalMinor > 0 ? referenceTotalMinor : listTotalMinor;
        if (TryAmountOff(normalized, out var offMinor) && offMinor * 2 <= reference)
        {
            ask = BargainAsk.Target(reference - offMinor);
            return true;
        }

        var low = MoneyMath.ShareUp(listTotalMinor, PlausibleLowBasisPoints);
        var money = Money.FindMoney(normalized);
        var hasAskWord = ContainsAny(normalized, AskWords);
        long found = -1;
        foreach (var (start, length, fen) in Numbers(normalized))
        {
            var withUnit = false;
            foreach (var hit in money)
            {
                if (hit.Start == start)
                {
                    withUnit = true;
                    break;
                }
            }

            var end = start + length;
            if (fen < low || fen >= listTotalMinor
                || (!withUnit && (StartsWithAny(normalized, end, OtherUnits) || StartsWithAny(normalized, end, shopUnits)))
                || EndsWithAny(normalized, start, OtherContexts))
            {
                continue;
            }

            if (withUnit || hasAskWord || IsWholeMessage(normalized, start, end))
            {
                found = fen;
            }
        }

        if (found < 0)
        {
            return false;
        }

        ask = BargainAsk.Target(found);
        return true;
    }

    /// <summary>「便宜50」「少50块」「再优惠五十元」: the amount asked off, in fen.</summary>
    private static bool TryAmountOff(string text, out long offMinor)
    {
        offMinor = 0;
        foreach (var word in AmountOffWords)
        {
            var at = text.IndexOf(word, StringComparison.Ordinal);
            while (at >= 0)
            {
                var i = at + word.Length;

                // 「至少900」「最少850」 name a total, not an amount off; 「满300减20」 is a coupon.
                var before = at > 0 ? text[at - 1] : TextNormalizer.Separator;
                if (before is '至' or '最' or '多' || char.IsAsciiDigit(before) || IsChineseNumeral(before))
                {
                    at = text.IndexOf(word, at + 1, StringComparison.Ordinal);
                    continue;
                }

                // 「便宜点50」「少个50」: one filler character may stand between.
                if (i < text.Length && text[i] is '点' or '个' or '些')
                {
                    i++;
                }

                foreach (var (start, length, fen) in Numbers(text))
                {
                    if (start == i && fen > 0 && !StartsWithAny(text, start + length, OtherUnits))
                    {
                        offMinor = fen;
                        return true;
                    }
                }

                at = text.IndexOf(word, at + 1, StringComparison.Ordinal);
            }
        }

        return false;
    }

    /// <summary>
    /// Every number of the text as yuan in fen, left to right: runs of ASCII digits (with a decimal
    /// point; runs longer than <see cref="MaxAmountDigits"/> digits are skipped) and runs of Chinese
    /// numerals that <see cref="ChineseNumber"/> reads (八百五, 一千二).
    /// </summary>
    private static List<(int Start, int Length, long Fen)> Numbers(string text)
    {
        var numbers = new List<(int, int, long)>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (char.IsAsciiDigit(text[i]))
            {
                var digits = 0;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))))
                {
                    digits += text[i] == '.' ? 0 : 1;
                    i++;
                }

                if (digits <= MaxAmountDigits
                    && decimal.TryParse(text.AsSpan(start, i - start), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var yuan)
                    && QuantityExtractor.TryToFen(yuan, out var fen))
                {
                    numbers.Add((start, i - start, fen));
                }

                continue;
            }

            if (IsChineseNumeral(text[i]))
            {
                while (i < text.Length && IsChineseNumeral(text[i]))
                {
                    i++;
                }

                if (ChineseNumber.TryParse(text.AsSpan(start, i - start), out var value) && value is > 0 and < 10_000_000)
                {
                    numbers.Add((start, i - start, value * 100));
                }

                continue;
            }

            i++;
        }

        return numbers;
    }

    private static bool IsChineseNumeral(char c) => c is '零' or '一' or '二' or '两' or '三' or '四' or '五' or '六' or '七' or '八' or '九' or '十' or '百' or '千' or '万';

    private static bool IsWholeMessage(string text, int start, int end)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if ((i < start || i >= end) && text[i] != TextNormalizer.Separator && text[i] is not ('呀' or '啊' or '呢' or '哈' or '嘛' or '~' or '?'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContainsAny(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithAny(string text, int at, IReadOnlyList<string> words)
    {
        foreach (var word in words)
        {
            if (word.Length > 0 && text.AsSpan(at).StartsWith(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWithAny(string text, int at, string[] words)
    {
        // Look back over a few characters: 「订单号是2026…」「身高是170」.
        var from = Math.Max(0, at - 4);
        var before = text.AsSpan(from, at - from);
        foreach (var word in words)
        {
            if (before.IndexOf(word.AsSpan(), StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
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
