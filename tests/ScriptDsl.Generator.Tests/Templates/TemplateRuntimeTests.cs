using ScriptDsl.Generator.Templates;
using ScriptDsl.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>The runtime helpers the emitted code calls, and their agreement with the compile-time formatting of constants.</summary>
public class TemplateRuntimeTests
{
    [Theory]
    [InlineData(0L, "0")]
    [InlineData(1L, "0.01")]
    [InlineData(10L, "0.10")]
    [InlineData(100L, "1")]
    [InlineData(108L, "1.08")]
    [InlineData(78500L, "785")]
    [InlineData(-50L, "-0.50")]
    [InlineData(-78500L, "-785")]
    [InlineData(long.MaxValue, "92233720368547758.07")]
    [InlineData(long.MinValue, "-92233720368547758.08")]
    public void MoneyIsTheSameAtCompileTimeAndAtRunTime(long minor, string expected)
    {
        Assert.Equal(expected, MoneyText.Format(minor));
        Assert.Equal(expected, TemplateValues.FormatMoney(minor));
        var writer = new TemplateWriter(stackalloc char[4]);
        writer.AppendMoney(minor);
        Assert.Equal(expected, writer.ToString());
        writer.Dispose();
    }

    [Theory]
    [InlineData("M月d日")]
    [InlineData("MM/dd/yyyy")]
    [InlineData("yy年M月")]
    [InlineData("d.M.yy HH:mm")]
    [InlineData("")]
    public void DatesAreTheSameAtCompileTimeAndAtRunTime(string format)
    {
        Assert.Null(TemplateValues.FindUnsupportedDateSpecifier(format));
        foreach (var date in new[] { new DateOnly(2026, 1, 5), new DateOnly(2026, 12, 12), new DateOnly(5, 3, 9), new DateOnly(9999, 12, 31) })
        {
            Assert.Equal(TemplateValues.FormatDate(new DateValue(date.Year, date.Month, date.Day), format), DateText.Format(date, format));
        }
    }

    [Fact]
    public void DateTextExamples()
    {
        Assert.Equal("1月5日", DateText.Format(new DateOnly(2026, 1, 5), "M月d日"));
        Assert.Equal("01/05/26", DateText.Format(new DateOnly(2026, 1, 5), "MM/dd/yy"));
        Assert.Equal("0005", DateText.Format(new DateOnly(5, 1, 1), "yyyy"));
    }

    [Theory]
    [InlineData("MMM")]
    [InlineData("yyy")]
    [InlineData("y")]
    [InlineData("ddd")]
    public void UnsupportedDateSpecifiers(string format)
    {
        Assert.Equal(format, TemplateValues.FindUnsupportedDateSpecifier(format));
        Assert.Throws<FormatException>(() => DateText.Format(new DateOnly(2026, 1, 5), format));
    }

    [Fact]
    public void AppendOrDefault()
    {
        var writer = new TemplateWriter(stackalloc char[16]);
        writer.AppendOrDefault(null, "a");
        writer.AppendOrDefault(string.Empty, "b");
        writer.AppendOrDefault("c", "x");
        writer.AppendNumber(-1.50m);
        Assert.Equal("abc-1.50", writer.ToString());
        writer.Dispose();
    }

    [Fact]
    public void RenderingAllocatesOnlyTheResultString()
    {
        var compiled = Compile("帮亲看了一下, 全套一共是{{ total | money }}元! {{ style }}风格, {{ for line in cart.lines }}{{ line.name }}{{ line.subtotal | money }}{{ end }}, 一天只要花{{ per_day | money }}元, {{ budget | money | default '未定' }}", TemplateContextKind.Policy);
        Assert.Empty(compiled.Diagnostics);
        var template = new Template("t", Infrastructure.TemplateTestCompiler.CompileBody(compiled.BodyLines));
        var scope = Scope(Slots_(style: "北欧", budget: 12345), cart: new CartView([new CartLineView("A", "吸顶灯", 59900, 1, "c")]), policy: Policy());

        var result = template.Render(scope);
        for (var i = 0; i < 100; i++)
        {
            template.Render(scope);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        result = template.Render(scope);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The string object: header, length and UTF-16 characters, rounded up to 8 bytes.
        var stringBytes = 8 * ((22 + (2 * result.Length) + 7) / 8);
        Assert.True(allocated <= stringBytes, "allocated " + allocated + " bytes for a " + stringBytes + "-byte string: " + result);
        Assert.Equal("帮亲看了一下, 全套一共是785元! 北欧风格, 吸顶灯599, 一天只要花1.08元, 123.45", result);
    }
}
