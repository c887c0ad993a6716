using System.Globalization;
using ScriptDsl.Model;
using ScriptDsl.Templates;
using ScriptDsl.Text;

namespace ScriptDsl.Engine;

/// <summary>Converts between the state's canonical slot text and typed <see cref="SlotValue"/>s.</summary>
public static class SlotValues
{
    /// <summary>One value per slot of the shop, by ordinal; unknown or invalid values are left unfilled.</summary>
    public static SlotValue[] From(ShopDefinition shop, IReadOnlyDictionary<string, string> slots)
    {
        var values = new SlotValue[shop.Slots.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var slot = shop.Slots[i];
            values[i] = slots.TryGetValue(slot.Name, out var text) && TryParse(slot, text, out var value)
                ? value
                : SlotValue.Empty(slot.Kind);
        }

        return values;
    }

    /// <summary>Whether <paramref name="text"/> is a valid canonical value of the slot.</summary>
    public static bool TryParse(SlotDefinition slot, string text, out SlotValue value)
    {
        switch (slot.Kind)
        {
            case SlotKind.Choice:
                for (var c = 0; c < slot.Choices.Count; c++)
                {
                    if (string.Equals(slot.Choices[c].Value, text, StringComparison.Ordinal))
                    {
                        value = SlotValue.OfChoice(c, slot.Choices[c].Value);
                        return true;
                    }
                }

                break;

            case SlotKind.Number:
                if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    value = SlotValue.OfNumber(number, Canonical(number));
                    return true;
                }

                if (TrySplit(text, out var form, out var lowText, out var highText)
                    && TryNumber(lowText, out var low) && TryNumber(highText, out var high) && Ordered(form, low, high))
                {
                    value = SlotValue.OfNumber(form, low, high);
                    return true;
                }

                break;

            case SlotKind.Money:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minor) && minor >= 0)
                {
                    value = SlotValue.OfMoney(minor);
                    return true;
                }

                if (TrySplit(text, out var moneyForm, out var lowMinorText, out var highMinorText)
                    && TryFen(lowMinorText, out var lowMinor) && TryFen(highMinorText, out var highMinor) && Ordered(moneyForm, lowMinor, highMinor))
                {
                    value = SlotValue.OfMoney(moneyForm, lowMinor, highMinor);
                    return true;
                }

                break;

            case SlotKind.Text:
                value = SlotValue.OfText(text);
                return true;
        }

        value = SlotValue.Empty(slot.Kind);
        return false;
    }

    /// <summary>
    /// The canonical state text of a number slot's reading: "170" exact, "20..30" a range,
    /// "20+..30" 多 (20 and more, below 30), "~500" about, "..800" at most, "800.." at least.
    /// </summary>
    public static string Canonical(QuantityReading reading) => Encode(reading.Form, Canonical(reading.Low), Canonical(reading.High));

    /// <summary>
    /// The canonical state text of a money slot's reading (in yuan) as fen, in the grammar of
    /// <see cref="Canonical(QuantityReading)"/> ("20000+..30000" for 两百多元); false when a bound is
    /// not a whole number of fen.
    /// </summary>
    public static bool TryCanonicalMoney(QuantityReading reading, out string text)
    {
        text = "";
        if (!QuantityExtractor.TryToFen(reading.Low, out var low) || !QuantityExtractor.TryToFen(reading.High, out var high))
        {
            return false;
        }

        text = Encode(reading.Form, low.ToString(CultureInfo.InvariantCulture), high.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    private static string Encode(QuantityForm form, string low, string high) => form switch
    {
        QuantityForm.Range => low + ".." + high,
        QuantityForm.More => low + "+.." + high,
        QuantityForm.About => "~" + low,
        QuantityForm.AtMost => ".." + high,
        QuantityForm.AtLeast => low + "..",
        _ => low,
    };

    // The inverse of Encode for the approximate forms; the exact form is parsed by the caller.
    // The missing bound of ~V, ..H and L.. is the named value, as in a QuantityReading ("0" for ..H).
    private static bool TrySplit(string text, out QuantityForm form, out string low, out string high)
    {
        form = QuantityForm.Exact;
        low = high = "";
        if (text.Length > 1 && text[0] == '~')
        {
            form = QuantityForm.About;
            low = high = text[1..];
            return true;
        }

        var at = text.IndexOf("..", StringComparison.Ordinal);
        if (at < 0 || text.IndexOf("..", at + 2, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        low = text[..at];
        high = text[(at + 2)..];
        if (low.Length == 0 && high.Length > 0)
        {
            form = QuantityForm.AtMost;
            low = "0";
            return true;
        }

        if (high.Length == 0 && low.Length > 0)
        {
            form = QuantityForm.AtLeast;
            high = low;
            return true;
        }

        if (low.Length > 1 && low[^1] == '+' && high.Length > 0)
        {
            form = QuantityForm.More;
            low = low[..^1];
            return true;
        }

        form = QuantityForm.Range;
        return low.Length > 0 && high.Length > 0;
    }

    private static bool TryNumber(string text, out decimal number) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    private static bool TryFen(string text, out long fen) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out fen);

    private static bool Ordered<T>(QuantityForm form, T low, T high)
        where T : IComparable<T> =>
        form is QuantityForm.Range or QuantityForm.More ? low.CompareTo(high) < 0 : low.CompareTo(high) <= 0;

    /// <summary>The canonical text of a number: invariant, no trailing zeros ("20", "1.5").</summary>
    public static string Canonical(decimal number) => (number / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
