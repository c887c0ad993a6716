using System.Runtime.Loader;
using ScriptDsl.Generator.Tests.Infrastructure;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Generator.Tests;

/// <summary>Recommend conditions compiled to C# and run: every operator, every value kind, unanswered slots.</summary>
public class ConditionTests
{
    private static readonly Lazy<ShopDefinition> Shop = new(Build);

    // One rule per condition, each picking item `yes`; `else -> no` ends the list.
    private static readonly string[] Conditions =
    {
        "room == 卧室",                         // 0 choice ==
        "room != 卧室",                         // 1 choice !=
        "room in (客厅, \"卧室\")",              // 2 in, with a quoted choice
        "room == \"房间\"",                      // 3 synonym in quotes
        "not room == 卧室",                      // 4 not
        "area >= 20 and area < 30.5",           // 5 number
        "budget > 500",                         // 6 money vs plain number (yuan)
        "budget <= 99.99",                      // 7 money with fen
        "note == \"急\"",                        // 8 text
        "note != \"急\"",                        // 9 text !=
        "vip",                                  // 10 bool fact alone
        "ends > 2026-01-01",                    // 11 date fact vs date literal
        "hours == 48 or hours < 1",             // 12 int fact
        "budget",                               // 13 slot alone: answered?
        "cart.total >= 300 and cart.count > 1", // 14 cart
        "buyer.tier == \"super\"",              // 15 buyer
        "(room == 客厅 or room == 卧室) and not (area > 100)", // 16 parentheses
    };

