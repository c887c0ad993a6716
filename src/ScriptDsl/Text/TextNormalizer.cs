// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0),
// so trigger phrases at build time and buyer messages at run time go through the very same code.
// netstandard2.0 has no spans: the one normalization loop reads an `InputText` and writes an
// `OutputBuffer`, which are spans on .NET and string/char[] in the generator. Same body, two types.
using System;
using System.Collections.Generic;
using System.Globalization;
#if NET
using InputText = System.ReadOnlySpan<char>;
using OutputBuffer = System.Span<char>;
#else
using InputText = System.String;
using OutputBuffer = System.Char[];
#endif

namespace ScriptDsl.Text;

/// <summary>
/// The one normalization applied to trigger phrases when a shop is compiled and to buyer messages
/// when it runs. Character-level: no word segmentation.
/// </summary>
/// <remarks>
/// Rules, in the order a character meets them:
/// <list type="number">
/// <item>Full-width ASCII (U+FF01–FF5E) becomes half-width; ideographic space is a space; ￥ is ¥.</item>
/// <item>Case folding for ASCII, Latin-1, basic Greek and Cyrillic, by fixed offsets (no
/// <see cref="System.Globalization.TextInfo"/>, so no culture can change the result).</item>
/// <item>Traditional → simplified through <see cref="TraditionalChineseTable"/>.</item>
/// <item>CJK compatibility unit squares are spelled out: ㎡ → m2, ㎥ → m3, ㎝ → cm, ㎜ → mm,
/// ㎞ → km, ㎏ → kg, ㎎ → mg, ㎖ → ml. So a slot's unit list only needs "m2"; the quantity
/// extractor normalizes its unit words too, so listing "㎡" also works.</item>
/// <item>Emoticon codes — '[' then 1–4 CJK ideographs then ']' ("[微笑]", "[哈哈]") — and emoji
/// (astral pictographs, U+2600–27BF, arrows, geometric shapes, private-use "SoftBank" emoji) are
/// treated like punctuation: they end a clause. Emoji glue (variation selectors, ZWJ, skin tones,
/// keycap, tag characters) and other format characters are dropped without a trace.</item>
/// <item>Punctuation, symbols, whitespace and control characters become a separator. Every run of
/// separators collapses to one ASCII space, and leading/trailing separators are trimmed, so a
/// phrase never matches across a sentence break ("不, 贵" → "不 贵", which is not "不贵").</item>
/// <item>Kept as text: letters, digits, marks, '%', '$', '¥', ℃-style letterlike symbols, and '.'
/// but only between two ASCII digits ("299.9元" keeps its decimal point, "好.的" does not).
/// Likewise a dash or tilde between two ASCII digits ('-', '~', '〜', '–' and their full-width
/// forms) is kept as '-', so "1000-2000" and "1000~2000" stay one range for the quantity
/// extractor instead of two numbers; anywhere else it is a separator.</item>
/// </list>
/// The output is at most twice as long as the input (only the unit squares expand) and
/// normalizing twice changes nothing. Decisions are precomputed into a 64K-entry table per BMP
/// character at type initialization; the hot loop is one table lookup per character, no regex.
/// Unicode categories come from <see cref="CharUnicodeInfo"/>, which is culture-free; the only
/// difference between hosts is characters assigned in newer Unicode versions than the host knows.
/// </remarks>
public static class TextNormalizer
{
    /// <summary>The single separator that replaces every run of punctuation and whitespace.</summary>
    public const char Separator = ' ';

    private const byte KindKeep = 0;
    private const byte KindSeparator = 1;
    private const byte KindDrop = 2;
    private const byte KindSpecial = 3;

    // s_kind[c] says what to do with BMP character c; for KindKeep, s_fold[c] is what to write.
    private static readonly byte[] s_kind = new byte[65536];
    private static readonly char[] s_fold = new char[65536];

    static TextNormalizer()
    {
        for (int i = 0; i < 65536; i++)
        {
            char c = (char)i;
            s_fold[i] = c;
            s_kind[i] = Classify(c, out s_fold[i]);
        }

        foreach (string pair in TraditionalChineseTable.Pairs)
        {
            s_kind[pair[0]] = KindKeep;
            s_fold[pair[0]] = pair[1];
        }
    }

    /// <summary>The largest output <see cref="Normalize(string)"/> can produce for an input length.</summary>
    public static int MaxOutputLength(int inputLength) => checked(inputLength * 2);

