using ScriptDsl.Generator.Templates;
using ScriptDsl.Model;
using ScriptDsl.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>Compile and run: template → C# → Roslyn in memory (nullable, warnings as errors) → rendered text.</summary>
public class TemplateRenderingTests
{
    [Fact]
    public void PlainTextRendersAsIs() =>
        Assert.Equal("亲, 支持七天无理由退换的呢", Render("亲, 支持七天无理由退换的呢", Scope()));

    [Fact]
    public void EmptyTemplateRendersEmpty() =>
        Assert.Equal(string.Empty, Render(string.Empty, Scope()));

    [Fact]
    public void ShopNameIsReadFromTheScope() =>
        Assert.Equal("亲, 您好, 欢迎光临明亮灯饰~ 请问有什么可以帮您的呢?", Render("亲, 您好, 欢迎光临{{ shop.name }}~ 请问有什么可以帮您的呢?", Scope()));

    [Fact]
    public void PolicyReplyOfTheSketchFormatsMoney() =>
        Assert.Equal(
            "帮亲看了一下, 全套一共是785元包邮哦! 保底用2年, 算下来您一天只要花1.08元, 多值啊!",
            Render("帮亲看了一下, 全套一共是{{ total | money }}元包邮哦! 保底用{{ use_period.years }}年, 算下来您一天只要花{{ per_day | money }}元, 多值啊!", Scope(policy: Policy()), TemplateContextKind.Policy));

    [Fact]
    public void FactsAreInlined() =>
        Assert.Equal(
            "亲, 我们默认发中通快递, 下单后48小时内发货哦",
            Render("亲, 我们默认发{{ courier }}, 下单后{{ ship_within_hours }}小时内发货哦", Scope()));

    [Fact]
    public void SlotsRenderTheirTextAndUnfilledSlotsRenderEmpty()
    {
        const string template = "亲, 根据您家{{ style }}的风格";
        Assert.Equal("亲, 根据您家北欧的风格", Render(template, Scope(Slots_(style: "北欧"))));
        Assert.Equal("亲, 根据您家的风格", Render(template, Scope()));
    }
}
