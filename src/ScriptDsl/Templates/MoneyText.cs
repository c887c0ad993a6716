using System.Globalization;

namespace ScriptDsl.Templates;

/// <summary>The one place money (long minor units, fen) is turned into text.</summary>
public static class MoneyText
{
    /// <summary>"785" for 78500, "1.08" for 108, "-0.50" for -50. Never goes through floating point.</summary>
    public static string Format(long minorUnits)
    {
        var negative = minorUnits < 0;
        var abs = negative ? -(decimal)minorUnits : minorUnits;
        var yuan = decimal.Truncate(abs / 100m);
        var fen = (int)(abs - yuan * 100m);
        var text = fen == 0
            ? yuan.ToString(CultureInfo.InvariantCulture)
            : yuan.ToString(CultureInfo.InvariantCulture) + "." + fen.ToString("00", CultureInfo.InvariantCulture);
        return negative ? "-" + text : text;
    }
}
