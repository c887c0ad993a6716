namespace ScriptDsl.Text;

/// <summary>How exactly a buyer gave a quantity.</summary>
public enum QuantityForm
{
    /// <summary>One value: "165", "300元", "一米七".</summary>
    Exact,

    /// <summary>Between two values: "三四百" (300–400), "20到30平", "1000-2000".</summary>
    Range,

    /// <summary>A round number and some more, below the next step of its last digit: "两百多" (200–300), "二十多平" (20–30).</summary>
    More,

    /// <summary>About a value: "500左右", "大概500", "500上下".</summary>
    About,

    /// <summary>At most a value: "不超过800", "800以内", "最多800", "800以下".</summary>
    AtMost,

    /// <summary>At least a value: "至少800", "800以上", "起码800".</summary>
    AtLeast,
}

/// <summary>A quantity as a buyer wrote it, converted to the slot's first unit.</summary>
/// <param name="Form">Exact, or how it is approximate.</param>
/// <param name="Low">The value for <see cref="QuantityForm.Exact"/> and <see cref="QuantityForm.About"/>
/// (then equal to <paramref name="High"/>); the lower bound of a range or of "多"; the bound of
/// <see cref="QuantityForm.AtLeast"/>; 0 for <see cref="QuantityForm.AtMost"/>.</param>
/// <param name="High">The upper bound of a range, of "多" and of <see cref="QuantityForm.AtMost"/>;
/// equal to <paramref name="Low"/> for <see cref="QuantityForm.AtLeast"/> (which has none).</param>
/// <param name="Start">Index of the first character (a prefix word like 不超过 included) in the normalized text.</param>
/// <param name="Length">Characters covered, prefix and suffix words (左右, 以内) included.</param>
/// <param name="HasUnit">Whether a unit word was written; a reading without one is only taken as the
/// answer to the question just asked.</param>
public readonly record struct QuantityReading(QuantityForm Form, decimal Low, decimal High, int Start, int Length, bool HasUnit);

/// <content>
/// Approximate quantities and ranges, read left to right by hand: a handful of fixed words around
/// a number do not need a regex engine, and the scan allocates nothing but the result list.
/// </content>
public sealed partial class QuantityExtractor
{
    // Longest first within each list, so 不超过 wins over 超过 at the same position.
    private static readonly (string Word, QuantityForm Form)[] Prefixes =
    [
        ("不要超过", QuantityForm.AtMost),
        ("不能超过", QuantityForm.AtMost),
        ("不超过", QuantityForm.AtMost),
        ("不高于", QuantityForm.AtMost),
        ("不多于", QuantityForm.AtMost),
        ("别超过", QuantityForm.AtMost),
        ("不少于", QuantityForm.AtLeast),
        ("不低于", QuantityForm.AtLeast),
        ("差不多", QuantityForm.About),
        ("不超", QuantityForm.AtMost),
        ("不到", QuantityForm.AtMost),
        ("最多", QuantityForm.AtMost),
        ("顶多", QuantityForm.AtMost),
        ("至多", QuantityForm.AtMost),
        ("最高", QuantityForm.AtMost),
        ("低于", QuantityForm.AtMost),
        ("少于", QuantityForm.AtMost),
        ("至少", QuantityForm.AtLeast),
        ("最少", QuantityForm.AtLeast),
        ("起码", QuantityForm.AtLeast),
        ("超过", QuantityForm.AtLeast),
        ("高于", QuantityForm.AtLeast),
        ("多于", QuantityForm.AtLeast),
        ("大概", QuantityForm.About),
        ("大约", QuantityForm.About),
        ("大致", QuantityForm.About),
        ("约", QuantityForm.About),
    ];

    private static readonly (string Word, QuantityForm Form)[] Suffixes =
    [
        ("左右", QuantityForm.About),
        ("上下", QuantityForm.About),
        ("以内", QuantityForm.AtMost),
        ("之内", QuantityForm.AtMost),
        ("以下", QuantityForm.AtMost),
        ("以上", QuantityForm.AtLeast),
    ];

    // The first characters of every prefix and suffix word above.
    private const string WordStarts = "不别差最顶至低少起超高多大约左上以之";

    // Characters right after a unitless number that make it something else than the answer to a
    // quantity question: a count (2个, 3室), a date (11月11号), a discount (8折), another unit
    // (110斤 when the slot is a height).
    private const string NotAQuantityAfter = "个件只条套双天号月日年点分秒岁次楼室厅层位台盏张本瓶袋箱包盒斤克米寸尺码折倍周期元块毛角钱平方度届w瓦%#";

