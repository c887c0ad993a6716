using ScriptDsl.Bargaining;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>The rounding rules, stated once in <see cref="MoneyMath"/>: floors and per-day prices up, discounts down.</summary>
public sealed class MoneyMathTests
{
    [Theory]
    [InlineData(78500, 9000, 70650)]          // 90% of 785 exactly
    [InlineData(59900, 8500, 50915)]          // 85% of 599 exactly
    [InlineData(18601, 8500, 15811)]          // 158.1085 → 158.11: a floor rounds up
    [InlineData(1, 1, 1)]                     // 0.0001 fen → 1 fen
    [InlineData(1, 0, 0)]
    [InlineData(0, 9000, 0)]
    [InlineData(12345, 10000, 12345)]
    [InlineData(long.MaxValue, 10000, long.MaxValue)]
    [InlineData(long.MaxValue, 9999, 9222449699651090330)] // through Int128: amount × bp would overflow a long
    public void ShareUp_rounds_a_floor_up_to_the_fen(long amount, int basisPoints, long expected) =>
        Assert.Equal(expected, MoneyMath.ShareUp(amount, basisPoints));

    [Theory]
    [InlineData(78500, 2000, 15700)]          // 打八折 of 785: 157 off
    [InlineData(18601, 1500, 2790)]           // 27.9015 → 27.90: a discount rounds down
    [InlineData(1, 9999, 0)]
    [InlineData(long.MaxValue, 10000, long.MaxValue)]
    [InlineData(long.MaxValue, 1, 922337203685477)]
    public void ShareDown_rounds_a_discount_down_to_the_fen(long amount, int basisPoints, long expected) =>
        Assert.Equal(expected, MoneyMath.ShareDown(amount, basisPoints));

    [Theory]
    [InlineData(78500, 730, 108)]             // 785 over 2 years: 1.0753 → 1.08 a day
    [InlineData(76500, 730, 105)]
    [InlineData(73000, 730, 100)]             // exact
    [InlineData(1, 730, 1)]                   // never 0 for a positive price
    [InlineData(0, 730, 0)]
    [InlineData(long.MaxValue, 1, long.MaxValue)]
    [InlineData(long.MaxValue, 2, 4611686018427387904)]
    public void SplitUp_rounds_the_per_day_price_up_to_the_fen(long amount, int days, long expected) =>
        Assert.Equal(expected, MoneyMath.SplitUp(amount, days));

    [Theory]
    [InlineData(2460, "0.6944444444444444444444444444", 1708)]
    [InlineData(100, "0.999", 99)]
    [InlineData(100, "1", 100)]
    [InlineData(100, "0", 0)]
    [InlineData(long.MaxValue, "0.5", 4611686018427387903)]
    public void ScaleDown_rounds_a_concession_down(long amount, string fraction, long expected) =>
        Assert.Equal(expected, MoneyMath.ScaleDown(amount, decimal.Parse(fraction, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Bad_arguments_and_overflow_throw_instead_of_wrapping()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MoneyMath.ShareUp(-1, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => MoneyMath.ShareUp(1, 10001));
        Assert.Throws<ArgumentOutOfRangeException>(() => MoneyMath.ShareDown(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MoneyMath.SplitUp(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MoneyMath.ScaleDown(1, 1.0001m));
        Assert.Throws<OverflowException>(() => MoneyMath.Add(long.MaxValue, 1));
        Assert.Throws<OverflowException>(() => MoneyMath.Multiply(long.MaxValue / 2, 3));
        Assert.Throws<OverflowException>(() => MoneyMath.Subtract(long.MinValue, 1));
    }

    [Fact]
    public void A_cart_of_500_lines_of_9999_pieces_at_large_prices_prices_exactly()
    {
        // 500 × 9,999 × 1,000,000,000.00 yuan = 4.9995e17 fen: near a long's range; 90% of it needs Int128.
        var lines = Enumerable.Range(0, 500)
            .Select(i => new CartLineView("SKU-" + i, "大件", 100_000_000_000, 9_999, "客厅"))
            .ToArray();
        var cart = new CartView(lines);
        var priced = CartPricing.Price(PolicyFixtures.Lamp, cart, "");
        Assert.Equal(499_950_000_000_000_000, priced.ListTotalMinor);
        Assert.Equal(424_957_500_000_000_000, priced.RawFloorMinor); // 85% per line, exact
        var outcome = Negotiator.Decide(PolicyFixtures.Lamp, PolicyFixtures.LampShop, cart, BargainAsk.AnyBetter(), BargainingState.Initial, "");
        Assert.Equal(priced.PayableMinor, outcome.TotalMinor);
    }

    [Fact]
    public void Totals_that_overflow_are_refused_not_wrapped()
    {
        // The cart view refuses to wrap its own total.
        Assert.Throws<OverflowException>(() => new CartView(
            Enumerable.Range(0, 500).Select(_ => new CartLineView("X", "X", 2_000_000_000_000, 9_999, "c")).ToArray()));

        // A floor per unit times the quantity can overflow where the list total does not.
        var policy = PolicyFixtures.Minimal(new FloorRules(9000, 0, [new SkuFloor("X", long.MaxValue / 2)], [], []));
        var cart = new CartView([new CartLineView("X", "X", 100, 3, "c")]);
        var e = Assert.Throws<NegotiationInputException>(() => Negotiator.Decide(policy, PolicyFixtures.LampShop, cart, BargainAsk.AnyBetter(), BargainingState.Initial, ""));
        Assert.Contains("overflow", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(78500, "785")]
    [InlineData(105, "1.05")]
    [InlineData(33092, "330.92")]
    public void Money_is_shown_as_the_seeds_write_it(long minor, string text) => Assert.Equal(text, MoneyText.Format(minor));
}
