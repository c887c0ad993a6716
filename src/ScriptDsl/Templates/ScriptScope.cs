using ScriptDsl.Model;

namespace ScriptDsl.Templates;

/// <summary>
/// Everything a compiled template or condition may read: the built-in context (shop, cart, buyer),
/// the conversation's slots, the current item, and, inside a bargaining policy, the policy's values.
/// Generated code indexes slots by their ordinal in <see cref="ShopDefinition.Slots"/>; facts are
/// constants inlined by the generator and never looked up here.
/// </summary>
public sealed class ScriptScope
{
    public required ShopDefinition Shop { get; init; }

    /// <summary>One entry per slot of the shop, by ordinal; <see cref="SlotValue.IsFilled"/> false when unknown.</summary>
    public required SlotValue[] Slots { get; init; }

    /// <summary>The item just recommended, or null outside a recommendation.</summary>
    public ItemDefinition? Item { get; init; }

    public CartView Cart { get; init; } = CartView.Empty;

    public BuyerView Buyer { get; init; } = BuyerView.Anonymous;

    /// <summary>
    /// The policy's values: in a bargaining policy's replies those of the step; in every other reply
    /// of a shop with a price policy the cart's pricing (total, list_total, per_day, to_next_coupon,
    /// coupon, use_period) as the Quoter computes it. Null when the caller rendered without them;
    /// generated code then reads <see cref="PolicyValues.None"/>.
    /// </summary>
    public PolicyValues? Policy { get; init; }
}

