using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ScriptService.Metrics;

/// <summary>
/// The service's own instruments (meter "ScriptDsl.Service"), exported with the host's and
/// grpc-dotnet's by <see cref="MetricsEndpoint"/>:
/// <list type="bullet">
/// <item><c>sdsl_store_commit_duration_seconds</c>: one store commit (a group commit on SQLite, one turn's transaction on PostgreSQL).</item>
/// <item><c>sdsl_store_commit_batch_size</c>: how many turns one commit carried.</item>
/// <item><c>sdsl_turns_total{shop}</c>, <c>sdsl_fallbacks_total{shop}</c>: turns decided, and those the fallback answered (their ratio is the fallback rate).</item>
/// <item><c>sdsl_gifts_granted_total{shop,gift}</c>: gifts a turn or a negotiation granted.</item>
/// </list>
/// A static meter: the store and the API record into it without being handed an instance, and a
/// process has one service.
/// </summary>
public static class ServiceMetrics
{
    public const string MeterName = "ScriptDsl.Service";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>(
        "sdsl.store.commit.duration", unit: "s", description: "How long one store commit took.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    private static readonly Histogram<int> CommitBatch = Meter.CreateHistogram<int>(
        "sdsl.store.commit.batch_size", unit: "{turn}", description: "How many turns one store commit carried.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Counter<long> Turns = Meter.CreateCounter<long>("sdsl.turns", unit: "{turn}", description: "Turns decided (Reply and Negotiate), by shop.");

    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("sdsl.fallbacks", unit: "{turn}", description: "Turns the fallback answered, by shop.");

    private static readonly Counter<long> Gifts = Meter.CreateCounter<long>("sdsl.gifts.granted", unit: "{gift}", description: "Gifts granted, by shop and gift.");

    /// <summary>A store committed <paramref name="turns"/> turns in <paramref name="elapsed"/>.</summary>
    public static void Committed(int turns, TimeSpan elapsed)
    {
        CommitDuration.Record(elapsed.TotalSeconds);
        CommitBatch.Record(turns);
    }

    /// <summary>A turn of <paramref name="shop"/> was decided and committed (not a replay).</summary>
    public static void Turn(string shop, bool fallback, string? giftGranted)
    {
        var tag = new KeyValuePair<string, object?>("shop", shop);
        Turns.Add(1, tag);
        if (fallback)
        {
            Fallbacks.Add(1, tag);
        }

        if (giftGranted is not null)
        {
            Gifts.Add(1, tag, new KeyValuePair<string, object?>("gift", giftGranted));
        }
    }
}
