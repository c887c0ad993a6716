using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Templates;
using ScriptDsl.Generator.Tests.Infrastructure;
using ScriptDsl.Generator.Tests.Templates;
using ScriptDsl.Templates;

namespace ScriptDsl.Generator.Tests;

/// <summary>
/// True figures only (issue 14): the cart's pricing values in every reply of a shop with a policy
/// (binding, SDSL0223 without one, Scriban's explicit comparison), and the SDSL1009 lint for a
/// figure written as text where the shop computes it.
/// </summary>
public class FiguresTests
{
    private const string File = "scripts/figures.csdsl";

    private static string Shop(string members, bool withPolicy = true) =>
        "shop t \"T\" {\n"
        + "  stage greet {\n    on start | \"你好\"\n      reply \"您好呢\"\n  }\n"
        + "  item a sku \"A-1\" name \"灯\" price 100.00 category 客厅\n"
        + (withPolicy ? "  objection price on \"贵\" use policy p\n" : "")
        + members
        + "  fallback reply \"稍等哦\"\n"
        + "}\n"
        + (withPolicy
            ? "policy p for t {\n  use_period 2 years\n  max_rounds 6\n  floor 80% of list\n  coupon \"券\" spend 300.00 off 20.00\n"
              + "  step value explain reply \"亲, 品质很好哦\"\n  step hold hold reply \"亲, 真的很抱歉呢\"\n  accept reply \"好的亲, {{ total | money }}元哦\"\n}\n"
            : "");

    private static TemplateEnvironment Environment(bool hasPricing, TemplateContextKind context = TemplateContextKind.Reply) =>
        new(new EquatableArray<FactSymbol>(TemplateFixture.Facts), new EquatableArray<SlotSymbol>(TemplateFixture.Slots), context) { HasPricing = hasPricing };

    private static CompiledTemplate Compile(string raw, bool hasPricing, TemplateContextKind context = TemplateContextKind.Reply) =>
        TemplateCompiler.Compile(new TemplateSource(raw, TemplateFixture.FilePath, TemplateFixture.Start), Environment(hasPricing, context));

    private static string Render(string raw, PolicyValues? values, TemplateContextKind context = TemplateContextKind.Reply)
    {
        var compiled = Compile(raw, hasPricing: true, context);
        Assert.True(compiled.Diagnostics.Count == 0, string.Join("; ", compiled.Diagnostics.Select(d => d.Id + " " + d.FormatMessage())));
        var body = TemplateTestCompiler.CompileBody(compiled.BodyLines);
        return new Template(raw, body).Render(TemplateFixture.Scope(policy: values));
    }

    [Theory]
    [InlineData(TemplateContextKind.Reply)]
    [InlineData(TemplateContextKind.CrossSell)]
    [InlineData(TemplateContextKind.Recommend)]
    public void EveryReplyOfAShopWithAPolicyReadsTheCartsPricing(TemplateContextKind context)
    {
        var values = TemplateFixture.Policy();
        var text = Render("用{{ use_period.years }}年, 一天{{ per_day | money }}元, 共{{ total | money }}/{{ list_total | money }}, 满{{ coupon.threshold | money }}减{{ coupon.amount | money }}({{ coupon.name }})", values, context);
        Assert.Equal(
            "用" + values.UsePeriodYears + "年, 一天" + MoneyText.Format(values.PerDayMinor) + "元, 共" + MoneyText.Format(values.TotalMinor) + "/" + MoneyText.Format(values.ListTotalMinor)
            + ", 满" + MoneyText.Format(values.CouponThresholdMinor) + "减" + MoneyText.Format(values.CouponAmountMinor) + "(" + values.CouponName + ")",
            text);
    }

    [Fact]
    public void TheCouponNudgeComparesExplicitlySoZeroMissingSaysTheOtherBranch()
    {
        const string raw = "{{ if to_next_coupon > 0 }}再买{{ to_next_coupon | money }}元{{ else }}已经满了{{ end }}";
        var below = new PolicyValues { ToNextCouponMinor = 10100 };
        Assert.Equal("再买101元", Render(raw, below, TemplateContextKind.CrossSell));
        Assert.Equal("已经满了", Render(raw, new PolicyValues { ToNextCouponMinor = 0 }, TemplateContextKind.CrossSell));

        // A caller that renders without pricing reads zeros, never a null reference.
        Assert.Equal("已经满了", Render(raw, null, TemplateContextKind.CrossSell));
    }

    [Fact]
    public void StepValuesStayPolicyOnly()
    {
        var compiled = Compile("{{ ask | money }}", hasPricing: true);
        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal("SDSL0214", diagnostic.Id);
    }

