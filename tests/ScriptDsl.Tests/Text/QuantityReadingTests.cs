using System.Globalization;
using ScriptDsl.Model;
using ScriptDsl.Tests.Support;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Text;

public class QuantityReadingTests
{
    private static readonly QuantityExtractor Height = new(["cm", "厘米", "公分"], [new UnitFactor("米", 100m)]);
    private static readonly QuantityExtractor Weight = new(["kg", "公斤"], [new UnitFactor("斤", 0.5m)]);
    private static readonly QuantityExtractor WeightWithoutJin = new(["kg", "公斤"]);
    private static readonly QuantityExtractor Money = new(QuantityExtractor.MoneyUnits, digitsAfterUnitAreDecimals: true);
    private static readonly QuantityExtractor Area = new(QuantityExtractor.AreaUnits);

    private static decimal D(string s) => decimal.Parse(s, CultureInfo.InvariantCulture);

    private static QuantityReading One(QuantityExtractor extractor, string message) =>
        Assert.Single(extractor.FindReadings(TextNormalizer.Normalize(message)));

    [Theory]
    [InlineData("一米七", "170")]
    [InlineData("1米7", "170")]
    [InlineData("1.7米", "170")]
    [InlineData("一米六五", "165")]
    [InlineData("1米65", "165")]
    [InlineData("1.75米", "175")]
    [InlineData("170cm", "170")]
    [InlineData("170㎝", "170")]
    [InlineData("一百六十五厘米", "165")]
    [InlineData("身高一米七的", "170")]
    public void ReadsHeightsInCentimetres(string message, string cm)
    {
        var reading = One(Height, message);
        Assert.Equal(QuantityForm.Exact, reading.Form);
        Assert.Equal(D(cm), reading.Low);
        Assert.Equal(D(cm), reading.High);
        Assert.True(reading.HasUnit);
    }

    [Theory]
    [InlineData("110斤", "55")]
    [InlineData("一百二十斤", "60")]
    [InlineData("65kg", "65")]
    [InlineData("65公斤", "65")]
    [InlineData("体重105斤", "52.5")]
    public void ConvertsADeclaredUnitToTheFirstUnit(string message, string kg)
    {
        Assert.Equal(D(kg), One(Weight, message).Low);
    }

    [Fact]
    public void JinIsNotBuiltIn()
    {
        Assert.Empty(WeightWithoutJin.FindReadings(TextNormalizer.Normalize("我110斤")));
    }

    [Fact]
    public void ADeclaredFactorMustBePositive()
    {
        Assert.Throws<ArgumentException>(() => new QuantityExtractor(["kg"], [new UnitFactor("斤", 0m)]));
    }

    [Fact]
    public void TwoUnitsInOneMessageGoToTheirOwnSlots()
    {
        string text = TextNormalizer.Normalize("一米七，65kg");
        Assert.Equal(170m, Assert.Single(Height.FindReadings(text)).Low);
        Assert.Equal(65m, Assert.Single(Weight.FindReadings(text)).Low);

        string jin = TextNormalizer.Normalize("我身高165体重110斤");
        Assert.Empty(Height.FindReadings(jin));
        Assert.Equal(55m, Assert.Single(Weight.FindReadings(jin)).Low);
    }

    [Theory]
    [InlineData("两百多块", QuantityForm.More, "200", "300")]
    [InlineData("200多元", QuantityForm.More, "200", "300")]
    [InlineData("一千二百多块", QuantityForm.More, "1200", "1300")]
    [InlineData("三四百块", QuantityForm.Range, "300", "400")]
    [InlineData("两三千元", QuantityForm.Range, "2000", "3000")]
    [InlineData("500块左右", QuantityForm.About, "500", "500")]
    [InlineData("大概500元", QuantityForm.About, "500", "500")]
    [InlineData("500元上下", QuantityForm.About, "500", "500")]
    [InlineData("不超过800元", QuantityForm.AtMost, "0", "800")]
    [InlineData("不要超过800块", QuantityForm.AtMost, "0", "800")]
    [InlineData("800元以内", QuantityForm.AtMost, "0", "800")]
    [InlineData("最多800块", QuantityForm.AtMost, "0", "800")]
    [InlineData("800元以下", QuantityForm.AtMost, "0", "800")]
    [InlineData("至少800元", QuantityForm.AtLeast, "800", "800")]
    [InlineData("800块以上", QuantityForm.AtLeast, "800", "800")]
    [InlineData("1000-2000元", QuantityForm.Range, "1000", "2000")]
    [InlineData("1000～2000元", QuantityForm.Range, "1000", "2000")]
    [InlineData("1000到2000元", QuantityForm.Range, "1000", "2000")]
    [InlineData("1000元到2000元", QuantityForm.Range, "1000", "2000")]
    [InlineData("1000至2000块", QuantityForm.Range, "1000", "2000")]
    [InlineData("300元", QuantityForm.Exact, "300", "300")]
    public void ReadsApproximateMoney(string message, QuantityForm form, string low, string high)
    {
        var reading = One(Money, message);
        Assert.Equal(form, reading.Form);
        Assert.Equal(D(low), reading.Low);
        Assert.Equal(D(high), reading.High);
    }

