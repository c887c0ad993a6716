using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Engine;

public class BargainAskParserTests
{
    [Theory]
    [InlineData("我买这么多灯具可以打八折包个邮吗?", 20)]
    [InlineData("9折行不行", 10)]
    [InlineData("打个九五折吧", 5)]
    [InlineData("95折", 5)]
    [InlineData("7.5折可以吗", 25)]
    public void PercentagesAreReadAsTheDiscount(string message, int percentOff) =>
        Assert.Equal(BargainAsk.PercentOff(percentOff), BargainAskParser.Parse(TextNormalizer.Normalize(message)));

    [Theory]
    [InlineData("785太贵了, 700行吗?", 70000)]
    [InlineData("700元可以吗", 70000)]
    [InlineData("六百五十块卖不卖", 65000)]
    [InlineData("699.5元", 69950)]
    public void AmountsAreReadAsATargetTotal(string message, long fen) =>
        Assert.Equal(BargainAsk.Target(fen), BargainAskParser.Parse(TextNormalizer.Normalize(message)));

    [Theory]
    [InlineData("包个邮吗")]
    [InlineData("能包邮不")]
    public void FreeShippingIsRecognised(string message) =>
        Assert.Equal(BargainAsk.FreeShipping(), BargainAskParser.Parse(TextNormalizer.Normalize(message)));

    [Theory]
    [InlineData("不能再优惠一点吗?我会给你介绍客户的!")]
    [InlineData("太贵了")]
    [InlineData("九十五折")]
    [InlineData("100折")]
    [InlineData("买2个300一个行吗")]
    public void AnythingElseAsksForAnyBetter(string message) =>
        Assert.Equal(BargainAsk.AnyBetter(), BargainAskParser.Parse(TextNormalizer.Normalize(message)));
}
