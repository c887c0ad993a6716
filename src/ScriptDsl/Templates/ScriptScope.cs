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

    /// <summary>Set only while rendering a bargaining policy's replies.</summary>
    public PolicyValues? Policy { get; init; }
}

/// <summary>A slot's value, typed. Choice values carry their ordinal in the slot's choice list.</summary>
public readonly record struct SlotValue(SlotKind Kind, string Text, int Choice, decimal Number, long Money)
{
    public bool IsFilled => Text is not null;

    public static SlotValue Empty(SlotKind kind) => new(kind, null!, -1, 0m, 0L);

    public static SlotValue OfChoice(int choice, string value) => new(SlotKind.Choice, value, choice, 0m, 0L);

    public static SlotValue OfNumber(decimal number, string text) => new(SlotKind.Number, text, -1, number, 0L);

    public static SlotValue OfMoney(long minorUnits) => new(SlotKind.Money, MoneyText.Format(minorUnits), -1, 0m, minorUnits);

    public static SlotValue OfText(string text) => new(SlotKind.Text, text, -1, 0m, 0L);
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