    [Theory]
    [InlineData("二十多平", QuantityForm.More, "20", "30")]
    [InlineData("15平米", QuantityForm.Exact, "15", "15")]
    [InlineData("20到30平", QuantityForm.Range, "20", "30")]
    [InlineData("20平到30平", QuantityForm.Range, "20", "30")]
    [InlineData("20 到 30平米", QuantityForm.Range, "20", "30")]
    [InlineData("十多平", QuantityForm.More, "10", "20")]
    [InlineData("五六十平", QuantityForm.Range, "50", "60")]
    [InlineData("30平左右", QuantityForm.About, "30", "30")]
    public void ReadsApproximateAreas(string message, QuantityForm form, string low, string high)
    {
        var reading = One(Area, message);
        Assert.Equal(form, reading.Form);
        Assert.Equal(D(low), reading.Low);
        Assert.Equal(D(high), reading.High);
    }

    [Fact]
    public void ARangeInMetresConvertsBothEnds()
    {
        var reading = One(Height, "1米6到1米7");
        Assert.Equal(QuantityForm.Range, reading.Form);
        Assert.Equal(160m, reading.Low);
        Assert.Equal(170m, reading.High);
    }

    [Theory]
    [InlineData("170", QuantityForm.Exact, "170", "170")]
    [InlineData("两百多", QuantityForm.More, "200", "300")]
    [InlineData("二十多", QuantityForm.More, "20", "30")]
    [InlineData("三四百", QuantityForm.Range, "300", "400")]
    [InlineData("500左右", QuantityForm.About, "500", "500")]
    [InlineData("500左右吧", QuantityForm.About, "500", "500")]
    [InlineData("不超过800", QuantityForm.AtMost, "0", "800")]
    [InlineData("800以内", QuantityForm.AtMost, "0", "800")]
    [InlineData("最多800", QuantityForm.AtMost, "0", "800")]
    [InlineData("1000-2000", QuantityForm.Range, "1000", "2000")]
    [InlineData("1000~2000", QuantityForm.Range, "1000", "2000")]
    [InlineData("差不多一千", QuantityForm.About, "1000", "1000")]
    public void ReadsAWholeUnitlessAnswer(string message, QuantityForm form, string low, string high)
    {
        Assert.True(QuantityExtractor.Unitless.TryReadWhole(TextNormalizer.Normalize(message), out var reading));
        Assert.Equal(form, reading.Form);
        Assert.Equal(D(low), reading.Low);
        Assert.Equal(D(high), reading.High);
        Assert.False(reading.HasUnit);
    }

    [Theory]
    [InlineData("2个")]
    [InlineData("11月11号")]
    [InlineData("13812345678")]
    [InlineData("2026-11-11")]
    [InlineData("138-1234-5678")]
    [InlineData("20平3室")]
    [InlineData("多少钱")]
    [InlineData("")]
    [InlineData("200多少钱")]
    public void DoesNotTakeAWholeMessageThatIsNotOneQuantity(string message)
    {
        Assert.False(QuantityExtractor.Unitless.TryReadWhole(TextNormalizer.Normalize(message), out _));
    }

