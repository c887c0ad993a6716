using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>Every bargaining-policy diagnostic (SDSL0301-0319): ID, file, line and column; and the policy grammar.</summary>
public class PolicyDiagnosticTests
{
    private const string File = "scripts/case.csdsl";

    // Items: A-1 at 100, B-1 at 500. The price objection uses policy p unless told otherwise.
    private static string Shop(bool usesPolicy = true) =>
        "shop t \"T\" {\n"
        + "  stage greet {\n    on start | \"你好\"\n      reply \"您好呢\"\n  }\n"
        + "  item a sku \"A-1\" name \"灯\" price 100.00 category 客厅\n"
        + "  item b sku \"B-1\" name \"小灯\" price 500.00 category 卧室\n"
        + (usesPolicy ? "  objection price on \"贵\" use policy p\n" : "")
        + "  fallback reply \"稍等哦\"\n"
        + "}\n";

    private const string UsePeriod = "  use_period 2 years\n";
    private const string MaxRounds = "  max_rounds 6\n";
    private const string Floor = "  floor 80% of list\n";
    private const string Coupon = "  coupon \"券\" spend 300.00 off 20.00\n";
    private const string Gift = "  gift \"袜子\" cost 3.00\n";
    private const string Value = "  step value explain reply \"亲, 品质很好哦\"\n";
    private const string Hold = "  step hold hold reply \"亲, 真的很抱歉呢\"\n";
    private const string Accept = "  accept reply \"好的亲, {{ total | money }}元\"\n";

    /// <summary>A valid policy p; each argument replaces one part (null keeps the default, "" removes it); extra goes before the hold step.</summary>
    private static string Policy(
        string? usePeriod = null, string? maxRounds = null, string? floor = null, string? coupon = null, string? gift = null,
        string? value = null, string extra = "", string? hold = null, string? accept = null, bool usesPolicy = true) =>
        Shop(usesPolicy)
        + "policy p for t {\n"
        + (usePeriod ?? UsePeriod) + (maxRounds ?? MaxRounds) + (floor ?? Floor) + (coupon ?? Coupon) + (gift ?? Gift)
        + (value ?? Value) + extra + (hold ?? Hold) + (accept ?? Accept)
        + "}\n";

