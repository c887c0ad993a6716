using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Templates;
using ScriptDsl.Generator.Tests.Infrastructure;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>The lamp shop of the language sketch, as a template environment and as a runtime scope.</summary>
internal static class TemplateFixture
{
    public const string FilePath = "scripts/lamp_shop.csdsl";

    /// <summary>Where test templates start: line 12, column 14 (just after the opening quote), offset 300.</summary>
    public static readonly SourcePosition Start = new(300, 12, 14);

    public static readonly FactSymbol[] Facts =
    [
        new("courier", ValueKind.Text, new BoundTextLiteral("中通快递"), "中通快递"),
        new("ship_within_hours", ValueKind.Int, new BoundWholeLiteral(ValueKind.Int, 48), "48"),
        new("lifetime_hours", ValueKind.Int, new BoundWholeLiteral(ValueKind.Int, 20000), "20000"),
        new("base_price", ValueKind.Money, new BoundWholeLiteral(ValueKind.Money, 59900), "599"),
        new("promo_end", ValueKind.Date, new BoundDateLiteral(2026, 12, 12), "2026-12-12"),
        new("free_install", ValueKind.Bool, new BoundBoolLiteral(true), "true"),
        new("empty_note", ValueKind.Text, new BoundTextLiteral(""), ""),
    ];

    public static readonly SlotSymbol[] Slots =
    [
        new("room", ValueKind.Choice, 0, new EquatableArray<string>(["客厅", "卧室", "餐厅", "阳台", "书房"])),
        new("style", ValueKind.Choice, 1, new EquatableArray<string>(["现代简约", "北欧", "中式"])),
        new("area", ValueKind.Number, 2, EquatableArray<string>.Empty),
        new("budget", ValueKind.Money, 3, EquatableArray<string>.Empty),
        new("name", ValueKind.Text, 4, EquatableArray<string>.Empty),
    ];

    public static TemplateEnvironment Environment(TemplateContextKind context = TemplateContextKind.Reply) =>
        new(new EquatableArray<FactSymbol>(Facts), new EquatableArray<SlotSymbol>(Slots), context);

    public static CompiledTemplate Compile(string raw, TemplateContextKind context = TemplateContextKind.Reply) =>
        TemplateCompiler.Compile(new TemplateSource(raw, FilePath, Start), Environment(context));

    /// <summary>Compiles, asserts no diagnostics, compiles the C# and renders it against <paramref name="scope"/>.</summary>
    public static string Render(string raw, ScriptScope scope, TemplateContextKind context = TemplateContextKind.Reply)
    {
        var compiled = Compile(raw, context);
        Assert.True(compiled.Diagnostics.Count == 0, "Unexpected diagnostics: " + string.Join("; ", compiled.Diagnostics.Select(d => d.Id + " " + d.FormatMessage())));
        var body = TemplateTestCompiler.CompileBody(compiled.BodyLines);
        return new Template(raw, body).Render(scope);
    }

    public static ShopDefinition Shop() => new()
    {
        Id = "lamp_shop",
        DisplayName = "明亮灯饰",
        Currency = "CNY",
        Honorific = "亲",
        Particles = ["呢", "哟", "哈"],
        SourceFile = FilePath,
        SourceHash = new string('0', 64),
        Facts = [],
        Slots = [],
        Concepts = [],
        Items = [],
        Intents = [],
        Stages = [],
        Triggers = [],
        Automaton = EmptyAutomaton(),
        SlotPhrases = [],
        SlotPhraseAutomaton = EmptyAutomaton(),
        CrossSells = [],
        Fallback = new ReplyDefinition([]),
        PolicyNames = [],
    };

    // The root-only automaton (what the builder makes of no patterns); spelled out because the
    // builder type is compiled into both the runtime and the generator this project references.
    // Reflection picks the runtime's copy of the data type.
    private static ScriptDsl.Matching.TriggerAutomaton EmptyAutomaton()
    {
        var dataType = typeof(ShopDefinition).Assembly.GetType("ScriptDsl.Matching.TriggerAutomatonData", throwOnError: true)!;
        var data = Activator.CreateInstance(dataType, new object[] { Array.Empty<char>(), new[] { 0, 0 }, Array.Empty<int>(), Array.Empty<int>(), new[] { 0 }, new[] { -1 }, new[] { 0, 0 }, Array.Empty<int>(), Array.Empty<int>(), Array.Empty<int>() })!;
        return (ScriptDsl.Matching.TriggerAutomaton)Activator.CreateInstance(typeof(ScriptDsl.Matching.TriggerAutomaton), data)!;
    }

    public static SlotValue[] EmptySlots() =>
    [
        SlotValue.Empty(SlotKind.Choice),
        SlotValue.Empty(SlotKind.Choice),
        SlotValue.Empty(SlotKind.Number),
        SlotValue.Empty(SlotKind.Money),
        SlotValue.Empty(SlotKind.Text),
    ];

    public static ScriptScope Scope(
        SlotValue[]? slots = null,
        ItemDefinition? item = null,
        CartView? cart = null,
        PolicyValues? policy = null,
        string tier = "") => new()
    {
        Shop = Shop(),
        Slots = slots ?? EmptySlots(),
        Item = item,
        Cart = cart ?? CartView.Empty,
        Buyer = new BuyerView(tier, new Dictionary<string, string>(StringComparer.Ordinal)),
        Policy = policy,
    };

    public static SlotValue[] Slots_(string? room = null, string? style = null, decimal? area = null, long? budget = null, string? name = null)
    {
        var slots = EmptySlots();
        if (room != null)
        {
            slots[0] = SlotValue.OfChoice(Array.IndexOf(Slots[0].Choices.ToArray(), room), room);
        }

        if (style != null)
        {
            slots[1] = SlotValue.OfChoice(Array.IndexOf(Slots[1].Choices.ToArray(), style), style);
        }

        if (area != null)
        {
            slots[2] = SlotValue.OfNumber(area.Value, area.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (budget != null)
        {
            slots[3] = SlotValue.OfMoney(budget.Value);
        }

        if (name != null)
        {
            slots[4] = SlotValue.OfText(name);
        }

        return slots;
    }

    public static PolicyValues Policy() => new()
    {
        TotalMinor = 78500,
        ListTotalMinor = 89900,
        PerDayMinor = 108,
        UsePeriodDays = 730,
        UsePeriodYears = 2,
        GiftName = "遥控器",
        GiftCostMinor = 2500,
        CouponName = "满减券",
        CouponThresholdMinor = 100000,
        CouponAmountMinor = 5000,
        ToNextCouponMinor = 21500,
        AskMinor = 70000,
        Round = 2,
    };
}
