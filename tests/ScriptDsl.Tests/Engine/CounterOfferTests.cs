using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Engine;

/// <summary>How a counter-offer typed in chat is told from the other numbers buyers write (docs/engine.md, "Counter-offers").</summary>
public class CounterOfferTests
{
    /// <summary>The seed's two-lamp cart: 699 + 299.</summary>
    private const long ListTotal = 99800;

    private static readonly string[] ShopUnits = ["㎡", "平米", "平方"];

    private static bool Read(string message, out BargainAsk ask, long reference = 97800) =>
        BargainAskParser.TryCounterOffer(TextNormalizer.Normalize(message), ListTotal, reference, ShopUnits, out ask);

    [Theory]
    [InlineData("900行不行", 90000)]
    [InlineData("800卖不卖", 80000)]
    [InlineData("能不能850", 85000)]
    [InlineData("850可以吗", 85000)]
    [InlineData("900", 90000)]
    [InlineData("900吧", 90000)]
    [InlineData("800块卖不卖", 80000)]
    [InlineData("八百五行不行", 85000)]
    [InlineData("九百块", 90000)]
    [InlineData("最少850行吗", 85000)]
    [InlineData("785太贵了, 700行吗?", 70000)]
    public void ATotalPlausibleForTheCartIsAnAsk(string message, long fen)
    {
        Assert.True(Read(message, out var ask));
        Assert.Equal(BargainAsk.Target(fen), ask);
    }

    [Theory]
    [InlineData("打个九折呗", 10)]
    [InlineData("9折行不行", 10)]
    [InlineData("八五折卖不卖", 15)]
    public void ARateIsAnAsk(string message, int percent)
    {
        Assert.True(Read(message, out var ask));
        Assert.Equal(BargainAsk.PercentOff(percent), ask);
    }

    [Theory]
    [InlineData("便宜50", 50)]
    [InlineData("再便宜50块吧", 50)]
    [InlineData("少50行不行", 50)]
    [InlineData("优惠五十", 50)]
    [InlineData("便宜点100", 100)]
    public void AnAmountOffIsAskedOffTheTotalOnTheTable(string message, long yuan)
    {
        const long reference = 97800;
        Assert.True(Read(message, out var ask, reference));
        Assert.Equal(BargainAsk.Target(reference - (yuan * 100)), ask);
    }

    [Theory]
    [InlineData("我家20平")]                        // an area
    [InlineData("客厅30平米够不够")]                 // an area with an ask-like word
    [InlineData("订单号20261122001")]               // an order number: too many digits
    [InlineData("20261122001")]
    [InlineData("我的手机13812345678")]             // a phone number
    [InlineData("我身高170")]                      // a height
    [InlineData("1米7的个子")]
    [InlineData("两个")]                           // a count
    [InlineData("买两个行不行")]
    [InlineData("买2个300一个行吗")]                // a unit price, not the total
    [InlineData("满300减20吗")]                     // the coupon, not an amount off
    [InlineData("预算500左右")]                     // the budget slot
    [InlineData("9月3号能到吗")]                    // a date
    [InlineData("我家900平的别墅")]                 // a plausible amount with an area unit
    [InlineData("多少钱")]
    [InlineData("200行不行")]                       // below 30% of the cart: not an ask for this cart
    [InlineData("998行吗")]                         // the list total itself is no counter-offer
    [InlineData("1200行吗")]
    [InlineData("我要900的那款")]                    // no ask word, not alone, no money unit
    public void OtherNumbersAreNotAsks(string message) => Assert.False(Read(message, out _));

    [Fact]
    public void WithoutACartNothingIsACounterOffer() =>
        Assert.False(BargainAskParser.TryCounterOffer(TextNormalizer.Normalize("900行不行"), 0, 0, ShopUnits, out _));

    [Theory]
    [InlineData("太贵了, 便宜50吧", 97800, 92800)]
    [InlineData("便宜点100", 90000, 80000)]
    public void APriceObjectionWithAnAmountOffAsksThatMuchLessThanTheOffer(string message, long reference, long expected) =>
        Assert.Equal(BargainAsk.Target(expected), BargainAskParser.Parse(TextNormalizer.Normalize(message), reference));

    [Fact]
    public void AnAmountOffWithoutAReferenceIsAnyBetter() =>
        Assert.Equal(BargainAsk.AnyBetter(), BargainAskParser.Parse(TextNormalizer.Normalize("便宜50")));
}
