namespace ScriptDsl.Text;

/// <summary>
/// Parses the numbers buyers type: Chinese numerals (二十, 两百五, 一百零五, 壹佰), Arabic digits
/// (20, 299.9) and the mixed forms of chat (3千, 1万2, 2.5万, 3k, 3w).
/// </summary>
/// <remarks>
/// Grammar, read left to right (the usual section algorithm):
/// <list type="bullet">
/// <item>A <em>digit</em> is one of 零〇一二两三四五六七八九, the formal 壹贰叁肆伍陆柒捌玖 (and
/// 貳參陸, should the text not be normalized), or a run of ASCII digits with an optional
/// decimal part.</item>
/// <item>Small units 十 百 千 (拾 佰 仟, and k after Arabic digits) multiply the digit before them and
/// must come in decreasing order inside a section; 十 may stand first on its own (十五 = 15).</item>
/// <item>Large units 万 and 亿 (萬 億, and w after Arabic digits) close a section: 一亿两千万.</item>
/// <item>零 may stand between a unit and a digit (一百零五 = 105, 一千零二十 = 1020).</item>
/// <item>A single trailing digit right after a unit of 百 or more is abbreviated speech and is
/// scaled by a tenth of that unit: 两百五 = 250, 一千二 = 1200, 三万五 = 35000, 1万2 = 12000.
/// Two or more trailing Arabic digits are taken literally: 3千500 = 3500.</item>
/// </list>
/// Rejected: two digits in a row (一二), a unit with nothing before it other than a leading 十
/// (百, 万一), units out of order (五百三千), a decimal anywhere but before a unit or at the end.
/// Values are exact (<see cref="decimal"/>); at most 15 Arabic digits before the point.
/// </remarks>
public static class ChineseNumber
{
    private const int MaxIntegerDigits = 15;

