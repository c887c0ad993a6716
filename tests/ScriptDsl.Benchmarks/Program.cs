using BenchmarkDotNet.Running;
using ScriptDsl.Benchmarks;
using ScriptDsl.Matching;
using ScriptDsl.Text;

if (args.Length == 1 && args[0] == "--describe-corpus")
{
    // What the matching benchmark works on, for docs/benchmarks.md.
    Console.WriteLine($"message ({TriggerCorpus.Message.Length} chars): {TriggerCorpus.Message}");
    foreach (int count in new[] { 10, 1_000, 10_000 })
    {
        var builder = new TriggerAutomatonBuilder();
        foreach (string phrase in TriggerCorpus.Phrases(count))
        {
            builder.Add(TextNormalizer.Normalize(phrase), 0);
        }

        TriggerAutomatonData data = builder.Build();
        var automaton = new TriggerAutomaton(data);
        int hits = automaton.FindAll(TriggerCorpus.Message).Count;
        Console.WriteLine($"{count} triggers: {data.StateCount} states, {data.EdgeClasses.Length} edges, "
            + $"{automaton.ResolvedTransitionCount} resolved transitions, {data.Alphabet.Length} distinct characters, {hits} hits in the message");
    }

    return;
}

if (args.Length == 1 && args[0] == "--describe-classifier")
{
    // What the classification benchmark works on, for docs/benchmarks.md.
    foreach (int intents in new[] { 19, 50 })
    {
        var benchmark = new ClassificationBenchmarks { Intents = intents };
        benchmark.Setup();
        Console.WriteLine($"{intents} intents: {ClassificationBenchmarks.Corpus(intents).Count} examples, {benchmark.FeatureCount} distinct features");
    }

    return;
}

if (args.Length == 1 && args[0] == "--describe-state")
{
    // The state the serialization benchmark stores, and its size in each form, for docs/benchmarks.md.
    var benchmark = new StateSerializationBenchmarks();
    benchmark.Setup();
    Console.WriteLine(benchmark.Describe());
    return;
}

if (args.Length is 1 or 2 && args[0] == "--generator")
{
    // Generator time, cold and after editing one script (docs/benchmarks.md, "Generator time").
    GeneratorTiming.Run(args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

if (args.Length == 1 && args[0] == "--quick")
{
    // A rough check while tuning on a busy machine: the sizes take turns in rounds short enough
    // (~0.2 ms) to often run unpreempted, and the best round wins.
    // BenchmarkDotNet is the record.
    int[] counts = [10, 1_000, 10_000];
    var automata = new List<TriggerAutomaton>();
    foreach (int count in counts)
    {
        var builder = new TriggerAutomatonBuilder();
        foreach (string phrase in TriggerCorpus.Phrases(count))
        {
            builder.Add(TextNormalizer.Normalize(phrase), 0);
        }

        automata.Add(new TriggerAutomaton(builder.Build()));
    }

    var best = new double[counts.Length];
    Array.Fill(best, double.MaxValue);
    var hits = new List<TriggerHit>();
    for (int round = 0; round < 3000; round++)
    {
        for (int a = 0; a < automata.Count; a++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int k = 0; k < 2_000; k++)
            {
                hits.Clear();
                automata[a].FindAll(TriggerCorpus.Message, hits);
            }

            best[a] = Math.Min(best[a], watch.Elapsed.TotalMilliseconds * 1_000_000 / 2_000);
        }
    }

    for (int a = 0; a < counts.Length; a++)
    {
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{counts[a]} triggers: {best[a]:F1} ns per message, {best[a] / best[0]:F2}x the 10-trigger time"));
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