    /// <summary>Normalizes a trigger phrase or a buyer message. See the type remarks for the rules.</summary>
    public static string Normalize(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        if (text.Length == 0)
        {
            return string.Empty;
        }

#if NET
        char[] buffer = System.Buffers.ArrayPool<char>.Shared.Rent(MaxOutputLength(text.Length));
        try
        {
            int written = NormalizeCore(text.AsSpan(), buffer.AsSpan());
            return new string(buffer, 0, written);
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
#else
        char[] buffer = new char[MaxOutputLength(text.Length)];
        int written = NormalizeCore(text, buffer);
        return new string(buffer, 0, written);
#endif
    }

#if NET
    /// <summary>
    /// Allocation-free form for the runtime hot path: writes the normalized text into
    /// <paramref name="destination"/>, which must hold <see cref="MaxOutputLength"/> of the input
    /// length, and returns the number of characters written.
    /// </summary>
    public static int NormalizeInto(ReadOnlySpan<char> text, Span<char> destination)
    {
        if (destination.Length < MaxOutputLength(text.Length))
        {
            throw new ArgumentException("The destination must hold MaxOutputLength(text.Length) characters.", nameof(destination));
        }

        return NormalizeCore(text, destination);
    }
#endif

    private static int NormalizeCore(InputText text, OutputBuffer dest)
    {
        int n = 0;
        bool pendingSeparator = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (s_kind[c])
            {
                case KindKeep:
                    if (pendingSeparator && n > 0)
                    {
                        dest[n++] = Separator;
                    }

                    pendingSeparator = false;
                    dest[n++] = s_fold[c];
                    break;

                case KindSeparator:
                    pendingSeparator = true;
                    break;

                case KindDrop:
                    break;

                default:
                    i = Special(text, i, dest, ref n, ref pendingSeparator);
                    break;
            }
        }

        return n;
    }

    // Characters whose fate depends on their neighbours or that expand. Returns the index of the
    // last input character consumed.
    private static int Special(InputText text, int i, OutputBuffer dest, ref int n, ref bool pendingSeparator)
    {
        char c = text[i];
        switch (c)
        {
            case '[':
            case '［':
                int codeLength = EmoticonCodeLength(text, i);
                pendingSeparator = true;
                return codeLength > 0 ? i + codeLength - 1 : i;

            case '.':
            case '．':
                bool betweenDigits = n > 0 && !pendingSeparator && IsAsciiDigit(dest[n - 1])
                    && i + 1 < text.Length && IsDigitBeforeFolding(text[i + 1]);
                if (betweenDigits)
                {
                    dest[n++] = '.';
                }
                else
                {
                    pendingSeparator = true;
                }

                return i;

            case '-':
            case '－':
            case '~':
            case '～':
            case '\u301C': // 〜 wave dash
            case '\u2013': // – en dash
                bool dashBetweenDigits = n > 0 && !pendingSeparator && IsAsciiDigit(dest[n - 1])
                    && i + 1 < text.Length && IsDigitBeforeFolding(text[i + 1]);
                if (dashBetweenDigits)
                {
                    dest[n++] = '-';
                }
                else
                {
                    pendingSeparator = true;
                }

                return i;
        }

        string? expansion = UnitSquareExpansion(c);
        if (expansion != null)
        {
            if (pendingSeparator && n > 0)
            {
                dest[n++] = Separator;
            }

            pendingSeparator = false;
            foreach (char e in expansion)
            {
                dest[n++] = e;
            }

            return i;
        }

        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            int codePoint = char.ConvertToUtf32(c, text[i + 1]);
            if (IsEmojiGlue(codePoint))
            {
                // Dropped: a skin tone or tag only decorates the pictograph before it.
            }
            else if (IsPictograph(codePoint) || IsPrivateUse(codePoint))
            {
                pendingSeparator = true;
            }
            else
            {
                // Astral text (CJK extension B and beyond) is kept as is.
                if (pendingSeparator && n > 0)
                {
                    dest[n++] = Separator;
                }

                pendingSeparator = false;
                dest[n++] = c;
                dest[n++] = text[i + 1];
            }

            return i + 1;
        }

