using System.Globalization;
using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Templates;
using ScriptDsl.Generator.Tests.Infrastructure;
using ScriptDsl.Model;
using ScriptDsl.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>
/// Scriban is the oracle for what a reply means: every template of a generated corpus, and every
/// template of the shops under scripts/, is rendered both with our compiled C# and with Scriban's
/// own Template.Render over the same values (see <see cref="ScribanOracle"/>), in several
/// conversations (unanswered slots, zero, empty text, empty and full carts), and the texts must be
/// identical. A construct whose meaning differs is a build error, so it never reaches this test.
/// </summary>
public class ScribanDifferentialTests
{
    private static readonly ScribanOracle.Fact[] OracleFacts =
    [
        new("courier", "中通快递"),
        new("ship_within_hours", 48L),
        new("lifetime_hours", 20000L),
        new("base_price", 599m),
        new("promo_end", new DateOnly(2026, 12, 12)),
        new("free_install", true),
        new("empty_note", ""),
    ];

    private static readonly ScribanOracle.Slot[] OracleSlots = Slots.Select(s => new ScribanOracle.Slot(s.Name, KindOf(s.Kind))).ToArray();

    [Fact]
    public void TheGeneratedCorpusRendersExactlyAsScribanRendersIt()
    {
        var corpus = Corpus.Build();
        var clean = new List<(string Text, IReadOnlyList<string> Body)>();
        var rejected = 0;
        foreach (var (text, context) in corpus)
        {
            var compiled = Compile(text, context);
            if (compiled.Diagnostics.Count == 0)
            {
                clean.Add((text, compiled.BodyLines.ToArray()));
            }
            else
            {
                rejected++;
            }
        }

        // The corpus is meant to be valid; the few it rejects are checks (default on a value that
        // always has one, ...) other tests cover. Most must compile, or this test tests nothing.
        Assert.True(clean.Count >= 500, "only " + clean.Count + " of " + corpus.Count + " templates compiled (" + rejected + " rejected)");
        var bodies = CompileAll(clean.Select(c => c.Body).ToList());
        var mismatches = new List<string>();
        var renders = 0;
        foreach (var scope in Conversations())
        {
            for (var i = 0; i < clean.Count; i++)
            {
                var ours = new Template(clean[i].Text, bodies[i]).Render(scope);
                var scriban = ScribanOracle.Render(clean[i].Text, OracleFacts, OracleSlots, scope);
                renders++;
                if (!string.Equals(ours, scriban, StringComparison.Ordinal))
                {
                    mismatches.Add("«" + clean[i].Text + "» with " + Describe(scope) + ": ours «" + ours + "», Scriban «" + scriban + "»");
                }
            }
        }

        Assert.True(mismatches.Count == 0, mismatches.Count + " of " + renders + " renders differ:\n" + string.Join("\n", mismatches.Take(30)));
    }

