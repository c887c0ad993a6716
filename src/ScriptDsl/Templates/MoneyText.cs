using System.Globalization;

namespace ScriptDsl.Templates;

/// <summary>The one place money (long minor units, fen) is turned into text.</summary>
public static class MoneyText
{
    /// <summary>Longest text: "-92233720368547758.08".</summary>
    public const int MaxLength = 21;

    /// <summary>"785" for 78500, "1.08" for 108, "-0.50" for -50. Never goes through floating point.</summary>
    public static string Format(long minorUnits)
    {
        Span<char> buffer = stackalloc char[MaxLength];
        var written = Format(minorUnits, buffer);
        return new string(buffer[..written]);
    }

    /// <summary>Writes the same text as <see cref="Format(long)"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> chars); returns its length.</summary>
    public static int Format(long minorUnits, Span<char> destination)
    {
        var negative = minorUnits < 0;

        // Via ulong so long.MinValue has a magnitude too.
        var abs = negative ? (ulong)(-(minorUnits + 1)) + 1UL : (ulong)minorUnits;
        var yuan = abs / 100UL;
        var fen = (int)(abs % 100UL);
        var length = 0;
        if (negative)
        {
            destination[length++] = '-';
        }

        length += WriteDigits(yuan, destination[length..]);
        if (fen != 0)
        {
            destination[length++] = '.';
            destination[length++] = (char)('0' + (fen / 10));
            destination[length++] = (char)('0' + (fen % 10));
        }

        return length;
    }

    /// <summary>
    /// The decimal digits of <paramref name="value"/> (ASCII, no sign, no grouping) into
    /// <paramref name="destination"/>; returns how many. Culture cannot touch it, and it is the hot
    /// path of every rendered amount, so it skips the general formatter.
    /// </summary>
    public static int WriteDigits(ulong value, Span<char> destination)
    {
        var count = 1;
        for (var rest = value / 10; rest != 0; rest /= 10)
        {
            count++;
        }

        for (var i = count - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }

        return count;
    }
}
