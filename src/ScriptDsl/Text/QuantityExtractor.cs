namespace ScriptDsl.Text;

/// <summary>A number followed by one of a slot's unit words: "20平", "1.5米", "二十平米".</summary>
/// <param name="Value">The number, exact.</param>
/// <param name="Unit">The unit word as the slot declared it (the first declared one when two
/// declared words normalize alike, e.g. "㎡" and "m2").</param>
/// <param name="Start">Index of the number's first character in the normalized text.</param>
/// <param name="Length">Characters covered: number, optional separator, unit, decimal tail.</param>
public readonly record struct QuantityHit(decimal Value, string Unit, int Start, int Length);

/// <summary>An amount of money: "300元" → 30000 fen, "299.9元" → 29990, "三百块" → 30000.</summary>
/// <param name="Fen">The amount in fen (minor units), exact.</param>
/// <param name="Unit">The unit word as the slot declared it.</param>
/// <param name="Start">Index of the number's first character in the normalized text.</param>
/// <param name="Length">Characters covered.</param>
public readonly record struct MoneyHit(long Fen, string Unit, int Start, int Length);

/// <summary>
/// Finds numbers with units in a normalized message (see <see cref="TextNormalizer"/>), for the
/// unit words of one slot.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A number is anything <see cref="ChineseNumber"/> parses: 20, 1.5, 二十, 两百五, 3千, 2.5万,
/// 3k, 3w. The longest number that is followed by a unit wins, so "五千克" with the unit 千克 is
/// 5 千克 and "5w" with the unit w (watts) is 5 w, while "3w元" is 30000 元.</item>
/// <item>The unit must follow the number directly or after one separator ("20 平").</item>
/// <item>Unit words are normalized like the text, so "㎡" and "m2" are the same unit (the normalizer
/// spells ㎡ as m2); the longest unit word wins ("平方米" over "平").</item>
/// <item>A number is taken whole or not at all: in "123平" there is no hit "23平".</item>
/// <item>With <c>digitsAfterUnitAreDecimals</c> (height and money slots), one or two digits right
/// after the unit are its decimal places, as people say it: "1米6" = 1.6 米, "一米六五" = 1.65 米,
/// "三块五" = 3.5 块 = 350 fen. Off by default: "20平3室" must not become 20.3 平.</item>
/// <item>Money must come out as a whole number of fen; "1.234元" is not a hit. Prefix currency
/// signs ("¥300") are not recognized.</item>
/// </list>
/// </remarks>
public sealed partial class QuantityExtractor
{
    /// <summary>Floor area units.</summary>
    public static readonly IReadOnlyList<string> AreaUnits = ["平", "平米", "平方", "平方米", "㎡", "m2", "个平方"];

    /// <summary>Money units (yuan).</summary>
    public static readonly IReadOnlyList<string> MoneyUnits = ["元", "块", "块钱", "元钱", "rmb", "圆"];

    /// <summary>Body weight units.</summary>
    public static readonly IReadOnlyList<string> WeightUnits = ["斤", "kg", "公斤", "千克"];

    private readonly string[] _normalizedUnits; // longest first, ordinal among equals
    private readonly string[] _declaredUnits;   // same order: what to report
    private readonly decimal[] _factors;        // same order: one unit in the first unit
    private readonly bool[] _decimalTail;       // same order: "1米6" reads 6 as decimals of this unit
    private readonly bool _digitsAfterUnitAreDecimals;

    /// <summary>An extractor for one slot's unit words.</summary>
    public QuantityExtractor(IEnumerable<string> unitWords, bool digitsAfterUnitAreDecimals = false)
        : this(unitWords, [], digitsAfterUnitAreDecimals)
    {
    }

