using System.Globalization;

namespace ScriptService.Grpc.Protocol;

/// <summary>
/// The grpc-timeout header: "TimeoutValue TimeoutUnit", where the value is 1 to 8 ASCII digits and
/// the unit one of H (hours), M (minutes), S (seconds), m (milliseconds), u (microseconds), n (nanoseconds).
/// </summary>
public static class GrpcTimeout
{
    private const int MaxDigits = 8;

    /// <summary>Parses a header value; false for anything the specification does not allow.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > MaxDigits + 1)
        {
            return false;
        }
        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        // Digits only (checked above), so the invariant parse cannot see signs, spaces or separators.
        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long ticks;
        switch (value[^1])
        {
            case 'H': ticks = amount * TimeSpan.TicksPerHour; break;
            case 'M': ticks = amount * TimeSpan.TicksPerMinute; break;
            case 'S': ticks = amount * TimeSpan.TicksPerSecond; break;
            case 'm': ticks = amount * TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = amount * (TimeSpan.TicksPerMillisecond / 1000); break;
            // 100 ns per tick: round up so that a positive timeout never becomes zero.
            case 'n': ticks = (amount + 99) / 100; break;
            default: return false;
        }
        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats a timeout for the header, choosing the finest unit that fits in 8 digits (rounding up).</summary>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }
        var ticks = timeout.Ticks;
        const long max = 99_999_999;
        if (ticks <= max / 100 * 1) { return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "n"; }
        var micros = DivideUp(ticks, 10);
        if (micros <= max) { return micros.ToString(CultureInfo.InvariantCulture) + "u"; }
        var millis = DivideUp(ticks, TimeSpan.TicksPerMillisecond);
        if (millis <= max) { return millis.ToString(CultureInfo.InvariantCulture) + "m"; }
        var seconds = DivideUp(ticks, TimeSpan.TicksPerSecond);
        if (seconds <= max) { return seconds.ToString(CultureInfo.InvariantCulture) + "S"; }
        var minutes = DivideUp(ticks, TimeSpan.TicksPerMinute);
        if (minutes <= max) { return minutes.ToString(CultureInfo.InvariantCulture) + "M"; }
        return Math.Min(DivideUp(ticks, TimeSpan.TicksPerHour), max).ToString(CultureInfo.InvariantCulture) + "H";
    }

    private static long DivideUp(long value, long divisor) => (value + divisor - 1) / divisor;
}