/// <summary>
/// A slot's value, typed. Choice values carry their ordinal in the slot's choice list.
/// </summary>
/// <remarks>
/// A number or money value may be approximate, as buyers give it (两百多, 三四百, 500左右, 不超过800):
/// <see cref="Form"/> says how, <see cref="Low"/>/<see cref="High"/> (number slots) and
/// <see cref="MoneyLow"/>/<see cref="MoneyHigh"/> (money slots, fen) bound it, and
/// <see cref="Number"/>/<see cref="Money"/> hold the one value a condition compares
/// (docs/text-processing.md, "Approximate quantities"): the middle of a range or of 多, the value of
/// 左右, the bound of 不超过 or 至少. <see cref="Text"/> shows it the way a reply should repeat it:
/// "200多", "300-400", "约500", "不超过800", "至少800". An exact value has Low = High = the value.
/// </remarks>
public readonly record struct SlotValue(SlotKind Kind, string Text, int Choice, decimal Number, long Money)
{
    public bool IsFilled => Text is not null;

    /// <summary>Exact, or how the buyer's quantity is approximate.</summary>
    public ScriptDsl.Text.QuantityForm Form { get; init; }

    /// <summary>True when the buyer gave a range or an estimate rather than one value.</summary>
    public bool IsApproximate => Form != ScriptDsl.Text.QuantityForm.Exact;

    /// <summary>Lower bound of a number slot's value (0 for 不超过).</summary>
    public decimal Low { get; init; }

    /// <summary>Upper bound of a number slot's value; <see cref="decimal.MaxValue"/> for 至少 (none).</summary>
    public decimal High { get; init; }

    /// <summary>Lower bound of a money slot's value, in fen (0 for 不超过).</summary>
    public long MoneyLow { get; init; }

    /// <summary>Upper bound of a money slot's value, in fen; <see cref="long.MaxValue"/> for 至少 (none).</summary>
    public long MoneyHigh { get; init; }

    public static SlotValue Empty(SlotKind kind) => new(kind, null!, -1, 0m, 0L);

    public static SlotValue OfChoice(int choice, string value) => new(SlotKind.Choice, value, choice, 0m, 0L);

    public static SlotValue OfNumber(decimal number, string text) => new(SlotKind.Number, text, -1, number, 0L) { Low = number, High = number };

    public static SlotValue OfMoney(long minorUnits) => new(SlotKind.Money, MoneyText.Format(minorUnits), -1, 0m, minorUnits) { MoneyLow = minorUnits, MoneyHigh = minorUnits };

    public static SlotValue OfText(string text) => new(SlotKind.Text, text, -1, 0m, 0L);

    /// <summary>
    /// A number as the buyer gave it, with the bounds of a <see cref="ScriptDsl.Text.QuantityReading"/>:
    /// both bounds for Range and More; the value in <paramref name="low"/> for About (the ±10% band is
    /// derived here) and AtLeast; the bound in <paramref name="high"/> for AtMost.
    /// </summary>
    public static SlotValue OfNumber(ScriptDsl.Text.QuantityForm form, decimal low, decimal high)
    {
        Bounds(form, low, high, out decimal value, out decimal lower, out decimal upper);
        var text = Describe(form, Canonical(low), Canonical(high));
        return new SlotValue(SlotKind.Number, text, -1, value, 0L) { Form = form, Low = lower, High = upper };
    }

    /// <summary>An approximate amount of money in fen; bounds as for <see cref="OfNumber(ScriptDsl.Text.QuantityForm, decimal, decimal)"/>.</summary>
    public static SlotValue OfMoney(ScriptDsl.Text.QuantityForm form, long lowMinor, long highMinor)
    {
        if (form is not (ScriptDsl.Text.QuantityForm.Range or ScriptDsl.Text.QuantityForm.More or ScriptDsl.Text.QuantityForm.About
            or ScriptDsl.Text.QuantityForm.AtMost or ScriptDsl.Text.QuantityForm.AtLeast))
        {
            return OfMoney(lowMinor);
        }

        Bounds(form, lowMinor, highMinor, out long value, out long lower, out long upper);
        var text = Describe(form, MoneyText.Format(lowMinor), MoneyText.Format(highMinor));
        return new SlotValue(SlotKind.Money, text, -1, 0m, value) { Form = form, MoneyLow = lower, MoneyHigh = upper };
    }

    // One rule for numbers (decimal) and money (long fen): a range compares as its middle (for fen,
    // low + (high - low) / 2 truncates like integer division), an estimate as the number said with a
    // ±10 % band, a limit as the limit.
    private static void Bounds<T>(ScriptDsl.Text.QuantityForm form, T low, T high, out T value, out T lower, out T upper)
        where T : System.Numerics.INumber<T>, System.Numerics.IMinMaxValue<T>
    {
        var two = T.CreateChecked(2);
        var ten = T.CreateChecked(10);
        switch (form)
        {
            case ScriptDsl.Text.QuantityForm.Range:
            case ScriptDsl.Text.QuantityForm.More:
                value = low + ((high - low) / two);
                lower = low;
                upper = high;
                return;
            case ScriptDsl.Text.QuantityForm.About:
                value = low;
                lower = low - (low / ten);
                upper = low + (low / ten);
                return;
            case ScriptDsl.Text.QuantityForm.AtMost:
                value = high;
                lower = T.Zero;
                upper = high;
                return;
            case ScriptDsl.Text.QuantityForm.AtLeast:
                value = low;
                lower = low;
                upper = T.MaxValue;
                return;
            default:
                value = low;
                lower = low;
                upper = low;
                return;
        }
    }

    // How a reply repeats it: "200多", "300-400", "约500", "不超过800", "至少800" (a unit may follow).
    private static string Describe(ScriptDsl.Text.QuantityForm form, string low, string high) => form switch
    {
        ScriptDsl.Text.QuantityForm.Range => low + "-" + high,
        ScriptDsl.Text.QuantityForm.More => low + "多",
        ScriptDsl.Text.QuantityForm.About => "约" + low,
        ScriptDsl.Text.QuantityForm.AtMost => "不超过" + high,
        ScriptDsl.Text.QuantityForm.AtLeast => "至少" + low,
        _ => low,
    };

    private static string Canonical(decimal number) => (number / 1.000000000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The buyer's cart as the client sent it. Totals are in minor units.</summary>
public sealed class CartView
{
    public static readonly CartView Empty = new([]);

    public CartView(IReadOnlyList<CartLineView> lines)
    {
        Lines = lines;
        long total = 0;
        long count = 0;
        foreach (var line in lines)
        {
            total = checked(total + line.SubtotalMinor);
            count += line.Quantity;
        }

        TotalMinor = total;
        Count = count;
    }

    public IReadOnlyList<CartLineView> Lines { get; }

    public long TotalMinor { get; }

    public long Count { get; }
}

public sealed record CartLineView(string Sku, string Name, long UnitPriceMinor, int Quantity, string Category)
{
    public long SubtotalMinor => checked(UnitPriceMinor * Quantity);
}

/// <summary>What the client knows about the buyer: a tier the script may test, and extra facts.</summary>
public sealed class BuyerView
{
    public static readonly BuyerView Anonymous = new("", new Dictionary<string, string>(StringComparer.Ordinal));

    public BuyerView(string tier, IReadOnlyDictionary<string, string> facts)
    {
        Tier = tier;
        Facts = facts;
    }

    public string Tier { get; }

    public IReadOnlyDictionary<string, string> Facts { get; }
}

/// <summary>Values a bargaining policy's reply templates may name (total, per_day, gift, coupon, ...).</summary>
public sealed class PolicyValues
{
    /// <summary>All zeros and empty names: what a reply reads when no pricing was computed.</summary>
    public static readonly PolicyValues None = new();

    public long TotalMinor { get; init; }

    public long ListTotalMinor { get; init; }

    public long PerDayMinor { get; init; }

    public int UsePeriodDays { get; init; }

    public int UsePeriodYears { get; init; }

    public string GiftName { get; init; } = "";

    public long GiftCostMinor { get; init; }

    public string CouponName { get; init; } = "";

    public long CouponThresholdMinor { get; init; }

    public long CouponAmountMinor { get; init; }

    public long ToNextCouponMinor { get; init; }

    public long AskMinor { get; init; }

    public int Round { get; init; }

    /// <summary>Days an unpaid order is kept (the shop's <c>payment_reminder within N days</c>; 0 when it declares none), for a close reply.</summary>
    public int PaymentDays { get; init; }
}
