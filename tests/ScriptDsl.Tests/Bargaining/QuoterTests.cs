using ScriptDsl.Bargaining;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>Quotes: one coupon per order (the best reached), the next threshold worth reaching, the split.</summary>
public sealed class QuoterTests
{
    [Theory]
    [InlineData(9000, 9000, null, "满100减20", 1000)]         // below every threshold: 10 more for 满100减20
    [InlineData(10000, 8000, "满100减20", "满200减50", 10000)]  // exactly at a threshold: it applies
    [InlineData(15000, 13000, "满100减20", "满200减50", 5000)]
    [InlineData(25000, 20000, "满200减50", null, 0)]           // the best reached applies, not both
    public void The_best_reached_coupon_applies_and_the_next_one_is_named(long list, long payable, string? applied, string? next, long toNext)
    {
        var cart = new CartView([new CartLineView("T", "T恤", list, 1, "上衣")]);
        var quote = Quoter.Quote(PolicyFixtures.Apparel, PolicyFixtures.ApparelShop, cart, "");
        Assert.Equal(list, quote.ListTotalMinor);
        Assert.Equal(payable, quote.PayableTotalMinor);
        Assert.Equal(applied, quote.Applied.SingleOrDefault()?.Name);
        Assert.Equal(next, quote.NextCoupon?.Name);
        Assert.Equal(toNext, quote.ToNextCouponMinor);
        Assert.Equal(MoneyMath.SplitUp(payable, 365), quote.PerDayMinor);
        Assert.Empty(quote.Messages); // the apparel policy has no quote reply
    }

    [Fact]
    public void A_coupon_that_would_take_off_no_more_than_the_applied_one_is_not_the_next()
    {
        var policy = PolicyFixtures.Minimal(
            FloorRules.PercentOfList(5000),
            coupons: [new CouponDefinition("满100减30", 10000, 3000), new CouponDefinition("满150减20", 15000, 2000), new CouponDefinition("满300减40", 30000, 4000)]);
        var quote = Quoter.Quote(policy, PolicyFixtures.LampShop, new CartView([new CartLineView("A", "A", 12000, 1, "c")]), "");
        Assert.Equal("满100减30", quote.Applied.Single().Name);
        Assert.Equal("满300减40", quote.NextCoupon?.Name);
        Assert.Equal(18000, quote.ToNextCouponMinor);
    }

    [Fact]
    public void An_empty_cart_cannot_be_quoted() =>
        Assert.Throws<NegotiationInputException>(() => Quoter.Quote(PolicyFixtures.Lamp, PolicyFixtures.LampShop, CartView.Empty, ""));
}