        // A lone surrogate is not text: drop it.
        return i;
    }

    // Length of an emoticon code "[xx]" starting at i (1–4 CJK ideographs inside), or 0.
    private static int EmoticonCodeLength(InputText text, int i)
    {
        int j = i + 1;
        while (j < text.Length && j - i - 1 < 4 && IsIdeograph(text[j]))
        {
            j++;
        }

        int inner = j - i - 1;
        if (inner >= 1 && j < text.Length && (text[j] == ']' || text[j] == '］'))
        {
            return inner + 2;
        }

        return 0;
    }

    private static bool IsIdeograph(char c) => (c >= '\u4E00' && c <= '\u9FFF') || (c >= '\u3400' && c <= '\u4DBF');

    private static bool IsAsciiDigit(char c) => c >= '0' && c <= '9';

    private static bool IsDigitBeforeFolding(char c) => IsAsciiDigit(c) || (c >= '０' && c <= '９');

    private static string? UnitSquareExpansion(char c)
    {
        switch (c)
        {
            case '㎡': return "m2";
            case '㎥': return "m3";
            case '㎝': return "cm";
            case '㎜': return "mm";
            case '㎞': return "km";
            case '㎏': return "kg";
            case '㎎': return "mg";
            case '㎖': return "ml";
            default: return null;
        }
    }

    private static bool IsEmojiGlue(int codePoint) =>
        (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF) // skin tones
        || (codePoint >= 0xE0000 && codePoint <= 0xE007F) // tags (flag subdivisions)
        || (codePoint >= 0xE0100 && codePoint <= 0xE01EF); // variation selectors supplement

    private static bool IsPictograph(int codePoint) =>
        (codePoint >= 0x1F000 && codePoint <= 0x1FAFF) // mahjong … symbols & pictographs ext-A, flags
        || (codePoint >= 0x1FC00 && codePoint <= 0x1FFFF);

    private static bool IsPrivateUse(int codePoint) => codePoint >= 0xF0000;

    // The fate of one BMP character on its own; neighbours are looked at by Special.
    private static byte Classify(char c, out char fold)
    {
        fold = c;

        // Full-width ASCII behaves exactly like the ASCII character it stands for.
        if (c >= '\uFF01' && c <= '\uFF5E')
        {
            char ascii = (char)(c - 0xFEE0);
            if (ascii == '[' || ascii == '.' || ascii == '-' || ascii == '~')
            {
                return KindSpecial;
            }

            return Classify(ascii, out fold);
        }

        if (c < 0x80)
        {
            if (c >= 'A' && c <= 'Z')
            {
                fold = (char)(c + 32);
                return KindKeep;
            }

            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '%' || c == '$')
            {
                return KindKeep;
            }

            return c == '[' || c == '.' || c == '-' || c == '~' ? KindSpecial : KindSeparator;
        }

        if (c == '\uFFE5')
        {
            fold = '¥';
            return KindKeep;
        }

        if (c == '\u3000')
        {
            return KindSeparator;
        }

        if (UnitSquareExpansion(c) != null || char.IsSurrogate(c) || c == '\u301C' || c == '\u2013')
        {
            return KindSpecial;
        }

        // Emoji presentation and glue characters in the BMP.
        if ((c >= '\uFE00' && c <= '\uFE0F') || c == '\u20E3' || c == '\u200D')
        {
            return KindDrop;
        }

        if ((c >= '\u2600' && c <= '\u27BF') || (c >= '\u2B00' && c <= '\u2BFF')
            || (c >= '\u2190' && c <= '\u21FF') || (c >= '\u2300' && c <= '\u23FF')
            || (c >= '\u2500' && c <= '\u25FF') || c == '\u3297' || c == '\u3299'
            || c == '\u2122' || c == '\u2139')
        {
            return KindSeparator;
        }

        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
                fold = LowerCase(c);
                return KindKeep;

            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.CurrencySymbol:
            case UnicodeCategory.OtherNotAssigned:
                return KindKeep;

            case UnicodeCategory.OtherSymbol:
                // Letterlike (℃, №) and CJK compatibility squares (㎡ handled above) carry meaning;
                // every other pictographic symbol is decoration.
                bool meaningful = (c >= '\u2100' && c <= '\u214F') || (c >= '\u3300' && c <= '\u33FF');
                return meaningful ? KindKeep : KindSeparator;

            case UnicodeCategory.Format:
                return KindDrop;

            default:
                // Punctuation, math and modifier symbols, spaces, controls, private use.
                return KindSeparator;
        }
    }

    // Fixed offsets rather than TextInfo, so the result is identical on every host and culture.
    private static char LowerCase(char c)
    {
        if ((c >= '\u00C0' && c <= '\u00DE' && c != '\u00D7')
            || (c >= '\u0391' && c <= '\u03AB' && c != '\u03A2')
            || (c >= '\u0410' && c <= '\u042F'))
        {
            return (char)(c + 0x20);
        }

        if (c >= '\u0400' && c <= '\u040F')
        {
            return (char)(c + 0x50);
        }

        return c;
    }
}
