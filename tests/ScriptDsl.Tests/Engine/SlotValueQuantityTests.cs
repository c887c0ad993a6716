using ScriptDsl.Engine;
using ScriptDsl.Model;
using ScriptDsl.Tests.Support;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Engine;

/// <summary>The state text of approximate quantities and the typed value conditions and templates read.</summary>
public class SlotValueQuantityTests
{
    private static readonly SlotDefinition Area = new("area", SlotKind.Number, [], ["平"], QuestionKind.Open, TestShop.Replies("ask:area", "?"));
    private static readonly SlotDefinition Budget = new("budget", SlotKind.Money, [], [], QuestionKind.Open, TestShop.Replies("ask:budget", "?"));

    [Theory]
    [InlineData("20", QuantityForm.Exact, "20", "20", "20", "20")]
    [InlineData("20..30", QuantityForm.Range, "25", "20", "30", "20-30")]
    [InlineData("20+..30", QuantityForm.More, "25", "20", "30", "20多")]
    [InlineData("~30", QuantityForm.About, "30", "27", "33", "约30")]
    [InlineData("..30", QuantityForm.AtMost, "30", "0", "30", "不超过30")]
    [InlineData("1.5..2.5", QuantityForm.Range, "2", "1.5", "2.5", "1.5-2.5")]
    public void NumberSlotsReadEveryForm(string text, QuantityForm form, string value, string low, string high, string shown)
    {
        Assert.True(SlotValues.TryParse(Area, text, out var v));
        Assert.Equal(form, v.Form);
        Assert.Equal(form != QuantityForm.Exact, v.IsApproximate);
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), v.Number);
        Assert.Equal(decimal.Parse(low, System.Globalization.CultureInfo.InvariantCulture), v.Low);
        Assert.Equal(decimal.Parse(high, System.Globalization.CultureInfo.InvariantCulture), v.High);
        Assert.Equal(shown, v.Text);
    }

    [Fact]
    public void AtLeastHasNoUpperBound()
    {
        Assert.True(SlotValues.TryParse(Area, "30..", out var v));
        Assert.Equal(QuantityForm.AtLeast, v.Form);
        Assert.Equal(30m, v.Number);
        Assert.Equal(30m, v.Low);
        Assert.Equal(decimal.MaxValue, v.High);
        Assert.Equal("至少30", v.Text);

        Assert.True(SlotValues.TryParse(Budget, "80000..", out var m));
        Assert.Equal(80000, m.Money);
        Assert.Equal(long.MaxValue, m.MoneyHigh);
        Assert.Equal("至少800", m.Text);
    }

    [Theory]
    [InlineData("29990", QuantityForm.Exact, 29990, 29990, 29990, "299.90")]
    [InlineData("20000+..30000", QuantityForm.More, 25000, 20000, 30000, "200多")]
    [InlineData("30000..40000", QuantityForm.Range, 35000, 30000, 40000, "300-400")]
    [InlineData("~50000", QuantityForm.About, 50000, 45000, 55000, "约500")]
    [InlineData("..80000", QuantityForm.AtMost, 80000, 0, 80000, "不超过800")]
    [InlineData("100..201", QuantityForm.Range, 150, 100, 201, "1-2.01")]
    public void MoneySlotsReadEveryFormInFen(string text, QuantityForm form, long money, long low, long high, string shown)
    {
        Assert.True(SlotValues.TryParse(Budget, text, out var v));
        Assert.Equal(form, v.Form);
        Assert.Equal(money, v.Money);
        Assert.Equal(low, v.MoneyLow);
        Assert.Equal(high, v.MoneyHigh);
        Assert.Equal(shown, v.Text);
    }

    [Theory]
    [InlineData("30..20")]
    [InlineData("20..20")]
    [InlineData("..")]
    [InlineData("~")]
    [InlineData("1..2..3")]
    [InlineData("abc..3")]
    [InlineData("+..3")]
    [InlineData("20+..")]
    [InlineData("~-")]
    [InlineData("")]
    public void RejectsMalformedText(string text)
    {
        Assert.False(SlotValues.TryParse(Area, text, out _));
        Assert.False(SlotValues.TryParse(Budget, text, out _));
    }

    [Theory]
    [InlineData("-100..200")]
    [InlineData("1.5..300")]
    [InlineData("~-5")]
    public void MoneyBoundsAreWholeNonNegativeFen(string text)
    {
        Assert.False(SlotValues.TryParse(Budget, text, out _));
    }

    [Theory]
    [InlineData(QuantityForm.Exact, "170", "170", "170")]
    [InlineData(QuantityForm.Range, "20", "30", "20..30")]
    [InlineData(QuantityForm.More, "200", "300", "200+..300")]
    [InlineData(QuantityForm.About, "500", "500", "~500")]
    [InlineData(QuantityForm.AtMost, "0", "800", "..800")]
    [InlineData(QuantityForm.AtLeast, "800", "800", "800..")]
    [InlineData(QuantityForm.Exact, "170.00", "170.00", "170")]
    public void ReadingsEncodeCanonically(QuantityForm form, string low, string high, string expected)
    {
        var reading = new QuantityReading(form, decimal.Parse(low, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(high, System.Globalization.CultureInfo.InvariantCulture), 0, 1, true);
        var text = SlotValues.Canonical(reading);
        Assert.Equal(expected, text);
        Assert.True(SlotValues.TryParse(Area, text, out _));
    }

    [Fact]
    public void MoneyReadingsEncodeInFenOrNotAtAll()
    {
        Assert.True(SlotValues.TryCanonicalMoney(new QuantityReading(QuantityForm.More, 200m, 300m, 0, 1, true), out var text));
        Assert.Equal("20000+..30000", text);
        Assert.False(SlotValues.TryCanonicalMoney(new QuantityReading(QuantityForm.Range, 1.234m, 3m, 0, 1, true), out _));
    }

    [Theory]
    [MemberData(nameof(HostileCulture.Names), MemberType = typeof(HostileCulture))]
    public void IgnoresTheCurrentCulture(string culture)
    {
        using (new HostileCulture(culture))
        {
            Assert.True(SlotValues.TryParse(Area, "1.5..2.5", out var v));
            Assert.Equal(2m, v.Number);
            Assert.Equal("1.5-2.5", v.Text);
            Assert.Equal("1.5..2.5", SlotValues.Canonical(new QuantityReading(QuantityForm.Range, 1.5m, 2.5m, 0, 1, true)));
        }
    }
}
