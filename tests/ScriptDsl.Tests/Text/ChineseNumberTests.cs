using ScriptDsl.Tests.Support;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Text;

public class ChineseNumberTests
{
    [Theory]
    [InlineData("零", 0)]
    [InlineData("一", 1)]
    [InlineData("两", 2)]
    [InlineData("十", 10)]
    [InlineData("十五", 15)]
    [InlineData("二十", 20)]
    [InlineData("二十五", 25)]
    [InlineData("九十九", 99)]
    [InlineData("一百", 100)]
    [InlineData("一百零五", 105)]
    [InlineData("一百一十五", 115)]
    [InlineData("一百二", 120)]
    [InlineData("两百五", 250)]
    [InlineData("三百", 300)]
    [InlineData("一千", 1000)]
    [InlineData("一千二", 1200)]
    [InlineData("两千五", 2500)]
    [InlineData("一千零二十", 1020)]
    [InlineData("三千五百", 3500)]
    [InlineData("一万", 10000)]
    [InlineData("三万五", 35000)]
    [InlineData("一万二千", 12000)]
    [InlineData("一万零五", 10005)]
    [InlineData("十万", 100000)]
    [InlineData("二十一万", 210000)]
    [InlineData("一亿两千万", 120000000)]
    [InlineData("一万亿", 1000000000000)]
    [InlineData("壹佰", 100)]
    [InlineData("叁仟伍佰", 3500)]
    [InlineData("貳拾", 20)]
    [InlineData("20", 20)]
    [InlineData("0", 0)]
    [InlineData("3千", 3000)]
    [InlineData("3k", 3000)]
    [InlineData("3w", 30000)]
    [InlineData("1万2", 12000)]
    [InlineData("3千500", 3500)]
    [InlineData("1万2000", 12000)]
    [InlineData("12万", 120000)]
    [InlineData("2.5万", 25000)]
    public void ParsesIntegers(string text, long expected)
    {
        Assert.True(ChineseNumber.TryParse(text, out long value), text);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void ParsesEveryNumberFrom1To99WrittenTheUsualWay()
    {
        string[] digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        for (int n = 1; n <= 99; n++)
        {
            int tens = n / 10;
            int ones = n % 10;
            string text = (tens == 0 ? "" : (tens == 1 ? "" : digits[tens]) + "十") + digits[ones];
            Assert.True(ChineseNumber.TryParse(text, out long value), text);
            Assert.Equal(n, value);
        }
    }

    [Theory]
    [InlineData("1.5", "1.5")]
    [InlineData("299.9", "299.9")]
    [InlineData("2.5万", "25000")]
    [InlineData("1.5k", "1500")]
    public void ParsesDecimals(string text, string expected)
    {
        Assert.True(ChineseNumber.TryParseDecimal(text, out decimal value), text);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("百")]
    [InlineData("万")]
    [InlineData("万一")]
    [InlineData("一二")]
    [InlineData("五百三千")]
    [InlineData("一百十")]
    [InlineData("零五")]
    [InlineData("三五")]
    [InlineData("一万万")]
    [InlineData("1万2.5")]
    [InlineData("3千5000")]
    [InlineData("k")]
    [InlineData("十k")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1234567890123456")]
    public void Rejects(string text)
    {
        Assert.False(ChineseNumber.TryParseDecimal(text, out _), text);
    }

    [Fact]
    public void IntegerFormRejectsFractions()
    {
        Assert.False(ChineseNumber.TryParse("1.5", out _));
        Assert.True(ChineseNumber.TryParse("1.50万", out long value));
        Assert.Equal(15000, value);
    }

    [Theory]
    [MemberData(nameof(HostileCulture.Names), MemberType = typeof(HostileCulture))]
    public void IgnoresTheCurrentCulture(string culture)
    {
        using (new HostileCulture(culture))
        {
            Assert.True(ChineseNumber.TryParseDecimal("299.9", out decimal value));
            Assert.Equal(299.9m, value);
            Assert.True(ChineseNumber.TryParse("两千五", out long integer));
            Assert.Equal(2500, integer);
        }
    }
}