    /// <summary>
    /// An extractor for one slot's unit words and the further words the script declared with a
    /// factor (<c>unit "斤" = 0.5 kg</c>): <see cref="FindReadings(ReadOnlySpan{char}, List{QuantityReading})"/>
    /// reports values in the first unit, multiplied by the word's factor (110斤 → 55). A word in both
    /// lists takes its factor. Units worth 10 or more of the first unit (米 = 100 cm) read the digits
    /// after them as decimals ("1米7" = 1.7 米 = 170 cm) even without <paramref name="digitsAfterUnitAreDecimals"/>.
    /// </summary>
    public QuantityExtractor(IEnumerable<string> unitWords, IEnumerable<ScriptDsl.Model.UnitFactor> factors, bool digitsAfterUnitAreDecimals = false)
    {
        ArgumentNullException.ThrowIfNull(unitWords);
        ArgumentNullException.ThrowIfNull(factors);
        var units = new List<(string Normalized, string Declared, decimal Factor)>();
        foreach (var factor in factors)
        {
            ArgumentNullException.ThrowIfNull(factor, nameof(factors));
            if (factor.Factor <= 0)
            {
                throw new ArgumentException("The unit \"" + factor.Word + "\" has the factor " + factor.Factor.ToString(System.Globalization.CultureInfo.InvariantCulture) + "; it must be positive.", nameof(factors));
            }

            Add(units, factor.Word, factor.Factor, nameof(factors));
        }

        foreach (string word in unitWords)
        {
            Add(units, word, 1m, nameof(unitWords));
        }

        units.Sort((a, b) => a.Normalized.Length != b.Normalized.Length
            ? b.Normalized.Length.CompareTo(a.Normalized.Length)
            : string.CompareOrdinal(a.Normalized, b.Normalized));
        _normalizedUnits = units.ConvertAll(u => u.Normalized).ToArray();
        _declaredUnits = units.ConvertAll(u => u.Declared).ToArray();
        _factors = units.ConvertAll(u => u.Factor).ToArray();
        _decimalTail = units.ConvertAll(u => digitsAfterUnitAreDecimals || u.Factor >= 10).ToArray();
        _digitsAfterUnitAreDecimals = digitsAfterUnitAreDecimals;

        static void Add(List<(string Normalized, string Declared, decimal Factor)> units, string word, decimal factor, string parameter)
        {
            ArgumentNullException.ThrowIfNull(word, parameter);
            string normalized = TextNormalizer.Normalize(word);
            if (normalized.Length == 0)
            {
                throw new ArgumentException("The unit word \"" + word + "\" is empty once normalized.", parameter);
            }

            if (!units.Exists(u => string.Equals(u.Normalized, normalized, StringComparison.Ordinal)))
            {
                units.Add((normalized, word, factor));
            }
        }
    }

    /// <summary>An extractor with no unit words, for the bare answers of a number slot without units.</summary>
    public static QuantityExtractor Unitless { get; } = new([]);

    /// <summary>Appends each number-with-unit found in <paramref name="normalizedText"/>, left to right.</summary>
    public void FindAll(ReadOnlySpan<char> normalizedText, List<QuantityHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        int i = 0;
        while (i < normalizedText.Length)
        {
            if (TryMatchAt(normalizedText, i, out decimal value, out int unit, out int end, out int next))
            {
                hits.Add(new QuantityHit(value, _declaredUnits[unit], i, end - i));
            }

            i = next;
        }
    }

    /// <inheritdoc cref="FindAll(ReadOnlySpan{char}, List{QuantityHit})"/>
    public List<QuantityHit> FindAll(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var hits = new List<QuantityHit>();
        FindAll(normalizedText.AsSpan(), hits);
        return hits;
    }

    /// <summary>Appends each amount of money found, in fen; amounts that are not whole fen are skipped.</summary>
    public void FindMoney(ReadOnlySpan<char> normalizedText, List<MoneyHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        int i = 0;
        while (i < normalizedText.Length)
        {
            if (TryMatchAt(normalizedText, i, out decimal value, out int unit, out int end, out int next)
                && TryToFen(value, out long fen))
            {
                hits.Add(new MoneyHit(fen, _declaredUnits[unit], i, end - i));
            }

            i = next;
        }
    }

