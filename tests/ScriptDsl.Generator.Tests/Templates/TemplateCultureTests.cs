using System.Globalization;
using ScriptDsl.Generator.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>
/// Compiling and rendering give the same text under a hostile current culture. The test host runs
/// with InvariantGlobalization (Directory.Build.props), where tr-TR and ar-SA cannot be created
/// with their real data, so the hostile culture is built by hand: decimal comma, '.' grouping,
/// U+2212 minus, a non-ASCII percent and dates day-first. Real tr-TR/ar-SA are added when the
/// host has ICU data for them.
/// </summary>
public class TemplateCultureTests
{
    public static TheoryData<string> Cultures()
    {
        var data = new TheoryData<string> { "hostile" };
        foreach (var name in new[] { "tr-TR", "ar-SA" })
        {
            if (TryReal(name) != null)
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void CompilingAndRenderingDoNotDependOnTheCurrentCulture(string cultureName)
    {
        const string template = "{{ total | money }}/{{ per_day | money }}/{{ base_price | money }}/{{ promo_end | date 'yyyy-MM-dd' }}/{{ ship_within_hours }}/{{ round }}/{{ if area > 20.5 }}大{{ else }}小{{ end }}/{{ area }}/{{ budget | money }}";
        var scope = Scope(Slots_(area: 30.25m, budget: -1234), policy: Policy());
        var expected = Render(template, scope, TemplateContextKind.Policy);
        Assert.Equal("785/1.08/599/2026-12-12/48/2/大/30.25/-12.34", expected);

        var saved = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            var culture = cultureName == "hostile" ? Hostile() : TryReal(cultureName)!;
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;

            // Sanity: the culture really is hostile to culture-sensitive code.
            Assert.NotEqual("1.5", 1.5m.ToString(CultureInfo.CurrentCulture));

            // A different template text so nothing is reused from the compile above.
            var underCulture = Render(template + " ", scope, TemplateContextKind.Policy);
            Assert.Equal(expected + " ", underCulture);
            Assert.Equal("-0.50", ScriptDsl.Templates.MoneyText.Format(-50));
            Assert.Equal("12月12日", ScriptDsl.Templates.DateText.Format(new DateOnly(2026, 12, 12), "M月d日"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved.Item1;
            CultureInfo.CurrentUICulture = saved.Item2;
        }
    }

    private static CultureInfo Hostile()
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        culture.NumberFormat.NegativeSign = "\u2212";
        culture.NumberFormat.PercentSymbol = "٪";
        culture.DateTimeFormat.ShortDatePattern = "dd.MM.yyyy";
        culture.DateTimeFormat.DateSeparator = ".";
        return culture;
    }

    private static CultureInfo? TryReal(string name)
    {
        try
        {
            // Under invariant globalization a culture may exist by name with invariant data: not hostile.
            var culture = new CultureInfo(name);
            return culture.NumberFormat.NumberDecimalSeparator == "." ? null : culture;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
