namespace ScriptDsl.Templates;

/// <summary>
/// Dates in replies, by the template date-format subset: yyyy, yy, M, MM, d, dd; every other
/// character is copied ("M月d日" → "12月12日"). Culture-free by construction: digits are ASCII and
/// no calendar other than the Gregorian one is involved. The template compiler validates formats
/// and formats constant dates itself; this is for dates known only at run time.
/// </summary>
public static class DateText
{
    public static string Format(DateOnly date, string format)
    {
        var writer = new TemplateWriter(stackalloc char[64]);
        try
        {
            writer.AppendDate(date, format);
            return writer.ToString();
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>Writes <paramref name="date"/> by <paramref name="format"/>; throws <see cref="FormatException"/> on a run outside the subset (yyy, MMM, ddd, ...).</summary>
    internal static void Write(ref TemplateWriter writer, DateOnly date, ReadOnlySpan<char> format)
    {
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            var run = 1;
            if (c is 'y' or 'M' or 'd')
            {
                while (i + run < format.Length && format[i + run] == c)
                {
                    run++;
                }
            }

            switch (c, run)
            {
                case ('y', 4):
                    WriteDigits(ref writer, date.Year, 4);
                    break;
                case ('y', 2):
                    WriteDigits(ref writer, date.Year % 100, 2);
                    break;
                case ('M', 1 or 2):
                    WriteDigits(ref writer, date.Month, run);
                    break;
                case ('d', 1 or 2):
                    WriteDigits(ref writer, date.Day, run);
                    break;
                case ('y' or 'M' or 'd', _):
                    throw new FormatException($"Date format \"{format.ToString()}\" uses '{format.Slice(i, run).ToString()}'; the supported specifiers are yyyy, yy, M, MM, d, dd.");
                default:
                    writer.Append(c);
                    break;
            }

            i += run;
        }
    }

    private static void WriteDigits(ref TemplateWriter writer, int value, int minimumDigits)
    {
        Span<char> digits = stackalloc char[8];
        var length = 0;
        do
        {
            digits[length++] = (char)('0' + (value % 10));
            value /= 10;
        }
        while (value > 0);

        while (length < minimumDigits)
        {
            digits[length++] = '0';
        }

        for (var k = length - 1; k >= 0; k--)
        {
            writer.Append(digits[k]);
        }
    }
}