    // Characters right before one: an ordinal (第2), a sale (双11), a number sign (号, #), the
    // decimals of another unit (1米7 without 米 declared, 3块5), a date (11月11).
    private const string NotAQuantityBefore = "第双号#米块元斤月周期点";

    /// <summary>
    /// Appends each quantity with a unit word found in <paramref name="normalizedText"/>, left to
    /// right, exact or approximate, in the slot's first unit (see <see cref="QuantityForm"/>).
    /// </summary>
    public void FindReadings(ReadOnlySpan<char> normalizedText, List<QuantityReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        int i = 0;
        while (i < normalizedText.Length)
        {
            if (TryReadAt(normalizedText, i, out QuantityReading reading, out int next) && reading.HasUnit)
            {
                readings.Add(reading);
            }

            i = next;
        }
    }

    /// <inheritdoc cref="FindReadings(ReadOnlySpan{char}, List{QuantityReading})"/>
    public List<QuantityReading> FindReadings(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var readings = new List<QuantityReading>();
        FindReadings(normalizedText.AsSpan(), readings);
        return readings;
    }

    /// <summary>
    /// Appends the quantities written without a unit word that can stand for the answer to a
    /// quantity question inside a longer message ("我身高165", "预算两百多"): at least one ASCII digit
    /// or a 十/百/千/万 (so the 一 of 一下 is not one), fewer than 7 digits in a row (an order or phone
    /// number is not a quantity), and no count word, date, ordinal, discount, other unit or letter
    /// right before or after (2个, 11月11号, 第2, 双11, 8折, 110斤, iphone15).
    /// </summary>
    public void FindUnitlessReadings(ReadOnlySpan<char> normalizedText, List<QuantityReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        int i = 0;
        while (i < normalizedText.Length)
        {
            if (TryReadAt(normalizedText, i, out QuantityReading reading, out int next) && !reading.HasUnit
                && StandsAlone(normalizedText, reading))
            {
                readings.Add(reading);
            }

            i = next;
        }
    }

    /// <summary>
    /// Reads a whole message that is only a quantity, with or without a unit word, optionally
    /// followed by a particle ("170", "两百多吧", "1000-2000", "不超过800"): the answer to the question
    /// just asked. False for anything else, and for 7 or more digits in a row.
    /// </summary>
    public bool TryReadWhole(ReadOnlySpan<char> normalizedText, out QuantityReading reading)
    {
        reading = default;
        int end = normalizedText.Length;
        while (end > 0 && (normalizedText[end - 1] == TextNormalizer.Separator || IsParticle(normalizedText[end - 1])))
        {
            end--;
        }

        ReadOnlySpan<char> text = normalizedText[..end];
        int start = 0;
        while (start < text.Length && text[start] == TextNormalizer.Separator)
        {
            start++;
        }

        if (start >= text.Length || LongestDigitRun(text) >= 7)
        {
            return false;
        }

        if (!TryReadAt(text, start, out QuantityReading found, out _) || found.Start + found.Length != text.Length)
        {
            return false;
        }

        reading = found;
        return true;
    }

    // One quantity starting at i: [prefix] term [connector term] [suffix]. `next` is where the scan
    // resumes: past the reading, or past the whole number token when there is none.
    private bool TryReadAt(ReadOnlySpan<char> text, int i, out QuantityReading reading, out int next)
    {
        reading = default;
        next = i + 1;
        QuantityForm prefix = QuantityForm.Exact;
        int j = i;
        int prefixLength = MatchWord(text, i, Prefixes, out QuantityForm prefixForm);
        if (prefixLength > 0)
        {
            j = i + prefixLength;
            if (j < text.Length && text[j] == TextNormalizer.Separator)
            {
                j++;
            }

            if (j >= text.Length || !ChineseNumber.CanStartNumber(text[j]))
            {
                return false;
            }

            prefix = prefixForm;
        }
        else if (!ChineseNumber.CanStartNumber(text[i]))
        {
            return false;
        }

        if (!TryReadTerm(text, j, out Term first))
        {
            next = Math.Max(i + 1, NumberTokenEnd(text, j));
            return false;
        }

        QuantityForm form = first.Pair ? QuantityForm.Range : first.More ? QuantityForm.More : QuantityForm.Exact;
        int unit = first.Unit;
        decimal low = first.Low * Factor(unit);
        decimal high = first.High * Factor(unit);
        int end = first.End;

        if (form == QuantityForm.Exact && TryConnector(text, end, out int second, out bool dash)
            && TryReadTerm(text, second, out Term last) && !last.More && !last.Pair
            && (!dash || (!FollowsNumber(text, j) && !(last.End < text.Length && (text[last.End] == '-' || ChineseNumber.IsAsciiDigit(text[last.End]))))))
        {
            int lowUnit = first.Unit >= 0 ? first.Unit : last.Unit;
            int highUnit = last.Unit >= 0 ? last.Unit : first.Unit;
            decimal rangeLow = first.Low * Factor(lowUnit);
            decimal rangeHigh = last.High * Factor(highUnit);
            if (rangeLow < rangeHigh)
            {
                form = QuantityForm.Range;
                low = rangeLow;
                high = rangeHigh;
                unit = lowUnit;
                end = last.End;
            }
        }

        int suffixLength = MatchWord(text, end, Suffixes, out QuantityForm suffix);
        if (suffixLength > 0)
        {
            end += suffixLength;
            if (suffix == QuantityForm.AtMost)
            {
                form = QuantityForm.AtMost;
            }
            else if (suffix == QuantityForm.AtLeast)
            {
                form = QuantityForm.AtLeast;
            }
            else if (form == QuantityForm.Exact)
            {
                form = QuantityForm.About;
            }
        }

        if (form == QuantityForm.Exact)
        {
            form = prefix;
        }

        switch (form)
        {
            case QuantityForm.AtMost:
                low = 0;
                break;
            case QuantityForm.AtLeast:
                high = low;
                break;
        }

        reading = new QuantityReading(form, low, high, i, end - i, unit >= 0);
        next = end;
        return true;
    }