    private static ShopDefinition Build()
    {
        var rules = string.Concat(Conditions.Select(c => "    if " + c + " -> yes\n"));
        var script = "shop cond \"条件\" {\n  questions_before_recommend 0\n"
            + "  fact vip: bool = true\n  fact ends: date = 2026-12-12\n  fact hours: int = 48\n"
            + "  slot room: choice(客厅, 卧室 | \"房间\") ask closed \"哪里?\"\n"
            + "  slot area: number unit \"㎡\" ask open \"多大?\"\n"
            + "  slot budget: money ask open \"预算?\"\n"
            + "  slot note: text ask open \"备注?\"\n"
            + "  item yes sku \"Y\" name \"y\" price 1 category c\n  item no sku \"N\" name \"n\" price 1 category c\n"
            + "  stage a {\n    on start reply \"好\" then recommend\n  }\n"
            + "  recommend {\n" + rules + "    else -> no\n    reply \"{{ item.name }}\"\n  }\n"
            + "  fallback reply \"好\"\n}\n";
        var run = GeneratorHarness.Run(new InMemoryText("/repo/scripts/cond.csdsl", script));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.CompileDiagnostics.IsEmpty, string.Join("\n", run.CompileDiagnostics));
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        stream.Position = 0;
        var assembly = new AssemblyLoadContext("conditions", isCollectible: true).LoadFromStream(stream);
        return (ShopDefinition)assembly.GetType("ScriptDsl.Generated.Cond", throwOnError: true)!.GetProperty("Definition")!.GetValue(null)!;
    }

    private static bool Eval(int rule, ScriptScope scope) =>
        Shop.Value.Stages.Single(s => s.Kind == StageKind.Recommend).Recommend!.Rules[rule].When!(scope);

    private static ScriptScope Scope(string? room = null, decimal? area = null, long? budgetFen = null, string? note = null, CartView? cart = null, string tier = "")
    {
        var shop = Shop.Value;
        var slots = new[]
        {
            room is null ? SlotValue.Empty(SlotKind.Choice) : SlotValue.OfChoice(room == "客厅" ? 0 : 1, room),
            area is null ? SlotValue.Empty(SlotKind.Number) : SlotValue.OfNumber(area.Value, "x"),
            budgetFen is null ? SlotValue.Empty(SlotKind.Money) : SlotValue.OfMoney(budgetFen.Value),
            note is null ? SlotValue.Empty(SlotKind.Text) : SlotValue.OfText(note),
        };
        return new ScriptScope
        {
            Shop = shop,
            Slots = slots,
            Cart = cart ?? CartView.Empty,
            Buyer = new BuyerView(tier, new Dictionary<string, string>(StringComparer.Ordinal)),
        };
    }

    [Fact]
    public void ChoiceComparisons()
    {
        Assert.True(Eval(0, Scope(room: "卧室")));
        Assert.False(Eval(0, Scope(room: "客厅")));
        Assert.False(Eval(0, Scope()));
        Assert.False(Eval(1, Scope(room: "卧室")));
        Assert.True(Eval(1, Scope(room: "客厅")));
        Assert.True(Eval(1, Scope()));
        Assert.True(Eval(2, Scope(room: "客厅")));
        Assert.False(Eval(2, Scope()));
        Assert.True(Eval(3, Scope(room: "卧室")));
        Assert.True(Eval(4, Scope(room: "客厅")));
        Assert.True(Eval(4, Scope()));
    }

    [Fact]
    public void NumbersMoneyAndText()
    {
        Assert.True(Eval(5, Scope(area: 20m)));
        Assert.True(Eval(5, Scope(area: 30.4m)));
        Assert.False(Eval(5, Scope(area: 30.5m)));
        Assert.False(Eval(5, Scope()));
        Assert.True(Eval(6, Scope(budgetFen: 50001)));
        Assert.False(Eval(6, Scope(budgetFen: 50000)));
        Assert.True(Eval(7, Scope(budgetFen: 9999)));
        Assert.False(Eval(7, Scope(budgetFen: 10000)));
        Assert.True(Eval(8, Scope(note: "急")));
        Assert.False(Eval(8, Scope(note: "不急")));
        Assert.False(Eval(9, Scope(note: "急")));
        Assert.True(Eval(9, Scope(note: "不急")));
        Assert.True(Eval(9, Scope()));
    }

    [Fact]
    public void FactsCartBuyerAndFilled()
    {
        Assert.True(Eval(10, Scope()));
        Assert.True(Eval(11, Scope()));
        Assert.True(Eval(12, Scope()));
        Assert.False(Eval(13, Scope()));
        Assert.True(Eval(13, Scope(budgetFen: 1)));
        var cart = new CartView([new CartLineView("A", "a", 20000, 1, "c"), new CartLineView("B", "b", 10000, 1, "c")]);
        Assert.True(Eval(14, Scope(cart: cart)));
        Assert.False(Eval(14, Scope()));
        Assert.True(Eval(15, Scope(tier: "super")));
        Assert.False(Eval(15, Scope(tier: "")));
        Assert.True(Eval(16, Scope(room: "客厅", area: 20)));
        Assert.False(Eval(16, Scope(room: "客厅", area: 200)));
    }

    [Theory]
    [InlineData("budget == \"多\"", "SDSL0113")]
    [InlineData("note < \"a\"", "SDSL0210")]
    [InlineData("room > 卧室", "SDSL0210")]
    [InlineData("vip == 1", "SDSL0113")]
    [InlineData("ends == 3", "SDSL0113")]
    [InlineData("ends == 2026-13-01", "SDSL0005")]
    [InlineData("ends < 2027-01-01", "")]
    [InlineData("hours == 1.5", "")]
    [InlineData("budget > 1.234", "SDSL0004")]
    [InlineData("room == 厨房", "SDSL0112")]
    [InlineData("rom == 卧室", "SDSL0103")]
    [InlineData("note", "")]
    [InlineData("hours", "SDSL0219")]
    [InlineData("cart.totl > 1", "SDSL0202")]
    [InlineData("budget > 90%", "SDSL0005")]
    [InlineData("budget > 100000000000000000", "SDSL0222")]
    public void TypeErrors(string condition, string expectedId)
    {
        var script = "shop cond \"条件\" {\n  questions_before_recommend 0\n"
            + "  fact vip: bool = true\n  fact ends: date = 2026-12-12\n  fact hours: int = 48\n"
            + "  slot room: choice(客厅, 卧室) ask closed \"哪里?\"\n  slot budget: money ask open \"预算?\"\n  slot note: text ask open \"备注?\"\n"
            + "  item yes sku \"Y\" name \"y\" price 1 category c\n"
            + "  stage a {\n    on start reply \"好\" then recommend\n  }\n"
            + "  recommend {\n    if " + condition + " -> yes\n    reply \"{{ item.name }}\"\n  }\n"
            + "  fallback reply \"好\"\n}\n";
        var result = GeneratorHarness.Compile(script, "scripts/cond.csdsl");
        if (expectedId.Length == 0)
        {
            Assert.Empty(result.Diagnostics);
        }
        else
        {
            var d = Assert.Single(result.Diagnostics);
            Assert.Equal((expectedId, 14), (d.Id, d.Start.Line));
        }
    }
}
