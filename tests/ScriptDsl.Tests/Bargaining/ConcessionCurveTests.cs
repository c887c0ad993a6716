using System.Globalization;
using ScriptDsl.Bargaining;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>
/// The Faratin time-dependent curve, in decimal: exact where it can be, 25+ digits where it cannot.
/// Reference values computed with Python's decimal module at 40 digits.
/// </summary>
public sealed class ConcessionCurveTests
{
    [Theory]
    [InlineData(0.5, "-0.6931471805599453094172321215")]
    [InlineData(1, "0")]
    [InlineData(0.1, "-2.302585092994045684017991455")]
    public void Ln_matches_reference_values(double x, string expected) =>
        AssertClose(decimal.Parse(expected, CultureInfo.InvariantCulture), DecimalMath.Ln((decimal)x));

    [Fact]
    public void Exp_and_Pow_match_reference_values()
    {
        AssertClose(0.3678794411714423215955237702m, DecimalMath.Exp(-1m));
        AssertClose(1m, DecimalMath.Exp(0m));
        Assert.Equal(0m, DecimalMath.Exp(-1000m));
        AssertClose(0.7937005259840997373758528196m, DecimalMath.Pow(0.5m, 1m / 3m));        // 0.5^(1/3)
        AssertClose(0.7953289934228236059629313154m, DecimalMath.Pow(3m / 7m, 1m / 3.7m));    // Conceder β 3.7
        AssertClose(0.01290897857998144320694552890m, DecimalMath.Pow(0.2m, 1m / 0.37m));     // Boulware β 0.37
    }

    [Theory]
    [InlineData(0, 5, 0.5, "0")]
    [InlineData(5, 5, 0.5, "1")]
    [InlineData(9, 5, 3.7, "1")]
    [InlineData(2, 5, 1, "0.4")]         // linear: exact
    [InlineData(2, 5, 0.5, "0.16")]      // Boulware β = 1/2: (2/5)², exact
    [InlineData(1, 4, 0.25, "0.00390625")] // β = 1/4: (1/4)⁴, exact
    public void Fraction_is_exact_at_the_ends_and_for_linear_and_unit_fraction_betas(int round, int deadline, double beta, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), ConcessionCurve.Fraction(round, deadline, (decimal)beta));

    [Fact]
    public void Boulware_holds_out_and_Conceder_gives_ground_early_and_both_rise_with_time()
    {
        foreach (var beta in new[] { 0.2m, 0.37m, 0.5m, 1m, 2m, 3.7m, 10m })
        {
            var previous = -1m;
            for (var t = 0; t <= 12; t++)
            {
                var f = ConcessionCurve.Fraction(t, 12, beta);
                Assert.InRange(f, 0m, 1m);
                Assert.True(f > previous, $"β {beta}: fraction not increasing at t {t}");
                previous = f;
            }
        }

        for (var t = 1; t < 12; t++)
        {
            Assert.True(ConcessionCurve.Fraction(t, 12, 0.5m) < ConcessionCurve.Fraction(t, 12, 1m));
            Assert.True(ConcessionCurve.Fraction(t, 12, 1m) < ConcessionCurve.Fraction(t, 12, 2m));
        }
    }

    [Theory]
    [InlineData(34800, 32340, 5, 6, 0.5, 33092)]  // the apparel dialogue: 25/36 of 24.60 = 17.0833 → 17.08 conceded
    [InlineData(34800, 32340, 6, 6, 0.5, 32340)]  // the deadline: the reservation value
    [InlineData(34800, 32340, 0, 6, 0.5, 34800)]
    [InlineData(1000, 999, 1, 3, 1, 1000)]        // 1/3 of a fen conceded rounds to nothing: the shop's favour
    [InlineData(1000, 1000, 3, 3, 2, 1000)]       // no room
    public void Offer_rounds_in_the_shops_favour_and_never_goes_below_the_reservation(long start, long reservation, int round, int deadline, double beta, long expected) =>
        Assert.Equal(expected, ConcessionCurve.Offer(start, reservation, round, deadline, (decimal)beta));

    [Fact]
    public void Bad_shapes_and_ranges_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcessionCurve.Fraction(1, 5, 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcessionCurve.Fraction(1, 5, 101m));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcessionCurve.Fraction(1, 0, 1m));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConcessionCurve.Offer(100, 101, 1, 5, 1m));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecimalMath.Ln(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecimalMath.Exp(0.1m));
    }

    private static void AssertClose(decimal expected, decimal actual) =>
        Assert.True(Math.Abs(expected - actual) < 1e-25m, $"expected {expected}, got {actual}");
}
