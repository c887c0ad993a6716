using BenchmarkDotNet.Attributes;
using ScriptDsl.Matching;
using ScriptDsl.Text;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// Matching one 40-character buyer message against a shop with 10, 1,000 or 10,000 triggers.
/// Target: 10,000 triggers cost at most 1.5× what 10 cost.
/// </summary>
/// <remarks>
/// A short job (one launch, 3 warm-ups, 30 iterations of 10 ms, under a minute in all): the
/// machine is shared with parallel builds, so iterations are kept short enough to often run
/// unpreempted, and Min/Median are shown beside the mean; compare Min across sizes.
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 30, id: "Short")]
[IterationTime(10)]
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class MatchingBenchmarks
{
    private TriggerAutomaton _automaton = null!;
    private readonly List<TriggerHit> _hits = new(64);
    private string _message = null!;
    private string _rawMessage = null!;

    [Params(10, 1_000, 10_000)]
    public int Triggers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _message = TriggerCorpus.Message;
        _rawMessage = TriggerCorpus.RawMessage;
        var builder = new TriggerAutomatonBuilder();
        int payload = 0;
        foreach (string phrase in TriggerCorpus.Phrases(Triggers))
        {
            builder.Add(TextNormalizer.Normalize(phrase), payload++);
        }

        _automaton = new TriggerAutomaton(builder.Build());
    }

    [Benchmark(Baseline = true)]
    public int FindAll()
    {
        _hits.Clear();
        _automaton.FindAll(_message, _hits);
        return _hits.Count;
    }

    /// <summary>What a turn really pays: normalize the raw message, then match.</summary>
    [Benchmark]
    public int NormalizeAndFindAll()
    {
        Span<char> buffer = stackalloc char[TextNormalizer.MaxOutputLength(_rawMessage.Length)];
        int length = TextNormalizer.NormalizeInto(_rawMessage, buffer);
        _hits.Clear();
        _automaton.FindAll(buffer[..length], _hits);
        return _hits.Count;
    }
}
