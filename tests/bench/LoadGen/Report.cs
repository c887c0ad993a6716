using System.Globalization;
using System.Text;

namespace LoadGen;

/// <summary>The markdown the script prints: the median round of each call, and every round.</summary>
public static class Report
{
    public static string Table(IReadOnlyList<PhaseResult> empty, IReadOnlyList<PhaseResult> reply)
    {
        var text = new StringBuilder();
        text.AppendLine("| call | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | failed | invalid | loadgen CPU µs/req | server CPU µs/req | vs EmptyCall (ratio of medians) | median of per-round ratios |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var emptyMedian = empty.Count == 0 ? null : Median(empty);
        var perRound = Enumerable.Range(0, Math.Min(empty.Count, reply.Count)).Select(i => reply[i].RequestsPerSecond / empty[i].RequestsPerSecond).Order().ToList();
        if (emptyMedian is not null)
        {
            Row(text, emptyMedian, 1.0, 1.0);
        }

        if (reply.Count > 0)
        {
            var replyMedian = Median(reply);
            Row(text, replyMedian, emptyMedian is null ? double.NaN : replyMedian.RequestsPerSecond / emptyMedian.RequestsPerSecond, perRound.Count == 0 ? double.NaN : MedianOf(perRound));
        }
        return text.ToString().TrimEnd();
    }

    public static string Rounds(IReadOnlyList<PhaseResult> empty, IReadOnlyList<PhaseResult> reply)
    {
        var text = new StringBuilder("all rounds (req/s, p50 / p99 ms, failed, invalid, loadgen / server CPU µs/req, conversations started):\n");
        foreach (var (name, results) in new[] { ("EmptyCall", empty), ("Reply", reply) })
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name}:");
            foreach (var r in results)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"    {r.RequestsPerSecond:F0}  {r.PercentileMs(50):F2} / {r.PercentileMs(99):F2}  {r.Failed} {r.Invalid}  {r.ClientCpuMicrosPerRequest:F1} / {r.ServerCpuMicrosPerRequest:F1}  {r.ConversationsStarted}");
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// With --db-pid: the database server's CPU per request (its postmaster and backends), in the
    /// median round of each call and in every round, and the server's plus the database's.
    /// </summary>
    public static string Database(IReadOnlyList<PhaseResult> empty, IReadOnlyList<PhaseResult> reply)
    {
        var text = new StringBuilder();
        foreach (var (name, results) in new[] { ("EmptyCall", empty), ("Reply", reply) })
        {
            if (results.Count == 0)
            {
                continue;
            }

            var median = Median(results);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"database CPU µs/req, {name}: {median.DatabaseCpuMicrosPerRequest:F1} (median round; server + database {median.ServerCpuMicrosPerRequest + median.DatabaseCpuMicrosPerRequest:F1}); "
                + $"every round: {string.Join(" / ", results.Select(r => r.DatabaseCpuMicrosPerRequest.ToString("F1", CultureInfo.InvariantCulture)))}");
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>The round with the median requests/s (the lower middle of an even count).</summary>
    private static PhaseResult Median(IReadOnlyList<PhaseResult> results) =>
        results.OrderBy(r => r.RequestsPerSecond).ElementAt((results.Count - 1) / 2);

    private static double MedianOf(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static void Row(StringBuilder text, PhaseResult r, double ratio, double roundRatio) =>
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {r.Call} | {r.RequestsPerSecond:F0} | {r.PercentileMs(50):F2} | {r.PercentileMs(90):F2} | {r.PercentileMs(99):F2} | {r.PercentileMs(99.9):F2} | {r.Failed} | {r.Invalid} | {r.ClientCpuMicrosPerRequest:F1} | {r.ServerCpuMicrosPerRequest:F1} | {ratio:F3}x | {roundRatio:F3}x |");
}
