namespace ScriptDsl.Bargaining;

/// <summary>
/// The one place money is rounded. Amounts are <see langword="long"/> minor units (fen); every
/// rounding goes in the shop's favour, so a rule stated once here holds everywhere:
/// <list type="bullet">
/// <item>a share the buyer must pay at least (a floor, a per-day price) rounds UP to the fen;</item>
/// <item>a share the shop gives away (a discount, a concession) rounds DOWN to the fen.</item>
/// </list>
/// Arithmetic is checked: an overflow throws <see cref="OverflowException"/> instead of wrapping.
/// Products go through <see cref="Int128"/>, so <c>amount × basis points</c> cannot overflow
/// before the division brings it back into range.
/// </summary>
public static class MoneyMath
{
    /// <summary>10,000 basis points make 100 %.</summary>
    public const int BasisPointsPerWhole = 10_000;

    /// <summary><paramref name="basisPoints"/> of <paramref name="amountMinor"/>, rounded up (a floor: the buyer pays at least this).</summary>
    public static long ShareUp(long amountMinor, int basisPoints)
    {
        RequireShareArguments(amountMinor, basisPoints);
        var product = (Int128)amountMinor * basisPoints;
        return checked((long)DivideUp(product, BasisPointsPerWhole));
    }

    /// <summary><paramref name="basisPoints"/> of <paramref name="amountMinor"/>, rounded down (a discount: the shop gives at most this).</summary>
    public static long ShareDown(long amountMinor, int basisPoints)
    {
        RequireShareArguments(amountMinor, basisPoints);
        var product = (Int128)amountMinor * basisPoints;
        return checked((long)(product / BasisPointsPerWhole));
    }

    /// <summary><paramref name="amountMinor"/> split into <paramref name="parts"/> equal parts, each rounded up (the per-day price).</summary>
    public static long SplitUp(long amountMinor, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountMinor);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parts);
        return (long)DivideUp(amountMinor, parts);
    }

    /// <summary>
    /// <paramref name="amountMinor"/> × <paramref name="fraction"/> rounded down, for a fraction in [0, 1]
    /// (a concession: the shop gives at most this). Exact for any amount a cart can hold: the fraction
    /// is a decimal, never a double.
    /// </summary>
    public static long ScaleDown(long amountMinor, decimal fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountMinor);
        if (fraction < 0m || fraction > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "A fraction of an amount must lie in [0, 1].");
        }

        if (fraction == 1m)
        {
            return amountMinor;
        }

        // decimal × decimal rounds to 28-29 significant digits; an amount of 19 digits times a
        // fraction below 1 keeps at least 9 fractional digits, so truncation is off by at most one
        // fen only when the exact product lies within 1e-9 fen of a whole fen. Callers clamp the
        // result to their bounds, so that cannot cross a floor.
        var scaled = decimal.Floor(amountMinor * fraction);
        return Math.Min((long)scaled, amountMinor);
    }

    public static long Add(long a, long b) => checked(a + b);

    public static long Subtract(long a, long b) => checked(a - b);

    public static long Multiply(long a, long b) => checked(a * b);

    private static Int128 DivideUp(Int128 numerator, Int128 denominator)
    {
        var quotient = Int128.DivRem(numerator, denominator);
        return quotient.Remainder == 0 ? quotient.Quotient : quotient.Quotient + 1;
    }

    private static void RequireShareArguments(long amountMinor, int basisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amountMinor);
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(basisPoints, BasisPointsPerWhole);
    }
}
