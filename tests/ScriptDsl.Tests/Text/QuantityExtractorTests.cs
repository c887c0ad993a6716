using ScriptDsl.Tests.Support;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Text;

public class QuantityExtractorTests
{
    private static readonly QuantityExtractor Area = new(QuantityExtractor.AreaUnits);
    private static readonly QuantityExtractor Money = new(QuantityExtractor.MoneyUnits, digitsAfterUnitAreDecimals: true);
    private static readonly QuantityExtractor Height = new(["cm", "厘米", "米"], digitsAfterUnitAreDecimals: true);
    private static readonly QuantityExtractor Weight = new(QuantityExtractor.WeightUnits);

    [Theory]
    [InlineData("20平", "20", "平", 0, 3)]
    [InlineData("20㎡", "20", "㎡", 0, 4)]
    [InlineData("20m2", "20", "㎡", 0, 4)]
    [InlineData("二十平米", "20", "平米", 0, 4)]
    [InlineData("大概十五个平方吧", "15", "个平方", 2, 5)]
    [InlineData("客厅35.5平方米", "35.5", "平方米", 2, 7)]
    [InlineData("卧室 20 平", "20", "平", 3, 4)]
    [InlineData("我家北欧风, 卧室用, 20平", "20", "平", 10, 3)]
    public void FindsArea(string message, string value, string unit, int start, int length)
    {
        List<QuantityHit> hits = Area.FindAll(TextNormalizer.Normalize(message));
        QuantityHit hit = Assert.Single(hits);
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), hit.Value);
        Assert.Equal(unit, hit.Unit);
        Assert.Equal(start, hit.Start);
        Assert.Equal(length, hit.Length);
    }

    [Theory]
    [InlineData("300元", 30000)]
    [InlineData("299.9元", 29990)]
    [InlineData("三百块", 30000)]
    [InlineData("三百块钱能买吗", 30000)]
    [InlineData("两百五十元", 25000)]
    [InlineData("3k元", 300000)]
    [InlineData("3千块", 300000)]
    [InlineData("三块五", 350)]
    [InlineData("3块5", 350)]
    [InlineData("100rmb", 10000)]
    [InlineData("１９９元", 19900)]
    [InlineData("一千二百块", 120000)]
    public void FindsMoneyInFen(string message, long fen)
    {
        List<MoneyHit> hits = Money.FindMoney(TextNormalizer.Normalize(message));
        Assert.Equal(fen, Assert.Single(hits).Fen);
    }

    [Theory]
    [InlineData("1米6", "1.6", "米")]
    [InlineData("1米65", "1.65", "米")]
    [InlineData("一米六五", "1.65", "米")]
    [InlineData("165cm", "165", "cm")]
    [InlineData("170㎝", "170", "cm")]
    [InlineData("一百七十厘米", "170", "厘米")]
    [InlineData("1.75米", "1.75", "米")]
    public void FindsHeight(string message, string value, string unit)
    {
        QuantityHit hit = Assert.Single(Height.FindAll(TextNormalizer.Normalize(message)));
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), hit.Value);
        Assert.Equal(unit, hit.Unit);
    }

    [Fact]
    public void PrefersTheLongestUnitOverTheLongestNumber()
    {
        QuantityHit hit = Assert.Single(Weight.FindAll("五千克"));
        Assert.Equal(5m, hit.Value);
        Assert.Equal("千克", hit.Unit);

        var watts = new QuantityExtractor(["w", "瓦"]);
        QuantityHit power = Assert.Single(watts.FindAll("5w的灯泡"));
        Assert.Equal(5m, power.Value);
    }

    [Fact]
    public void FindsSeveralHitsLeftToRight()
    {
        List<QuantityHit> hits = Area.FindAll(TextNormalizer.Normalize("客厅30平，卧室十五平米，书房8㎡"));
        Assert.Equal([30m, 15m, 8m], hits.Select(h => h.Value));
    }

    [Theory]
    [InlineData("20平3室")]
    [InlineData("123平")]
    public void TakesNumbersWholeAndKeepsUnitsApartByDefault(string message)
    {
        QuantityHit hit = Assert.Single(Area.FindAll(message));
        Assert.Equal(decimal.Parse(message[..message.IndexOf('平', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture), hit.Value);
    }

    [Theory]
    [InlineData("平")]
    [InlineData("多少平")]
    [InlineData("20 30")]
    [InlineData("万一不合适呢")]
    [InlineData("不, 平")]
    [InlineData("")]
    public void FindsNothingWithoutNumberAndUnit(string message)
    {
        Assert.Empty(Area.FindAll(TextNormalizer.Normalize(message)));
    }

    [Fact]
    public void SkipsMoneyThatIsNotWholeFen()
    {
        Assert.Empty(Money.FindMoney("1.234元"));
    }

    [Fact]
    public void ConvertsYuanToFenExactly()
    {
        Assert.True(QuantityExtractor.TryToFen(0.1m + 0.2m, out long fen));
        Assert.Equal(30, fen);
        Assert.False(QuantityExtractor.TryToFen(-1m, out _));
        Assert.False(QuantityExtractor.TryToFen(1e18m, out _));
    }

    [Theory]
    [MemberData(nameof(HostileCulture.Names), MemberType = typeof(HostileCulture))]
    public void IgnoresTheCurrentCulture(string culture)
    {
        using (new HostileCulture(culture))
        {
            Assert.Equal(29990, Assert.Single(Money.FindMoney(TextNormalizer.Normalize("299.9元"))).Fen);
            Assert.Equal(1.6m, Assert.Single(Height.FindAll("1米6")).Value);
        }
    }
}