    private decimal Factor(int unit) => unit >= 0 ? _factors[unit] : 1m;

    private readonly struct Term
    {
        public Term(decimal low, decimal high, bool more, bool pair, int unit, int end)
        {
            Low = low;
            High = high;
            More = more;
            Pair = pair;
            Unit = unit;
            End = end;
        }

        public decimal Low { get; }

        public decimal High { get; }

        public bool More { get; }

        public bool Pair { get; }

        public int Unit { get; }

        public int End { get; }
    }

    // A number (or a pair like 三四百), an optional 多, an optional unit word and its decimal tail.
    // The longest number that reaches a unit wins ("五千克" is 5 千克); with no unit anywhere, the
    // longest number that parses.
    private bool TryReadTerm(ReadOnlySpan<char> text, int j, out Term term)
    {
        term = default;
        if (j >= text.Length || !ChineseNumber.CanStartNumber(text[j]))
        {
            return false;
        }

        int tokenEnd = NumberTokenEnd(text, j);
        if (TryReadPair(text, j, tokenEnd, out term))
        {
            return true;
        }

        bool haveFallback = false;
        for (int numberEnd = tokenEnd; numberEnd > j; numberEnd--)
        {
            if (!ChineseNumber.TryParseDecimal(text[j..numberEnd], out decimal number))
            {
                continue;
            }

            int k = numberEnd;
            bool more = false;
            decimal step = 0;
            if (k < text.Length && text[k] == '多' && !(k + 1 < text.Length && text[k + 1] == '少') && TryMoreStep(number, out step))
            {
                more = true;
                k++;
            }

            int unit = MatchUnitAfter(text, ref k);
            if (unit < 0)
            {
                if (!haveFallback)
                {
                    haveFallback = true;
                    term = new Term(number, more ? number + step : number, more, false, -1, k);
                }

                continue;
            }

            if (!more && _decimalTail[unit] && number == decimal.Truncate(number))
            {
                k = ReadDecimalTail(text, k, ref number);
            }

            term = new Term(number, more ? number + step : number, more, false, unit, k);
            return true;
        }

        return haveFallback;
    }

    // 三四百 = 300–400, 两三千块 = 2000–3000, 五六十平 = 50–60: two neighbouring digits before a unit.
    private bool TryReadPair(ReadOnlySpan<char> text, int j, int tokenEnd, out Term term)
    {
        term = default;
        if (tokenEnd - j < 3)
        {
            return false;
        }

        int d1 = ChineseNumber.ChineseDigit(text[j]);
        int d2 = ChineseNumber.ChineseDigit(text[j + 1]);
        if (d1 <= 0 || d2 != d1 + 1 || !IsMultiplier(text[j + 2]))
        {
            return false;
        }

        Span<char> lower = stackalloc char[64];
        for (int numberEnd = tokenEnd; numberEnd > j + 2; numberEnd--)
        {
            ReadOnlySpan<char> upperText = text[(j + 1)..numberEnd];
            if (upperText.Length > lower.Length || !ChineseNumber.TryParseDecimal(upperText, out decimal high))
            {
                continue;
            }

            upperText.CopyTo(lower);
            lower[0] = text[j];
            if (!ChineseNumber.TryParseDecimal(lower[..upperText.Length], out decimal low))
            {
                continue;
            }

            int k = numberEnd;
            int unit = MatchUnitAfter(text, ref k);
            term = new Term(low, high, false, true, unit, unit >= 0 ? k : numberEnd);
            return true;
        }

        return false;
    }