    [Theory]
    [InlineData("lamp_shop.csdsl")]
    [InlineData("apparel_shop.csdsl")]
    public void EveryTemplateOfTheExampleShopsRendersExactlyAsScribanRendersIt(string script)
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.ReadScript(script), "scripts/" + script);
        var model = compilation.Model!;
        Assert.NotNull(model);
        var facts = model.Facts.Select(f => new ScribanOracle.Fact(f.Name, FactValue(f))).ToArray();
        var slots = model.Slots.Select(s => new ScribanOracle.Slot(s.Name, KindOf(s.Kind))).ToArray();
        var templates = model.Templates.ToArray();
        Assert.True(templates.Length > 20, script + " has only " + templates.Length + " templates");
        var bodies = CompileAll(templates.Select(t => (IReadOnlyList<string>)TemplateEmitter.Emit(t.Body)).ToList());
        var mismatches = new List<string>();
        foreach (var slotValues in ShopConversations(model))
        {
            foreach (var policy in new[] { Policy(), ZeroPolicy() })
            {
                var scope = Scope(slots: slotValues, item: Lamp(), cart: FullCart(), policy: policy, tier: "vip");
                for (var i = 0; i < templates.Length; i++)
                {
                    var ours = new Template(templates[i].Source, bodies[i]).Render(scope);
                    var scriban = ScribanOracle.Render(templates[i].Source, facts, slots, scope);
                    if (!string.Equals(ours, scriban, StringComparison.Ordinal))
                    {
                        mismatches.Add(script + ":" + templates[i].Line + " «" + templates[i].Source + "»: ours «" + ours + "», Scriban «" + scriban + "»");
                    }
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(30)));
    }

    // ---- conversations ----

    private static IEnumerable<ScriptScope> Conversations()
    {
        yield return Scope(slots: EmptySlots(), item: Lamp(), cart: CartView.Empty, policy: Policy());
        yield return Scope(slots: Slots_("客厅", "北欧", 25.5m, 50000, "王先生"), item: Lamp(), cart: FullCart(), policy: Policy(), tier: "vip");
        yield return Scope(slots: Slots_("卧室", null, 20m, 0, ""), item: Lamp(), cart: OneLineCart(), policy: ZeroPolicy());
        yield return Scope(slots: Slots_("书房", "中式", 0m, 100000, null), item: Lamp(), cart: FullCart(), policy: ZeroPolicy(), tier: "normal");
        yield return Scope(slots: Slots_(null, "现代简约", 1000.05m, 108, "李"), item: Lamp(), cart: CartView.Empty, policy: Policy());
    }

    private static IEnumerable<SlotValue[]> ShopConversations(ShopModel model)
    {
        yield return model.Slots.Select(s => SlotValue.Empty(KindOf(s.Kind))).ToArray();
        for (var variant = 0; variant < 3; variant++)
        {
            yield return model.Slots.Select((s, i) => Filled(s, variant + i)).ToArray();
        }
    }

    private static SlotValue Filled(SlotModel slot, int k)
    {
        switch (KindOf(slot.Kind))
        {
            case SlotKind.Choice:
                var choice = k % slot.Choices.Count;
                return SlotValue.OfChoice(choice, slot.Choices[choice].Value);
            case SlotKind.Number:
                var number = new[] { 0m, 20m, 35.5m }[k % 3];
                return SlotValue.OfNumber(number, number.ToString(CultureInfo.InvariantCulture));
            case SlotKind.Money:
                return SlotValue.OfMoney(new[] { 0L, 29900L, 150050L }[k % 3]);
            default:
                return SlotValue.OfText(new[] { "", "王先生", "175cm" }[k % 3]);
        }
    }

    private static ItemDefinition Lamp() => new("nb201", "NB-201", "北欧吸顶灯", 59900, "吸顶灯", "进口光源");

    private static CartView FullCart() => new([
        new CartLineView("NB-201", "北欧吸顶灯", 59900, 1, "吸顶灯"),
        new CartLineView("TD-7", "护眼台灯", 12850, 3, "台灯"),
    ]);

    private static CartView OneLineCart() => new([new CartLineView("TD-7", "护眼台灯", 0, 2, "台灯")]);

    private static PolicyValues ZeroPolicy() => new()
    {
        TotalMinor = 0,
        ListTotalMinor = 100,
        PerDayMinor = 0,
        UsePeriodDays = 0,
        UsePeriodYears = 0,
        GiftName = "",
        GiftCostMinor = 0,
        CouponName = "",
        CouponThresholdMinor = 0,
        CouponAmountMinor = 0,
        ToNextCouponMinor = 0,
        AskMinor = 5,
        Round = 0,
    };

    private static string Describe(ScriptScope scope) =>
        "slots [" + string.Join(", ", scope.Slots.Select(s => s.IsFilled ? "'" + s.Text + "'" : "unfilled")) + "], cart " + scope.Cart.Lines.Count + " lines, tier '" + scope.Buyer.Tier + "', round " + scope.Policy?.Round;

    // ---- helpers ----

    private static TemplateBody[] CompileAll(IReadOnlyList<IReadOnlyList<string>> bodies)
    {
        var source = TemplateTestCompiler.WrapManyInClass(bodies);
        var problems = TemplateTestCompiler.Diagnose(source, out var assembly);
        Assert.True(assembly != null, "Emitted C# does not compile:\n" + string.Join("\n", problems.Take(20)));
        var type = assembly!.GetType("ScriptDsl.TemplateTests.GeneratedMany")!;
        return Enumerable.Range(0, bodies.Count)
            .Select(i => type.GetMethod("Render" + i.ToString(CultureInfo.InvariantCulture))!.CreateDelegate<TemplateBody>())
            .ToArray();
    }

    private static SlotKind KindOf(ValueKind kind) => kind switch
    {
        ValueKind.Choice => SlotKind.Choice,
        ValueKind.Number => SlotKind.Number,
        ValueKind.Money => SlotKind.Money,
        _ => SlotKind.Text,
    };

    private static object FactValue(FactModel fact) => fact.Kind switch
    {
        ValueKind.Int => fact.Int,
        ValueKind.Money => ScribanOracle.Yuan(fact.Money),
        ValueKind.Date => new DateOnly(fact.Year, fact.Month, fact.Day),
        ValueKind.Bool => fact.Bool,
        _ => fact.Text,
    };

    /// <summary>
    /// Templates over every supported construct: each value and filter alone, each condition in
    /// if/else if/else, loops (empty and full carts, nested), whitespace control, and a seeded
    /// random mix of them, per context (ordinary, recommend, policy).
    /// </summary>
    private static class Corpus
    {
        private static readonly string[] Values =
        [
            "courier", "ship_within_hours", "lifetime_hours", "free_install", "empty_note",
            "room", "style", "area", "name", "shop.name", "shop.id", "shop.honorific", "cart.count", "buyer.tier",
            "'文本'", "12", "1.5", "0", "true", "false",
            "base_price | money", "budget | money", "cart.total | money", "budget | money | default '未知'",
            "promo_end | date 'M月d日'", "promo_end | date 'yyyy-MM-dd'", "promo_end | date 'yy/M/d'",
            "name | default '亲'", "room | default '房间'", "style | default '风格'", "area | default '多大'", "empty_note | default '无'",
            "room == '客厅'", "area > 20", "budget == 0", "!room", "room && style", "name || area",
        ];

        private static readonly string[] ItemValues = ["item.name", "item.sku", "item.price | money", "item.point", "item.category"];

        private static readonly string[] PolicyValueNames =
        [
            "total | money", "list_total | money", "per_day | money", "to_next_coupon | money", "ask | money", "round",
            "use_period.years", "use_period.days", "gift.name", "gift.cost | money", "coupon.name", "coupon.threshold | money",
            "coupon.amount | money", "gift.name | default '小礼物'", "coupon.name | default '无券'",
        ];

        private static readonly string[] Conditions =
        [
            "room", "!room", "style", "area", "!area", "name", "!name", "budget", "!budget", "free_install", "!free_install",
            "room == '客厅'", "room != '卧室'", "style == '北欧'", "style != '中式'", "'客厅' == room",
            "area > 20", "area >= 20", "area < 20.5", "area <= 0", "area == 0", "area != 25.5", "20 < area",
            "budget >= 500", "budget < 1000.5", "budget == 0", "budget != 1.08", "budget > 0",
            "name == '王先生'", "name != ''", "name == ''",
            "cart.count > 1", "cart.count == 0", "cart.total >= 1000", "cart.total < 0.01", "buyer.tier == 'vip'", "buyer.tier != ''",
            "ship_within_hours < 72", "courier == '中通快递'", "empty_note == ''", "base_price > 500", "true", "false",
            // A whole number with a number, a text with a choice (BoundConditions.Comparable, as in rules).
            "area > ship_within_hours", "area == ship_within_hours", "ship_within_hours <= area", "cart.count < area",
            "name == room", "room != name", "style == name",
        ];

        private static readonly string[] ItemConditions = ["item.price > 500", "item.category == '吸顶灯'", "item.name != ''"];

        private static readonly string[] PolicyConditions =
        [
            "round >= 2", "round == 0", "gift.name != ''", "gift.name == ''", "total > ask", "total <= list_total", "coupon.amount > 0",
            "use_period.years == 2", "use_period.days > 365", "per_day < 1.5", "to_next_coupon == 0",
        ];

        private static readonly string[] Loops =
        [
            "{{ for line in cart.lines }}{{ line.name }}x{{ line.quantity }}={{ line.subtotal | money }};{{ end }}",
            "{{ for line in cart.lines }}[{{ line.sku }} {{ line.price | money }} {{ line.category }}]{{ end }}",
            "{{ for line in cart.lines }}{{ if line.quantity > 1 }}多{{ else }}单{{ end }}{{ end }}",
            "{{ for line in cart.lines }}{{ for other in cart.lines }}{{ if line.sku == other.sku }}={{ else }}≠{{ end }}{{ end }}|{{ end }}",
            "共{{ cart.count }}件:{{ for line in cart.lines }}{{ line.name }}{{ end }}{{ if cart.count == 0 }}空{{ end }}",
            "{{ for line in cart.lines }}{{ if line.price >= 500 && room }}{{ line.name }}配{{ room }}{{ end }}{{ end }}",
            "{{ for line in cart.lines -}} {{ line.name }} {{- end }}",
            "{{ for l in cart.lines }}{{ l.subtotal | money }}{{ end }}{{ for l in cart.lines }}{{ l.quantity }}{{ end }}",
        ];

        public static List<(string Text, TemplateContextKind Context)> Build()
        {
            var result = new List<(string, TemplateContextKind)>();
            var contexts = new[]
            {
                (TemplateContextKind.Reply, Values, Conditions),
                (TemplateContextKind.Recommend, Values.Concat(ItemValues).ToArray(), Conditions.Concat(ItemConditions).ToArray()),
                (TemplateContextKind.Policy, Values.Concat(PolicyValueNames).ToArray(), Conditions.Concat(PolicyConditions).ToArray()),
            };

            foreach (var (context, values, conditions) in contexts)
            {
                foreach (var value in values)
                {
                    result.Add(("前{{ " + value + " }}后", context));
                }

                foreach (var condition in conditions)
                {
                    result.Add(("{{ if " + condition + " }}是{{ else }}否{{ end }}", context));
                    result.Add(("{{ if !(" + condition + ") }}非{{ end }}", context));
                }

                foreach (var loop in Loops)
                {
                    result.Add((loop, context));
                }
            }

            var random = new Random(20261201);
            for (var n = 0; n < 450; n++)
            {
                var (context, values, conditions) = contexts[n % contexts.Length];
                result.Add((RandomTemplate(random, values, conditions, depth: 0), context));
            }

            return result;
        }

        private static string RandomTemplate(Random random, string[] values, string[] conditions, int depth)
        {
            var parts = new List<string>();
            var count = random.Next(1, 4);
            for (var i = 0; i < count; i++)
            {
                switch (random.Next(depth >= 2 ? 3 : 6))
                {
                    case 0:
                        parts.Add(Pick(random, ["亲", "您好 ", "~", "\n", " ", "。", ""]));
                        break;
                    case 1:
                    case 2:
                        parts.Add(Block(random, Pick(random, values)));
                        break;
                    case 3:
                    case 4:
                        var branches = random.Next(1, 4);
                        var text = "{{ if " + RandomCondition(random, conditions, 0) + " }}" + RandomTemplate(random, values, conditions, depth + 1);
                        for (var b = 1; b < branches; b++)
                        {
                            text += "{{ else if " + RandomCondition(random, conditions, 0) + " }}" + RandomTemplate(random, values, conditions, depth + 1);
                        }

                        if (random.Next(2) == 0)
                        {
                            text += "{{ else }}" + RandomTemplate(random, values, conditions, depth + 1);
                        }

                        parts.Add(text + "{{ end }}");
                        break;
                    default:
                        parts.Add("{{ for line in cart.lines }}" + Pick(random, ["{{ line.name }}", "{{ line.subtotal | money }}", "{{ line.quantity }}"])
                            + RandomTemplate(random, values, conditions, depth + 1) + "{{ end }}");
                        break;
                }
            }

            return string.Concat(parts);
        }

        private static string Block(Random random, string value) => random.Next(6) switch
        {
            0 => " {{- " + value + " -}} ",
            1 => " {{~ " + value + " ~}} ",
            _ => "{{ " + value + " }}",
        };

        private static string RandomCondition(Random random, string[] conditions, int depth)
        {
            var choice = depth >= 2 ? 0 : random.Next(6);
            return choice switch
            {
                1 => RandomCondition(random, conditions, depth + 1) + " && " + RandomCondition(random, conditions, depth + 1),
                2 => RandomCondition(random, conditions, depth + 1) + " || " + RandomCondition(random, conditions, depth + 1),
                3 => "!(" + RandomCondition(random, conditions, depth + 1) + ")",
                4 => "(" + RandomCondition(random, conditions, depth + 1) + " || " + RandomCondition(random, conditions, depth + 1) + ") && " + RandomCondition(random, conditions, depth + 1),
                _ => Pick(random, conditions),
            };
        }

        private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
    }
}
