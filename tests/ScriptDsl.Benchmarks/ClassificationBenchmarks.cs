using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using ScriptDsl.Matching;
using ScriptDsl.Text;
using ScriptDsl.Understanding;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// Classifying one buyer message with a shop's intent classifier, beside the trigger automaton on
/// the same message in the same run. Target: 50 intents × 40 examples ≤ 10 µs per message.
/// </summary>
/// <remarks>
/// The classifier is trained on the standard library's 19 intents (their first 40 phrasings,
/// standard/*.csdsl) and, for 50 intents, 31 more intents of 40 phrasings each made from
/// <see cref="TriggerCorpus"/>'s presale vocabulary, so the feature table has a large shop's size.
/// The automaton holds the same 2,000 phrasings as triggers. Same short job as the matching
/// benchmark (the machine is shared); compare Min and Median.
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 30, id: "Short")]
[IterationTime(10)]
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ClassificationBenchmarks
{
    private IntentClassifier _classifier = null!;
    private TriggerAutomaton _automaton = null!;
    private readonly List<TriggerHit> _hits = new(64);
    private string _message = null!;
    private string _short = null!;
    private int _shortBest;

    [Params(19, 50)]
    public int Intents { get; set; }

    /// <summary>Distinct features in the trained tables (printed by --describe-classifier).</summary>
    public int FeatureCount => _classifier.Tables.FeatureHashes.Length;

    [GlobalSetup]
    public void Setup()
    {
        var examples = Corpus(Intents);
        var intents = examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).ToList();
        _classifier = new IntentClassifier(ClassifierTrainer.Train(intents, examples));
        var builder = new TriggerAutomatonBuilder();
        var payload = 0;
        foreach (var phrase in examples.Select(e => TextNormalizer.Normalize(e.Text)).Distinct(StringComparer.Ordinal))
        {
            if (phrase.Length > 0)
            {
                builder.Add(phrase, payload++);
            }
        }

        _automaton = new TriggerAutomaton(builder.Build());
        _message = TriggerCorpus.Message;
        _short = TextNormalizer.Normalize("一般几天能到啊");
        _shortBest = _classifier.Classify(_short).Best;
    }

    /// <summary>The 40-character message of the matching benchmark, normalized.</summary>
    [Benchmark(Baseline = true)]
    public int Classify40Characters() => _classifier.Classify(_message).Best;

    /// <summary>A typical short question (7 characters).</summary>
    [Benchmark]
    public int ClassifyShortMessage() => _classifier.Classify(_short).Best;

    /// <summary>The same message when the caller names the intent that wins (the short-trigger rule's usual case): no softmax.</summary>
    [Benchmark]
    public int ClassifyUnlessAgreedShortMessage() => _classifier.ClassifyUnless(_short, _shortBest).Best;

    /// <summary>What a turn pays before the classifier too: normalizing the raw 40-character message.</summary>
    [Benchmark]
    public int NormalizeAndClassify40Characters() => _classifier.Classify(TextNormalizer.Normalize(TriggerCorpus.RawMessage)).Best;

    /// <summary>The trigger automaton with the same phrasings as triggers, on the same message.</summary>
    [Benchmark]
    public int TriggersFindAll40Characters()
    {
        _hits.Clear();
        _automaton.FindAll(_message, _hits);
        return _hits.Count;
    }

    /// <summary>40 examples of each of <paramref name="intents"/> intents, the same every run.</summary>
    public static List<TrainingExample> Corpus(int intents)
    {
        var examples = new List<TrainingExample>();
        var library = StandardLibrary();
        foreach (var group in library.GroupBy(e => e.Intent, StringComparer.Ordinal).Take(intents))
        {
            examples.AddRange(group.Take(40));
        }

        var synthetic = intents - examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Count();
        var phrases = TriggerCorpus.Phrases(synthetic * 40 + 10);
        string[] particles = ["吗", "呀", "呢", "啊", "", "哈", "嘛", "啦"];
        for (var i = 0; i < synthetic; i++)
        {
            for (var j = 0; j < 40; j++)
            {
                examples.Add(new TrainingExample("synthetic_" + i, phrases[10 + i * 40 + j] + particles[j % particles.Length]));
            }
        }

        return examples;
    }

    private static List<TrainingExample> StandardLibrary()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ScriptDsl.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        if (dir is null)
        {
            throw new InvalidOperationException("ScriptDsl.sln not found above " + AppContext.BaseDirectory);
        }

        // The library format's example lists, read just enough for a benchmark (the compiler has the parser).
        var result = new List<TrainingExample>();
        foreach (var name in new[] { "presale", "aftersale" })
        {
            var text = Regex.Replace(File.ReadAllText(Path.Combine(dir, "standard", name + ".csdsl")), "//[^\n]*", "");
            foreach (Match block in Regex.Matches(text, "intent\\s+(\\w+)\\s+label\\s+\"[^\"]*\"\\s+examples((?:\\s*\\|?\\s*\"[^\"]*\")+)"))
            {
                foreach (Match phrase in Regex.Matches(block.Groups[2].Value, "\"([^\"]*)\""))
                {
                    result.Add(new TrainingExample(block.Groups[1].Value, phrase.Groups[1].Value));
                }
            }
        }

        return result;
    }
}