    [Fact]
    public void SDSL0223_CartPricingInAShopWithoutAPolicy()
    {
        var compiled = Compile("一天{{ per_day | money }}元", hasPricing: false);
        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal("SDSL0223", diagnostic.Id);
        Assert.Equal(TemplateFixture.FilePath, diagnostic.FilePath);
        Assert.Equal(12, diagnostic.Start.Line);
        Assert.Equal(TemplateFixture.Start.Column + 5, diagnostic.Start.Column);
        Assert.Contains("'per_day'", diagnostic.FormatMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void SDSL0223_InAScriptIsLocatedOnTheName()
    {
        var result = GeneratorHarness.Compile(Shop("  quick q on \"优惠\" reply \"亲, 再买{{ to_next_coupon | money }}元就有券哦\"\n", withPolicy: false), File);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "SDSL0223");
        Assert.Equal(File, diagnostic.FilePath);
        Assert.Equal(7, diagnostic.Start.Line);
        Assert.Equal(34, diagnostic.Start.Column);
    }

    public static TheoryData<string, string, int, int> LiteralFigures => new()
    {
        // line 8 is the first member (after the greeting stage, the item and the price objection); columns count from 1
        // the per-day split, in the seeds' words
        { "  quick q on \"贵\" reply \"不过您算一下, 一天只要花一块钱哦~\"\n", "一块钱", 8, 38 },
        { "  quick q on \"贵\" reply \"每天才2.5元哦~\"\n", "2.5元", 8, 28 },
        // the coupon's threshold and amount
        { "  quick q on \"券\" reply \"一起买满300元就可以领店铺优惠券了呢\"\n", "满300元", 8, 28 },
        { "  quick q on \"券\" reply \"满三百就减哦\"\n", "满三百", 8, 25 },
        { "  quick q on \"券\" reply \"可以减20元哦\"\n", "20元", 8, 28 },
        // a money fact
        { "  fact deposit: money = 50.00\n  quick q on \"定金\" reply \"定金50块哦\"\n", "50块", 9, 28 },
    };

    [Theory]
    [MemberData(nameof(LiteralFigures))]
    public void SDSL1009_LiteralFigureWhereTheShopComputesOne(string members, string figure, int line, int column)
    {
        var result = GeneratorHarness.Compile(Shop(members), File);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "SDSL1009");
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Descriptor.DefaultSeverity);
        Assert.Equal(File, diagnostic.FilePath);
        Assert.Equal(line, diagnostic.Start.Line);
        Assert.Equal(column, diagnostic.Start.Column);
        Assert.Contains("'" + figure + "'", diagnostic.FormatMessage(), StringComparison.Ordinal);
    }

    [Theory]
    // computed values instead of text
    [InlineData("  quick q on \"划算\" reply \"一天只要花{{ per_day | money }}元哦~\"\n")]
    [InlineData("  quick q on \"券\" reply \"{{ if to_next_coupon > 0 }}再买{{ to_next_coupon | money }}元就满{{ coupon.threshold | money }}元了哦{{ end }}\"\n")]
    // amounts the shop does not compute; 一块 meaning "together"
    [InlineData("  quick q on \"运费\" reply \"运费12元哦\"\n")]
    [InlineData("  quick q on \"一起\" reply \"可以一块买哦, 满意再说呢\"\n")]
    // silenced on purpose
    [InlineData("  // sdsl:allow SDSL1009\n  quick q on \"划算\" reply \"一天只要花一块钱哦~\"\n")]
    public void NoSDSL1009(string members)
    {
        var result = GeneratorHarness.Compile(Shop(members), File);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SDSL1009");
        Assert.DoesNotContain(result.Diagnostics, d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Fact]
    public void WithoutAPolicyAPerDayAmountIsNotFlagged()
    {
        var result = GeneratorHarness.Compile(Shop("  quick q on \"贵\" reply \"一天只要花一块钱哦~\"\n", withPolicy: false), File);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SDSL1009");
    }

    [Theory]
    [InlineData("lamp_shop.csdsl")]
    [InlineData("apparel_shop.csdsl")]
    public void TheExampleShopsStateNoFigureAsText(string script)
    {
        var result = GeneratorHarness.Compile(GeneratorHarness.ReadScript(script), "scripts/" + script);
        Assert.True(
            !result.Diagnostics.Any(d => d.Id is "SDSL1009" or "SDSL0223"),
            string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.Start.Line + ":" + d.Start.Column + " " + d.FormatMessage())));
    }

    // The pages of SDSL0223 and SDSL1009 are compiled with every other page by DiagnosticPagesTests.
}