    private static bool IsMultiplier(char c) => c is '十' or '百' or '千' or '万' or '拾' or '佰' or '仟' or '萬';

    // 二十多 → 10 more, 两百多 → 100, 一千二百多 → 100, 2000多 → 1000: the place of the last non-zero digit.
    private static bool TryMoreStep(decimal number, out decimal step)
    {
        step = 0;
        if (number < 10 || number != decimal.Truncate(number))
        {
            return false;
        }

        decimal place = 1;
        while (number % (place * 10) == 0)
        {
            place *= 10;
        }

        if (place < 10)
        {
            return false;
        }

        step = place;
        return true;
    }

    // The unit word at k, or after one separator; k moves past it when found.
    private int MatchUnitAfter(ReadOnlySpan<char> text, ref int k)
    {
        int found = MatchUnit(text, k);
        if (found >= 0)
        {
            k += _normalizedUnits[found].Length;
            return found;
        }

        if (k < text.Length && text[k] == TextNormalizer.Separator)
        {
            found = MatchUnit(text, k + 1);
            if (found >= 0)
            {
                k += 1 + _normalizedUnits[found].Length;
                return found;
            }
        }

        return -1;
    }

    // 到, 至, or a dash kept by the normalizer between two digits; a separator may surround 到/至.
    private static bool TryConnector(ReadOnlySpan<char> text, int at, out int next, out bool dash)
    {
        next = at;
        dash = false;
        if (at < text.Length && text[at] == '-')
        {
            dash = true;
            next = at + 1;
            return true;
        }

        int k = at < text.Length && text[at] == TextNormalizer.Separator ? at + 1 : at;
        if (k < text.Length && (text[k] == '到' || text[k] == '至'))
        {
            k++;
            if (k < text.Length && text[k] == TextNormalizer.Separator)
            {
                k++;
            }

            next = k;
            return true;
        }

        return false;
    }

    private static bool FollowsNumber(ReadOnlySpan<char> text, int at) =>
        at > 0 && (text[at - 1] == '-' || ChineseNumber.IsAsciiDigit(text[at - 1]));

    private static int MatchWord(ReadOnlySpan<char> text, int at, (string Word, QuantityForm Form)[] words, out QuantityForm form)
    {
        form = QuantityForm.Exact;
        if (at >= text.Length)
        {
            return 0;
        }

        // Most characters start no word: one lookup instead of a comparison per word.
        if (!WordStarts.Contains(text[at], StringComparison.Ordinal))
        {
            return 0;
        }

        ReadOnlySpan<char> rest = text[at..];
        foreach (var (word, wordForm) in words)
        {
            if (rest.StartsWith(word, StringComparison.Ordinal))
            {
                form = wordForm;
                return word.Length;
            }
        }

        return 0;
    }

    private static bool StandsAlone(ReadOnlySpan<char> text, QuantityReading reading)
    {
        ReadOnlySpan<char> span = text.Slice(reading.Start, reading.Length);
        bool spoken = false;
        foreach (char c in span)
        {
            if (ChineseNumber.IsAsciiDigit(c) || IsMultiplier(c))
            {
                spoken = true;
                break;
            }
        }

        if (!spoken || LongestDigitRun(span) >= 7)
        {
            return false;
        }

        int end = reading.Start + reading.Length;
        return !(reading.Start > 0 && IsConfusableNeighbour(text[reading.Start - 1], NotAQuantityBefore))
            && !(end < text.Length && IsConfusableNeighbour(text[end], NotAQuantityAfter));
    }

    private static bool IsConfusableNeighbour(char c, string words) =>
        (c >= 'a' && c <= 'z') || ChineseNumber.IsAsciiDigit(c) || c == '-' || c == '.' || words.Contains(c, StringComparison.Ordinal);

    private static bool IsParticle(char c) => c is '吧' or '啊' or '呀' or '哦' or '呢' or '哈' or '嘛' or '噢' or '哟' or '啦' or '的' or '咯' or '吖';

    private static int LongestDigitRun(ReadOnlySpan<char> text)
    {
        int longest = 0;
        int run = 0;
        foreach (char c in text)
        {
            run = ChineseNumber.IsAsciiDigit(c) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