    [Theory]
    [InlineData("我身高165", "165")]
    [InlineData("我身高165体重110斤", "165")]
    [InlineData("预算两百多", "200")]
    [InlineData("165的话穿什么码", "165")]
    [InlineData("卧室15", "15")]
    [InlineData("20平3室 预算三四百", "300")]
    public void FindsAUnitlessQuantityThatStandsAlone(string message, string low)
    {
        var found = new List<QuantityReading>();
        Height.FindUnitlessReadings(TextNormalizer.Normalize(message), found);
        Assert.Equal(D(low), Assert.Single(found).Low);
    }

    [Theory]
    [InlineData("2个")]
    [InlineData("要3件")]
    [InlineData("11月11号能到吗")]
    [InlineData("订单号123456789")]
    [InlineData("电话13812345678")]
    [InlineData("138-1234-5678")]
    [InlineData("双11")]
    [InlineData("第2件")]
    [InlineData("打8折")]
    [InlineData("iphone15")]
    [InlineData("帮我看一下")]
    [InlineData("20平3室")]
    [InlineData("2026-11-11")]
    [InlineData("3.5折")]
    [InlineData("110斤")]
    [InlineData("3块5")]
    [InlineData("周3发货吗")]
    public void ConfusablesAreNotUnitlessQuantities(string message)
    {
        var found = new List<QuantityReading>();
        Height.FindUnitlessReadings(TextNormalizer.Normalize(message), found);
        Assert.Empty(found);
    }

    [Theory]
    [InlineData("1米7")]
    [InlineData("3块5")]
    [InlineData("11月11")]
    public void TheDigitsAfterAnUndeclaredUnitAreNotAQuantity(string message)
    {
        var found = new List<QuantityReading>();
        QuantityExtractor.Unitless.FindUnitlessReadings(TextNormalizer.Normalize(message), found);
        Assert.Empty(found);
    }

    [Theory]
    [InlineData("20平3室", "20")]
    [InlineData("2个20平的房间", "20")]
    public void AreaConfusablesStayApart(string message, string area)
    {
        var reading = One(Area, message);
        Assert.Equal(QuantityForm.Exact, reading.Form);
        Assert.Equal(D(area), reading.Low);
    }

    [Theory]
    [InlineData("2个")]
    [InlineData("11月11号")]
    [InlineData("13812345678")]
    [InlineData("订单123456789")]
    [InlineData("3-5天能到吗")]
    public void NoUnitNoReading(string message)
    {
        Assert.Empty(Money.FindReadings(TextNormalizer.Normalize(message)));
        Assert.Empty(Height.FindReadings(TextNormalizer.Normalize(message)));
    }

    [Fact]
    public void TheLastMentionComesLast()
    {
        var readings = Money.FindReadings(TextNormalizer.Normalize("原来想两百多块, 现在三四百块也行"));
        Assert.Equal([QuantityForm.More, QuantityForm.Range], readings.Select(r => r.Form));
    }

    [Fact]
    public void ReportsWhereTheReadingIs()
    {
        string text = TextNormalizer.Normalize("预算不超过800块哦");
        var reading = One(Money, text);
        Assert.Equal("不超过800块", text.Substring(reading.Start, reading.Length));
    }

    [Fact]
    public void ScanningAllocatesNothingButTheResults()
    {
        string text = TextNormalizer.Normalize("我身高一米七, 体重110斤, 预算两百多到三四百块, 不超过800元也行, 20到30平, 订单号123456789, 11月11号");
        var readings = new List<QuantityReading>(16);
        Money.FindReadings(text, readings);
        Weight.FindReadings(text, readings);
        Height.FindUnitlessReadings(text, readings);
        Area.FindReadings(text, readings);
        Assert.NotEmpty(readings);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            readings.Clear();
            Money.FindReadings(text, readings);
            Weight.FindReadings(text, readings);
            Height.FindReadings(text, readings);
            Height.FindUnitlessReadings(text, readings);
            Area.FindReadings(text, readings);
            QuantityExtractor.Unitless.TryReadWhole("1000-2000", out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [MemberData(nameof(HostileCulture.Names), MemberType = typeof(HostileCulture))]
    public void IgnoresTheCurrentCulture(string culture)
    {
        using (new HostileCulture(culture))
        {
            Assert.Equal(170m, One(Height, "1.7米").Low);
            Assert.Equal(52.5m, One(Weight, "105斤").Low);
            Assert.Equal(2000m, One(Money, "1000-2000元").High);
        }
    }
}
