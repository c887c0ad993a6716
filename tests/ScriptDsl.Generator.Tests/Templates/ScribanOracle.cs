using System.Collections.Concurrent;
using System.Globalization;
using Scriban;
using Scriban.Runtime;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>
/// Scriban's own <c>Template.Render</c> over the same values a compiled template reads from its
/// <see cref="ScriptScope"/>: the oracle for what a reply template means. The model handed to
/// Scriban is the language's: money is yuan (a decimal: 78500 fen is 785.00), an unfilled slot is
/// null, a choice or text slot its text, a number slot its number, dates are dates; the custom
/// functions are the reply filters, registered exactly as the language defines them (money formats
/// yuan like <see cref="MoneyText"/>, date formats like <see cref="DateText"/>, default replaces
/// null and empty text).
/// </summary>
internal static class ScribanOracle
{
    /// <summary>A fact as Scriban sees it: string, long, decimal (money in yuan), bool or DateOnly.</summary>
    public sealed record Fact(string Name, object Value);

    /// <summary>A slot's name, kind and value in the scope.</summary>
    public sealed record Slot(string Name, SlotKind Kind);

    private static readonly ConcurrentDictionary<string, Scriban.Template> Parsed = new(StringComparer.Ordinal);

    public static string Render(string templateText, IReadOnlyList<Fact> facts, IReadOnlyList<Slot> slots, ScriptScope scope)
    {
        var template = Parsed.GetOrAdd(templateText, text => Scriban.Template.Parse(text));
        if (template.HasErrors)
        {
            throw new InvalidOperationException("Scriban cannot parse «" + templateText + "»: " + string.Join("; ", template.Messages));
        }

        var globals = new ScriptObject();
        foreach (var fact in facts)
        {
            globals[fact.Name] = fact.Value;
        }

        for (var i = 0; i < slots.Count; i++)
        {
            globals[slots[i].Name] = SlotValueOf(scope.Slots[i]);
        }

        globals["shop"] = Object(("name", scope.Shop.DisplayName), ("id", scope.Shop.Id), ("honorific", scope.Shop.Honorific));
        globals["buyer"] = Object(("tier", scope.Buyer.Tier));
        var lines = new ScriptArray();
        foreach (var line in scope.Cart.Lines)
        {
            lines.Add(Object(
                ("sku", line.Sku),
                ("name", line.Name),
                ("price", Yuan(line.UnitPriceMinor)),
                ("quantity", line.Quantity),
                ("category", line.Category),
                ("subtotal", Yuan(line.SubtotalMinor))));
        }

        globals["cart"] = Object(("total", Yuan(scope.Cart.TotalMinor)), ("count", scope.Cart.Count), ("lines", lines));
        if (scope.Item is { } item)
        {
            globals["item"] = Object(("sku", item.Sku), ("name", item.Name), ("price", Yuan(item.PriceMinor)), ("point", item.Point), ("category", item.Category));
        }

        if (scope.Policy is { } policy)
        {
            globals["total"] = Yuan(policy.TotalMinor);
            globals["list_total"] = Yuan(policy.ListTotalMinor);
            globals["per_day"] = Yuan(policy.PerDayMinor);
            globals["to_next_coupon"] = Yuan(policy.ToNextCouponMinor);
            globals["ask"] = Yuan(policy.AskMinor);
            globals["round"] = policy.Round;
            globals["use_period"] = Object(("years", policy.UsePeriodYears), ("days", policy.UsePeriodDays));
            globals["gift"] = Object(("name", policy.GiftName), ("cost", Yuan(policy.GiftCostMinor)));
            globals["coupon"] = Object(("name", policy.CouponName), ("threshold", Yuan(policy.CouponThresholdMinor)), ("amount", Yuan(policy.CouponAmountMinor)));
        }

        globals.Import("money", new Func<object?, string?>(Money));
        globals.Import("date", new Func<object?, string, string?>(Date));
        globals.Import("default", new Func<object?, object?, object?>(Default));

        var context = new TemplateContext { StrictVariables = true };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    public static decimal Yuan(long minor) => minor / 100m;

    /// <summary>The value Scriban is given for a slot: null when unfilled.</summary>
    public static object? SlotValueOf(SlotValue value)
    {
        if (!value.IsFilled)
        {
            return null;
        }

        return value.Kind switch
        {
            SlotKind.Number => value.Number,
            SlotKind.Money => Yuan(value.Money),
            _ => value.Text,
        };
    }

    private static ScriptObject Object(params (string Name, object? Value)[] members)
    {
        var result = new ScriptObject();
        foreach (var (name, value) in members)
        {
            result[name] = value;
        }

        return result;
    }

    // The reply filters as Scriban functions.

    private static string? Money(object? value) => value switch
    {
        null => null,
        decimal yuan when decimal.Truncate(yuan * 100m) == yuan * 100m => MoneyText.Format((long)(yuan * 100m)),
        _ => throw new InvalidOperationException("money of " + value.GetType().Name + " " + Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static string? Date(object? value, string format) => value switch
    {
        null => null,
        DateOnly date => DateText.Format(date, format),
        _ => throw new InvalidOperationException("date of " + value.GetType().Name),
    };

    private static object? Default(object? value, object? fallback) =>
        value is null || (value is string text && text.Length == 0) ? fallback : value;
}