    /// <inheritdoc cref="FindMoney(ReadOnlySpan{char}, List{MoneyHit})"/>
    public List<MoneyHit> FindMoney(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var hits = new List<MoneyHit>();
        FindMoney(normalizedText.AsSpan(), hits);
        return hits;
    }

    /// <summary>Yuan as exact fen: false when it is not a whole number of fen or does not fit.</summary>
    public static bool TryToFen(decimal yuan, out long fen)
    {
        fen = 0;
        if (yuan < 0 || yuan > long.MaxValue / 100)
        {
            return false;
        }

        decimal scaled = yuan * 100;
        if (scaled != decimal.Truncate(scaled))
        {
            return false;
        }

        fen = (long)scaled;
        return true;
    }

    // Tries a number token starting at i. `next` is where scanning resumes: past the hit, or past
    // the whole token when there is none (so no suffix of a number is ever read as a number).
    private bool TryMatchAt(ReadOnlySpan<char> text, int i, out decimal value, out int unit, out int end, out int next)
    {
        value = 0;
        unit = -1;
        end = i;
        next = i + 1;
        if (!ChineseNumber.CanStartNumber(text[i]))
        {
            return false;
        }

        int tokenEnd = NumberTokenEnd(text, i);
        next = tokenEnd;
        for (int numberEnd = tokenEnd; numberEnd > i; numberEnd--)
        {
            if (!ChineseNumber.TryParseDecimal(text[i..numberEnd], out decimal number))
            {
                continue;
            }

            int unitStart = numberEnd;
            int found = MatchUnit(text, unitStart);
            if (found < 0 && unitStart < text.Length && text[unitStart] == TextNormalizer.Separator)
            {
                unitStart++;
                found = MatchUnit(text, unitStart);
            }

            if (found < 0)
            {
                continue;
            }

            end = unitStart + _normalizedUnits[found].Length;
            if (_digitsAfterUnitAreDecimals && number == decimal.Truncate(number))
            {
                end = ReadDecimalTail(text, end, ref number);
            }

            value = number;
            unit = found;
            next = end;
            return true;
        }

        return false;
    }

    private static int NumberTokenEnd(ReadOnlySpan<char> text, int i)
    {
        int j = i;
        while (j < text.Length)
        {
            char c = text[j];
            bool afterDigit = j > i && ChineseNumber.IsAsciiDigit(text[j - 1]);
            if (ChineseNumber.IsNumberChar(c)
                || (afterDigit && (c == 'k' || c == 'w'))
                || (afterDigit && c == '.' && j + 1 < text.Length && ChineseNumber.IsAsciiDigit(text[j + 1])))
            {
                j++;
                continue;
            }

            break;
        }

        return j;
    }

    private int MatchUnit(ReadOnlySpan<char> text, int at)
    {
        ReadOnlySpan<char> rest = text[at..];
        for (int u = 0; u < _normalizedUnits.Length; u++)
        {
            if (rest.StartsWith(_normalizedUnits[u], StringComparison.Ordinal))
            {
                return u;
            }
        }

        return -1;
    }

    // "1米6", "1米65", "一米六五", "三块五": one or two digits right after the unit, and nothing
    // number-like after them, are decimal places.
    private static int ReadDecimalTail(ReadOnlySpan<char> text, int at, ref decimal number)
    {
        int j = at;
        decimal fraction = 0;
        decimal scale = 1;
        while (j < text.Length && j - at < 2)
        {
            int d = ChineseNumber.IsAsciiDigit(text[j]) ? text[j] - '0' : ChineseNumber.ChineseDigit(text[j]);
            if (d < 0)
            {
                break;
            }

            scale *= 10;
            fraction += d / scale;
            j++;
        }

        if (j == at || (j < text.Length && (ChineseNumber.IsNumberChar(text[j]) || text[j] == '.')))
        {
            return at;
        }

        number += fraction;
        return j;
    }
}
