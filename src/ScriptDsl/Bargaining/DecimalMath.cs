namespace ScriptDsl.Bargaining;

/// <summary>
/// Deterministic real functions in <see cref="decimal"/>: the same bits on every machine, unlike
/// <see cref="Math.Pow"/>, whose last digits may differ between platforms and runtimes.
/// </summary>
public static class DecimalMath
{
    private const decimal Ln2 = 0.6931471805599453094172321215m;

    /// <summary><paramref name="x"/>^<paramref name="n"/> by repeated squaring; underflows to 0.</summary>
    public static decimal PowInteger(decimal x, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var result = 1m;
        var power = x;
        while (n > 0)
        {
            if ((n & 1) == 1)
            {
                result *= power;
            }

            n >>= 1;
            if (n > 0)
            {
                power *= power;
            }
        }

        return result;
    }

    /// <summary><paramref name="x"/>^<paramref name="exponent"/> for x in (0, 1] and a positive exponent: exp(exponent × ln x).</summary>
    public static decimal Pow(decimal x, decimal exponent)
    {
        if (x <= 0m || x > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Pow is defined here for a base in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exponent);
        if (x == 1m)
        {
            return 1m;
        }

        return Exp(exponent * Ln(x));
    }

    /// <summary>Natural logarithm for x in (0, 1]: x = m × 2^−k with m in [0.5, 1), ln m by the atanh series.</summary>
    public static decimal Ln(decimal x)
    {
        if (x <= 0m || x > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Ln is defined here for x in (0, 1].");
        }

        var k = 0;
        while (x < 0.5m)
        {
            x *= 2m;
            k++;
        }

        // ln m = 2 (z + z³/3 + z⁵/5 + ...), z = (m − 1)/(m + 1), |z| ≤ 1/3: each term shrinks ninefold.
        var z = (x - 1m) / (x + 1m);
        var z2 = z * z;
        var term = z;
        var sum = 0m;
        for (var i = 1; i < 80 && term != 0m; i += 2)
        {
            sum += term / i;
            term *= z2;
        }

        return (2m * sum) - (k * Ln2);
    }

    /// <summary>e^y for y ≤ 0: y = −n ln 2 + r with r in (−ln 2, 0], e^r by its Taylor series, then halved n times.</summary>
    public static decimal Exp(decimal y)
    {
        if (y > 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(y), y, "Exp is defined here for y ≤ 0.");
        }

        var n = (int)decimal.Min(decimal.Floor(-y / Ln2), 200m);
        if (n >= 200)
        {
            return 0m;
        }

        var r = y + (n * Ln2);
        var term = 1m;
        var sum = 1m;
        for (var i = 1; i < 60 && term != 0m; i++)
        {
            term = term * r / i;
            sum += term;
        }

        for (var i = 0; i < n && sum != 0m; i++)
        {
            sum /= 2m;
        }

        return sum;
    }
}