    /// <summary>Parses a whole integer number (Chinese, Arabic or mixed); false if it has a fraction.</summary>
    public static bool TryParse(string text, out long value)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out value);
    }

    /// <inheritdoc cref="TryParse(string, out long)"/>
    public static bool TryParse(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (!TryParseDecimal(text, out decimal d) || d != decimal.Truncate(d) || d > long.MaxValue)
        {
            return false;
        }

        value = (long)d;
        return true;
    }

    /// <summary>Parses a whole number that may have a decimal part (2.5万, 1.5).</summary>
    public static bool TryParseDecimal(string text, out decimal value)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseDecimal(text.AsSpan(), out value);
    }

    /// <inheritdoc cref="TryParseDecimal(string, out decimal)"/>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        decimal total = 0;       // the part closed by 亿, already multiplied
        decimal wan = 0;         // the part closed by 万 since then, already multiplied
        bool sawYi = false;
        decimal section = 0;     // the open section below 万
        decimal? digit = null;   // the digit waiting for its unit
        bool digitIsDecimal = false;
        int digitArabicLength = 0;
        decimal lastUnit = 0;    // the unit just before the pending digit (for abbreviations)
        decimal sectionUnit = decimal.MaxValue; // smallest small unit used in the section so far
        bool sawZero = false;    // 零 since the last unit
        bool any = false;

        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int chineseDigit = ChineseDigit(c);
            if (chineseDigit >= 0)
            {
                if (digit != null)
                {
                    return false;
                }

                if (chineseDigit == 0)
                {
                    // 零: a placeholder after a unit, or the whole number zero.
                    if (any && lastUnit == 0)
                    {
                        return false;
                    }

                    if (!any && text.Length > 1)
                    {
                        return false;
                    }

                    sawZero = true;
                    any = true;
                    i++;
                    continue;
                }

                digit = chineseDigit;
                digitIsDecimal = false;
                digitArabicLength = 0;
                any = true;
                i++;
                continue;
            }

            if (IsAsciiDigit(c))
            {
                if (digit != null)
                {
                    return false;
                }

                int start = i;
                while (i < text.Length && IsAsciiDigit(text[i]))
                {
                    i++;
                }

                int integerDigits = i - start;
                if (integerDigits > MaxIntegerDigits)
                {
                    return false;
                }

                decimal number = ParseDigits(text.Slice(start, integerDigits));
                digitIsDecimal = false;
                if (i + 1 < text.Length && text[i] == '.' && IsAsciiDigit(text[i + 1]))
                {
                    i++;
                    int fractionStart = i;
                    while (i < text.Length && IsAsciiDigit(text[i]))
                    {
                        i++;
                    }

                    int fractionDigits = i - fractionStart;
                    if (fractionDigits > 10)
                    {
                        return false;
                    }

                    decimal scale = 1;
                    for (int k = 0; k < fractionDigits; k++)
                    {
                        scale *= 10;
                    }

                    number += ParseDigits(text.Slice(fractionStart, fractionDigits)) / scale;
                    digitIsDecimal = true;
                }

                digit = number;
                digitArabicLength = integerDigits;
                any = true;
                continue;
            }

            decimal smallUnit = SmallUnit(c, digitArabicLength > 0);
            if (smallUnit > 0)
            {
                if (digit == null)
                {
                    // Only a leading 十 may stand alone (十五); 一百十 is not how anyone writes 110.
                    if (smallUnit != 10 || any)
                    {
                        return false;
                    }

                    digit = 1;
                }

                if (smallUnit >= sectionUnit)
                {
                    return false;
                }

                section += digit.Value * smallUnit;
                sectionUnit = smallUnit;
                lastUnit = smallUnit;
                digit = null;
                digitIsDecimal = false;
                digitArabicLength = 0;
                sawZero = false;
                any = true;
                i++;
                continue;
            }

            decimal largeUnit = LargeUnit(c, digitArabicLength > 0);
            if (largeUnit > 0)
            {
                decimal group = section + (digit ?? 0);
                if (largeUnit == 10_000)
                {
                    if (group == 0 || wan != 0)
                    {
                        return false;
                    }

                    wan = group * largeUnit;
                }
                else
                {
                    // 亿 closes everything before it, 万 included: 一万亿 = 10^12.
                    if (wan + group == 0 || sawYi)
                    {
                        return false;
                    }

                    total = (wan + group) * largeUnit;
                    wan = 0;
                    sawYi = true;
                }

                section = 0;
                sectionUnit = decimal.MaxValue;
                lastUnit = largeUnit;
                digit = null;
                digitIsDecimal = false;
                digitArabicLength = 0;
                sawZero = false;
                any = true;
                i++;
                continue;
            }

            return false;
        }

        if (!any)
        {
            return false;
        }

        if (digit != null)
        {
            bool abbreviated = lastUnit >= 100 && !sawZero && (digitArabicLength == 0 || digitArabicLength == 1);
            if (digitIsDecimal && lastUnit > 0)
            {
                return false;
            }

            if (abbreviated)
            {
                section += digit.Value * (lastUnit / 10);
            }
            else
            {
                if (lastUnit > 0 && digit.Value >= (sectionUnit == decimal.MaxValue ? lastUnit : sectionUnit))
                {
                    // 3千5000: the tail would not fit below the unit before it.
                    return false;
                }

                section += digit.Value;
            }
        }

        value = total + wan + section;
        return true;
    }

    /// <summary>True when <paramref name="c"/> can be part of a number token (digit or unit).</summary>
    internal static bool IsNumberChar(char c) =>
        IsAsciiDigit(c) || ChineseDigit(c) >= 0 || SmallUnit(c, false) > 0 || LargeUnit(c, false) > 0;

    /// <summary>True when <paramref name="c"/> can start a number: a digit or a leading 十.</summary>
    internal static bool CanStartNumber(char c) => IsAsciiDigit(c) || ChineseDigit(c) >= 0 || c == '十' || c == '拾';

    internal static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

    /// <summary>0–9 for a Chinese digit character, −1 otherwise.</summary>
    internal static int ChineseDigit(char c)
    {
        switch (c)
        {
            case '零': case '〇': return 0;
            case '一': case '壹': return 1;
            case '二': case '两': case '贰': case '貳': case '兩': return 2;
            case '三': case '叁': case '參': return 3;
            case '四': case '肆': return 4;
            case '五': case '伍': return 5;
            case '六': case '陆': case '陸': return 6;
            case '七': case '柒': return 7;
            case '八': case '捌': return 8;
            case '九': case '玖': return 9;
            default: return -1;
        }
    }

    private static decimal SmallUnit(char c, bool afterArabic)
    {
        switch (c)
        {
            case '十': case '拾': return 10;
            case '百': case '佰': return 100;
            case '千': case '仟': return 1000;
            case 'k': return afterArabic ? 1000 : 0;
            default: return 0;
        }
    }

    private static decimal LargeUnit(char c, bool afterArabic)
    {
        switch (c)
        {
            case '万': case '萬': return 10_000;
            case '亿': case '億': return 100_000_000;
            case 'w': return afterArabic ? 10_000 : 0;
            default: return 0;
        }
    }

    private static decimal ParseDigits(ReadOnlySpan<char> digits)
    {
        decimal result = 0;
        foreach (char d in digits)
        {
            result = (result * 10) + (d - '0');
        }

        return result;
    }
}