    public static TheoryData<string, string> Cases => new()
    {
        { "SDSL0301", Policy(floor: Floor + "  floor sku \"A-1\" ‸120.00\n") },
        { "SDSL0302", Policy(gift: Gift + "  gift ‸\"大礼\" cost 30.00\n") },
        { "SDSL0302", Policy(gift: Gift + "  gift ‸\"大礼\" cost 90.00 when cart.total >= 450.00\n") },
        { "SDSL0303", Policy(extra: "  step c counter reply \"{{ total | money }}元可以吗\"\n  step ‸later explain reply \"亲, 真的很好哦\"\n") },
        { "SDSL0303", Policy(gift: "", extra: "  step ‸gifts gift reply \"送您小礼物哦\"\n") },
        { "SDSL0303", Policy(coupon: "", extra: "  step ‸principle coupon reply \"价格是公司定的哦\"\n") },
        { "SDSL0303", Policy(maxRounds: "  max_rounds 1\n", extra: "  step ‸more explain reply \"亲, 真的很好哦\"\n") },
        { "SDSL0304", Policy(coupon: Coupon + "  coupon ‸\"小券\" spend 300.00 off 10.00\n") },
        { "SDSL0305", Policy(usePeriod: "  use_period ‸0 days\n") },
        { "SDSL0305", Policy(usePeriod: "", extra: "  step ‸s split reply \"一共{{ total | money }}元哦\"\n") },
        { "SDSL0306", Policy(hold: "").Replace("policy p for", "policy ‸p for", StringComparison.Ordinal) },
        { "SDSL0306", Policy(extra: "  step ‸early hold reply \"亲, 抱歉呢\"\n") },
        { "SDSL0308", Policy(usesPolicy: false).Replace("policy p for", "policy ‸p for", StringComparison.Ordinal) },
        { "SDSL0309", Policy(accept: "").Replace("policy p for", "policy ‸p for", StringComparison.Ordinal) },
        { "SDSL0310", Policy(floor: "").Replace("policy p for", "policy ‸p for", StringComparison.Ordinal) },
        { "SDSL0311", Policy(maxRounds: "  max_rounds ‸0\n") },
        { "SDSL0311", Policy(maxRounds: "").Replace("policy p for", "policy ‸p for", StringComparison.Ordinal) },
        { "SDSL0312", Policy(floor: "  floor ‸120% of list\n") },
        { "SDSL0312", Policy(floor: "  floor ‸87.555% of list\n") },
        { "SDSL0312", Policy(floor: Floor + "  floor tier returning ‸75\n") },
        { "SDSL0312", Policy(extra: "  step c counter beta ‸0 reply \"{{ total | money }}元可以吗\"\n") },
        { "SDSL0313", Policy(extra: "  step ‸value explain reply \"亲, 真的很好哦\"\n") },
        { "SDSL0313", Policy(gift: Gift + "  gift ‸\"袜子\" cost 2.00\n") },
        { "SDSL0313", Policy(maxRounds: MaxRounds + "  ‸max_rounds 5\n") },
        { "SDSL0314", Policy(coupon: Coupon + "  coupon \"大券\" spend 100.00 off ‸30.00\n") },
        { "SDSL0315", Policy(value: "  step value explain reply \"送您{{ ‸gift.name }}哦\"\n") },
        { "SDSL0315", Policy(usePeriod: "", value: "  step value explain reply \"一天{{ ‸per_day | money }}元\"\n") },
        { "SDSL0315", Policy(coupon: "", accept: "  accept reply \"用{{ ‸coupon.name }}哦\"\n") },
        { "SDSL0316", Policy(extra: "  ‸free_shipping grant\n") },
        { "SDSL0317", Policy(extra: "  step c counter beta 0.05 reply \"{{ total | money }}元可以吗\"\n").Replace("step c", "step ‸c", StringComparison.Ordinal) },
        { "SDSL0318", Policy(floor: Floor + "  floor sku ‸\"Z-9\" 10.00\n") },
        { "SDSL0318", Policy(floor: Floor + "  floor category ‸厨房 90%\n") },
        { "SDSL0319", Policy(coupon: "  coupon \"坏券\" spend 100.00 off ‸100.00\n") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsIdFileLineAndColumn(string id, string marked)
    {
        var script = Marked.Parse(marked);
        var result = GeneratorHarness.Compile(script.Text, File);
        var found = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(found.Count > 0, "Expected " + id + "; got: " + Describe(result.Diagnostics));
        Assert.True(
            found.Any(d => d.FilePath == File && d.Start.Line == script.Line && d.Start.Column == script.Column),
            "Expected " + id + " at (" + script.Line + "," + script.Column + "); got: " + Describe(result.Diagnostics));
        foreach (var d in found)
        {
            var message = d.FormatMessage();
            Assert.DoesNotContain("{", message.Replace("{{", "", StringComparison.Ordinal).Replace("{ ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("'p'", message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SDSL0099");
    }

    [Fact]
    public void EveryPolicyIdHasACaseAndADocPage()
    {
        var tested = Cases.Select(c => (string)c[0]).ToHashSet(StringComparer.Ordinal);
        var policyIds = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => id.StartsWith("SDSL03", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(policyIds);
        Assert.DoesNotContain(policyIds, id => !tested.Contains(id));
        Assert.DoesNotContain(policyIds, id => !System.IO.File.Exists(Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics", id + ".md")));
    }

    [Fact]
    public void TheValidPolicyCompilesWithoutDiagnostics()
    {
        var result = GeneratorHarness.Compile(Policy(), File);
        Assert.Empty(result.Diagnostics);
        var policy = Assert.Single(result.Model!.Policies);
        Assert.Equal(("p", 730, 6, 8000), (policy.Name, policy.UsePeriodDays, policy.MaxRounds, policy.PercentOfListBasisPoints));
    }

    private static string EveryConstruct() => Policy(
            usePeriod: "  use_period 400 days\n",
            floor: "  floor 87.5% of list\n  floor cart 30.00\n  floor sku \"A-1\" 90.00\n  floor category 卧室 90%\n  floor tier \"vip 会员\" 70.25%\n",
            coupon: "  coupon \"券\" spend 300.00 off 20.00 reply \"亲, 满{{ coupon.threshold | money }}减{{ coupon.amount | money }}哦\"\n",
            gift: "  gift \"袜子\" cost 3.00 limit 5 per day\n  gift \"发圈\" cost 2.00 when buyer.tier == \"returning\"\n",
            extra: "  step gifts gift reply \"送您{{ gift.name }}哦\"\n  step s split reply \"一天{{ per_day | money }}元\"\n  step c counter beta 1.5 reply \"{{ total | money }}元可以吗\"\n"
                + "  free_shipping grant reply \"包邮哦\" | \"都包邮的呢\"\n  percent_off as any_better\n  quote reply \"一共{{ list_total | money }}元\"\n");

    [Fact]
    public void EveryConstructOfTheGrammarBindsToTheModel()
    {
        var result = GeneratorHarness.Compile(EveryConstruct(), File);
        Assert.Empty(result.Diagnostics);
        var p = Assert.Single(result.Model!.Policies);
        Assert.Equal((400, 8750, 3000L), (p.UsePeriodDays, p.PercentOfListBasisPoints, p.CartFloorMinor));
        Assert.Equal(new SkuFloorModel("A-1", 9000), Assert.Single(p.Skus));
        Assert.Equal(new KeyFloorModel("卧室", 9000), Assert.Single(p.Categories));
        Assert.Equal(new KeyFloorModel("vip 会员", 7025), Assert.Single(p.Tiers));
        Assert.Equal("p/券/1", Assert.Single(p.Coupons).Reply!.Variants[0].Id);
        Assert.Equal((5, -1), (p.Gifts[0].DailyLimit, p.Gifts[0].Condition));
        Assert.Equal((-1, 0L), (p.Gifts[1].DailyLimit, p.Gifts[1].MinCartTotalMinor));
        Assert.Equal(
            new BoundComparison(new BoundMember(ValueRoot.Buyer, 0, "Tier", ValueKind.Text, Narrow: false), "==", new BoundTextLiteral("returning")),
            result.Model.Conditions[p.Gifts[1].Condition].Condition);
        Assert.Equal(
            [("value", "ExplainValue", 1m), ("gifts", "Gift", 1m), ("s", "Split", 1m), ("c", "Counter", 1.5m), ("hold", "Hold", 1m)],
            p.Steps.Select(s => (s.Name, s.Kind, s.Beta)));
        Assert.True(p.GrantFreeShipping);
        Assert.Equal(["p/free_shipping/1", "p/free_shipping/2"], p.FreeShippingReply!.Variants.Select(v => v.Id));
        Assert.False(p.PercentOffAsTarget);
        Assert.NotNull(p.Quote);
    }

    /// <summary>The same policy emitted, compiled and built: the runtime's constructor accepts everything the binder let through.</summary>
    [Fact]
    public void EveryConstructOfTheGrammarEmitsAPolicyTheRuntimeAccepts()
    {
        var policy = Assert.Single(LoadShop(EveryConstruct()).Policies);
        Assert.Equal((400, 8750, 3000L), (policy.UsePeriodDays, policy.Floors.PercentOfListBasisPoints, policy.Floors.CartMinor));
        Assert.Equal([new ScriptDsl.Bargaining.SkuFloor("A-1", 9000)], policy.Floors.Skus);
        Assert.Equal([new ScriptDsl.Bargaining.CategoryFloor("卧室", 9000)], policy.Floors.Categories);
        Assert.Equal([new ScriptDsl.Bargaining.TierFloor("vip 会员", 7025)], policy.Floors.Tiers);
        Assert.Equal("p/券/1", Assert.Single(policy.Coupons).Reply!.Variants[0].Id);
        Assert.Equal((5, (ScriptDsl.Model.Condition?)null), (policy.Gifts[0].DailyLimit, policy.Gifts[0].When));
        Assert.NotNull(policy.Gifts[1].When);
        Assert.Equal(1.5m, policy.Steps.Single(s => s.Name == "c").Beta);
        Assert.Equal(ScriptDsl.Bargaining.FreeShippingHandling.Grant, policy.FreeShipping);
        Assert.Equal(2, policy.FreeShippingReply!.Variants.Count);
        Assert.Equal(ScriptDsl.Bargaining.PercentOffHandling.AsAnyBetter, policy.PercentOff);
        Assert.NotNull(policy.Quote);
    }

    private static ScriptDsl.Model.ShopDefinition LoadShop(string text)
    {
        var run = GeneratorHarness.Run(new InMemoryText("/repo/scripts/t.csdsl", text));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        stream.Position = 0;
        var assembly = new System.Runtime.Loader.AssemblyLoadContext("policy", isCollectible: true).LoadFromStream(stream);
        return (ScriptDsl.Model.ShopDefinition)assembly.GetType("ScriptDsl.Generated.T", throwOnError: true)!.GetProperty("Definition")!.GetValue(null)!;
    }

    [Theory]
    [InlineData("step c counter reply", "0.5")]
    [InlineData("step c counter boulware reply", "0.5")]
    [InlineData("step c counter linear reply", "1")]
    [InlineData("step c counter conceder reply", "2")]
    [InlineData("step c counter beta 0.30 reply", "0.30")]
    public void CounterShapesCompileToBeta(string step, string beta)
    {
        var result = GeneratorHarness.Compile(Policy(extra: "  " + step + " \"{{ total | money }}元可以吗\"\n"), File);
        Assert.Empty(result.Diagnostics);
        var bound = result.Model!.Policies[0].Steps.Single(s => s.Name == "c").Beta;
        Assert.Equal(beta, bound.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheSketchsOldGiftLadderIsASyntaxErrorNamingTheNewForms()
    {
        var script = Marked.Parse(Policy(gift: "  ‸gifts ladder\n    \"袜子\" cost 3.00\n"));
        var d = Assert.Single(GeneratorHarness.Compile(script.Text, File).Diagnostics);
        Assert.Equal(("SDSL0001", script.Line, script.Column), (d.Id, d.Start.Line, d.Start.Column));
        Assert.Contains("'gift'", d.FormatMessage(), StringComparison.Ordinal);
        Assert.Contains("'step'", d.FormatMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBrokenPolicyStatementIsReportedInOneBuild()
    {
        var text = Policy(maxRounds: "  max_rounds\n", gift: "  gift \"袜子\" costs 3.00\n");
        var errors = GeneratorHarness.Compile(text, File).Diagnostics.Where(d => d.Id == "SDSL0001").ToList();
        var lines = text.Split('\n');
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("  floor", lines[errors[0].Start.Line - 1], StringComparison.Ordinal); // max_rounds ran into the next line
        Assert.StartsWith("  gift", lines[errors[1].Start.Line - 1], StringComparison.Ordinal);
    }

    [Fact]
    public void AShapeOnAStepThatIsNotACounterIsASyntaxError()
    {
        var script = Marked.Parse(Policy(value: "  step value explain ‸boulware reply \"亲, 品质很好哦\"\n"));
        var d = Assert.Single(GeneratorHarness.Compile(script.Text, File).Diagnostics);
        Assert.Equal(("SDSL0001", script.Line, script.Column), (d.Id, d.Start.Line, d.Start.Column));
    }

    [Fact]
    public void TheGiftCheckNamesTheGiftAndTheNumbers()
    {
        // Cheapest cart with room: the 100 item (floor 80, payable 100): 3 + 30 does not fit in 20.
        var result = GeneratorHarness.Compile(Policy(gift: Gift + "  gift \"大礼\" cost 30.00\n"), File);
        var d = Assert.Single(result.Diagnostics, x => x.Id == "SDSL0302");
        Assert.Equal(
            "Policy 'p': gift \"大礼\" (30) with the gifts before it (3) takes a 100 cart below its floor (80 floor, 100 payable), so it is skipped for such carts. Raise its 'when cart.total >=' to a cart with room for it, or lower its cost.",
            d.FormatMessage());
        Assert.NotNull(result.Model); // a warning: the shop is still generated
    }

    [Fact]
    public void TheRealScriptsCompileWithoutDiagnosticsAndTheirCodeCompiles()
    {
        var lamp = new InMemoryText("/repo/scripts/lamp_shop.csdsl", GeneratorHarness.ReadScript("lamp_shop.csdsl"));
        var apparel = new InMemoryText("/repo/scripts/apparel_shop.csdsl", GeneratorHarness.ReadScript("apparel_shop.csdsl"));
        var run = GeneratorHarness.Run(lamp, apparel);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics);
        var source = run.Sources.Single(s => s.Key.StartsWith("LampShop.", StringComparison.Ordinal)).Value;
        Assert.Contains("Policies = new global::ScriptDsl.Bargaining.PolicyDefinition[] { Policy0() },", source, StringComparison.Ordinal);
        Assert.Contains("// scripts/lamp_shop.csdsl:", source, StringComparison.Ordinal);
        Assert.Contains("new(\"阳台灯\", 3900L, MinCartTotalMinor: 50000L, When: null, DailyLimit: 20,", source, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowCommentSilencesAPolicyWarningOnItsLine()
    {
        var text = Policy(gift: Gift + "  gift \"大礼\" cost 30.00 // sdsl:allow SDSL0302 (only for big carts, skipping is fine)\n");
        var result = GeneratorHarness.Compile(text, File);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.Model!.Policies[0].Gifts.Count);
    }

    /// <summary>The emitted policy runs: a gift whose condition is not the simple cart-total form becomes a compiled Condition.</summary>
    [Fact]
    public void TheEmittedPolicyRunsWithACompiledGiftCondition()
    {
        var text = Policy(
            gift: "  gift \"发圈\" cost 2.00 when buyer.tier == \"returning\"\n",
            value: "  step gifts gift reply \"送您{{ gift.name }}哦\"\n",
            extra: "  step c counter linear reply \"{{ total | money }}元可以吗\"\n");
        var shop = LoadShop(text);
        var policy = Assert.Single(shop.Policies);
        Assert.NotNull(policy.Gifts[0].When);
        var cart = new ScriptDsl.Templates.CartView([new ScriptDsl.Templates.CartLineView("A-1", "灯", 10000, 1, "客厅")]);

        var returning = ScriptDsl.Bargaining.Negotiator.Decide(policy, shop, cart, ScriptDsl.Bargaining.BargainAsk.AnyBetter(), ScriptDsl.Bargaining.BargainingState.Initial, "returning");
        Assert.Equal((ScriptDsl.Bargaining.BargainDecision.Gift, "送您发圈哦"), (returning.Decision, returning.Messages[0].Text));
        Assert.Equal("p/gifts/1", returning.Messages[0].VariantId);

        // Without the tier the gift does not apply: the linear counter concedes 1/6 of the 20 room in round 1.
        var anonymous = ScriptDsl.Bargaining.Negotiator.Decide(policy, shop, cart, ScriptDsl.Bargaining.BargainAsk.AnyBetter(), ScriptDsl.Bargaining.BargainingState.Initial, "");
        Assert.Equal((ScriptDsl.Bargaining.BargainDecision.Counter, 9667L), (anonymous.Decision, anonymous.TotalMinor));
        Assert.Equal("96.67元可以吗", anonymous.Messages[0].Text);
    }

    [Theory]
    [InlineData("  gift \"袜子\" cost 3.00 limit ‸99999999999 per day\n")]
    [InlineData("  gift \"袜子\" cost 3.00 limit ‸2.5 per day\n")]
    [InlineData("  gift \"袜子\" cost ‸3.001\n")]
    public void ABadGiftNumberIsReportedNotDropped(string gift)
    {
        var script = Marked.Parse(Policy(gift: gift));
        var result = GeneratorHarness.Compile(script.Text, File);
        Assert.Contains(result.Diagnostics, d => (d.Id == "SDSL0005" || d.Id == "SDSL0004") && d.Start.Line == script.Line && d.Start.Column == script.Column);
        Assert.Null(result.Model);
    }

    [Fact]
    public void APolicyWithErrorsProducesNoShop()
    {
        var result = GeneratorHarness.Compile(Policy(hold: ""), File);
        Assert.Null(result.Model);
    }

    /// <summary>The compiler never throws: every prefix of the lamp policy is a diagnostic, never SDSL0099.</summary>
    [Fact]
    public void EveryPrefixOfThePolicyCompilesToDiagnosticsWithoutCrashing()
    {
        var text = GeneratorHarness.ReadScript("lamp_shop.csdsl");
        var start = text.IndexOf("policy bargain", StringComparison.Ordinal);
        for (var end = start; end < text.Length; end += 5)
        {
            var result = GeneratorHarness.Compile(text[..end], File);
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SDSL0099" || d.Id == "SDSL0299");
        }

        Assert.Empty(GeneratorHarness.Compile(text, File).Diagnostics);
    }

    private static string Describe(IEnumerable<DiagnosticInfo> diagnostics) =>
        string.Join(" | ", diagnostics.Select(d => d.Id + "(" + d.Start.Line + "," + d.Start.Column + ") " + d.FormatMessage()));
}
