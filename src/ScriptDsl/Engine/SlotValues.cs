using System.Globalization;
using ScriptDsl.Model;
using ScriptDsl.Templates;

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

                break;

            case SlotKind.Money:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minor) && minor >= 0)
                {
                    value = SlotValue.OfMoney(minor);
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

    /// <summary>The canonical text of a number: invariant, no trailing zeros ("20", "1.5").</summary>
    public static string Canonical(decimal number) => (number / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
