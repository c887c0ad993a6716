namespace ScriptDsl.Bargaining;

/// <summary>
/// The time-dependent concession tactic of Faratin, Sierra and Jennings (1998), from the seller's
/// side, with κ = 0 (no concession at the start):
/// <code>
///   offer(t) = start − (start − reservation) × (min(t, T) / T)^(1/β)
/// </code>
/// where t is the bargaining round (1 for the first ask), T the policy's maximum number of rounds
/// (the deadline: the offer reaches the reservation value at round T), <c>start</c> the price before
/// any concession (list total less the coupon that applies) and <c>reservation</c> the floor plus the
/// cost of the gifts already granted. β &lt; 1 is Boulware (holds out, gives ground late), β = 1 is
/// linear, β &gt; 1 is Conceder (gives ground early).
/// <para>
/// No floating point: the fraction (t/T)^(1/β) is computed in <see cref="decimal"/> (exactly for β = 1
/// and for β = 1/n, otherwise with <see cref="DecimalMath.Pow"/>), and the concession it yields is
/// rounded DOWN to the fen (<see cref="MoneyMath.ScaleDown"/>), so the offer rounds up: in the shop's favour.
/// </para>
/// </summary>
public static class ConcessionCurve
{
    public const decimal MinBeta = 0.01m;

    public const decimal MaxBeta = 100m;

    /// <summary>(min(t, T) / T)^(1/β) in [0, 1]: the share of the room conceded by round <paramref name="round"/>.</summary>
    public static decimal Fraction(int round, int deadline, decimal beta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(deadline);
        RequireBeta(beta);
        if (round <= 0)
        {
            return 0m;
        }

        if (round >= deadline)
        {
            return 1m;
        }

        var x = (decimal)round / deadline;
        if (beta == 1m)
        {
            return x;
        }

        // β = 1/n (0.5, 0.25, 0.2, ...): an integer power, exact up to decimal's 28 digits.
        var exponent = 1m / beta;
        if (exponent == decimal.Truncate(exponent) && exponent <= 64m)
        {
            return DecimalMath.PowInteger(x, (int)exponent);
        }

        return Math.Clamp(DecimalMath.Pow(x, exponent), 0m, 1m);
    }

    /// <summary>The curve's offer at round <paramref name="round"/>, rounded up to the fen; never below <paramref name="reservationMinor"/>.</summary>
    public static long Offer(long startMinor, long reservationMinor, int round, int deadline, decimal beta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(reservationMinor);
        ArgumentOutOfRangeException.ThrowIfLessThan(startMinor, reservationMinor);
        var room = startMinor - reservationMinor;
        var concession = MoneyMath.ScaleDown(room, Fraction(round, deadline, beta));
        return Math.Max(startMinor - concession, reservationMinor);
    }

    public static void RequireBeta(decimal beta)
    {
        if (beta < MinBeta || beta > MaxBeta)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, $"The concession shape β must lie in [{MinBeta}, {MaxBeta}].");
        }
    }
}
