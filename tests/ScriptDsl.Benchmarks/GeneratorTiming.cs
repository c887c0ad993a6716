extern alias generator;

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using generator::ScriptDsl.Generator;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// Generator time (issues 9 and 11), a Stopwatch loop rather than BenchmarkDotNet: one run takes
/// from a tenth of a second to seconds, and BenchmarkDotNet's out-of-process build times out on this
/// shared machine. Runs the real generator through Roslyn's <see cref="CSharpGeneratorDriver"/> over
/// in-memory scripts plus the standard library, as the generator tests' harness does: cold (a new
/// driver, nothing cached), and after editing one script (the same driver, one file replaced, so
/// the incremental pipeline re-binds, re-trains and re-emits only that file). Three sets take turns
/// round after round: lamp_shop alone, the two example shops, and 100 generated shops (copies of
/// apparel_shop with their own ids and one reply of their own each).
/// Usage: dotnet run -c Release --project tests/ScriptDsl.Benchmarks -- --generator [rounds]
/// </summary>
internal static class GeneratorTiming
{
    public static void Run(int rounds)
    {
        string root = FindRoot();
        string lamp = File.ReadAllText(Path.Combine(root, "scripts", "lamp_shop.csdsl"));
        string apparel = File.ReadAllText(Path.Combine(root, "scripts", "apparel_shop.csdsl"));
        var standard = Directory.GetFiles(Path.Combine(root, "standard"), "*.csdsl")
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new Text("/repo/standard/" + Path.GetFileName(p), File.ReadAllText(p)))
            .ToArray();

        var sets = new List<(string Name, Text[] Scripts)>
        {
            ("lamp_shop", [new Text("/repo/scripts/lamp_shop.csdsl", lamp)]),
            ("lamp_shop + apparel_shop", [new Text("/repo/scripts/lamp_shop.csdsl", lamp), new Text("/repo/scripts/apparel_shop.csdsl", apparel)]),
            ("100 generated shops", Enumerable.Range(0, 100).Select(i => new Text(
                string.Create(CultureInfo.InvariantCulture, $"/repo/scripts/shop_{i:D3}.csdsl"),
                GeneratedShop(apparel, i))).ToArray()),
        };

        var compilation = CSharpCompilation.Create("GeneratorTiming");
        Console.WriteLine($"{Environment.ProcessorCount} cores; load average before: {LoadAverage()}; {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");

        // Once per set with step tracking: the edit must re-train and re-emit exactly one shop.
        var first = new double[sets.Count];
        for (int s = 0; s < sets.Count; s++)
        {
            var files = sets[s].Scripts.Concat(standard).ToArray();
            var watch = Stopwatch.StartNew();
            GeneratorDriver driver = Driver(files, track: true).RunGenerators(compilation);
            first[s] = watch.Elapsed.TotalMilliseconds;
            var cold = driver.GetRunResult();
            int errors = cold.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            int sources = cold.Results.Sum(r => r.GeneratedSources.Length);
            foreach (var diagnostic in cold.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3))
            {
                Console.WriteLine("  " + diagnostic);
            }

            var edited = Edit(sets[s].Scripts[0], 0);
            driver = driver.ReplaceAdditionalText(sets[s].Scripts[0], edited).RunGenerators(compilation);
            var result = driver.GetRunResult().Results.Single();
            int trained = result.TrackedSteps[ScriptGenerator.TrackingNames.Training].SelectMany(x => x.Outputs).Count(o => o.Reason == IncrementalStepRunReason.Modified);
            int reemitted = result.TrackedOutputSteps.SelectMany(x => x.Value).SelectMany(x => x.Outputs).Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sets[s].Name}: {sets[s].Scripts.Length} scripts ({sets[s].Scripts.Sum(t => t.Lines)} lines) + {standard.Length} library files; {sources} generated sources, {errors} errors; "
                + $"first run in the process {first[s]:F0} ms; after the edit: {trained} shop(s) re-trained, {reemitted} output(s) re-emitted"));
        }

        var coldTimes = sets.Select(_ => new List<double>()).ToArray();
        var editTimes = sets.Select(_ => new List<double>()).ToArray();
        for (int round = 1; round <= rounds; round++)
        {
            for (int s = 0; s < sets.Count; s++)
            {
                var files = sets[s].Scripts.Concat(standard).ToArray();
                var watch = Stopwatch.StartNew();
                GeneratorDriver driver = Driver(files, track: false).RunGenerators(compilation);
                coldTimes[s].Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                driver.ReplaceAdditionalText(sets[s].Scripts[0], Edit(sets[s].Scripts[0], round)).RunGenerators(compilation);
                editTimes[s].Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        Console.WriteLine($"load average after: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine($"| set | cold median ms | cold min ms | edit one script median ms | edit min ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        for (int s = 0; s < sets.Count; s++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {sets[s].Name} | {Median(coldTimes[s]):F0} | {coldTimes[s].Min():F0} | {Median(editTimes[s]):F0} | {editTimes[s].Min():F0} |"));
        }

        Console.WriteLine();
        for (int s = 0; s < sets.Count; s++)
        {
            Console.WriteLine($"{sets[s].Name}, all rounds, cold: {string.Join(' ', coldTimes[s].Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}; edit: {string.Join(' ', editTimes[s].Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}");
        }
    }

    /// <summary>apparel_shop with its own id and name, and its first reply made its own.</summary>
    private static string GeneratedShop(string apparel, int index)
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"shop_{index:D3}");
        string text = apparel.Replace("shop apparel_shop \"小青衣橱\"", $"shop {id} \"小店{index.ToString(CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal)
            .Replace("apparel_shop", id, StringComparison.Ordinal);
        return ReplaceFirst(text, "reply \"", $"reply \"{id} ");
    }

    private static Text Edit(Text script, int round) =>
        new(script.Path, ReplaceFirst(script.Content, "reply \"", string.Create(CultureInfo.InvariantCulture, $"reply \"第{round}版 ")));

    private static string ReplaceFirst(string text, string what, string with)
    {
        int at = text.IndexOf(what, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException("no '" + what + "' in the script");
        }

        return string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + what.Length));
    }

    private static GeneratorDriver Driver(Text[] files, bool track) =>
        CSharpGeneratorDriver.Create(
            [new ScriptGenerator().AsSourceGenerator()],
            files,
            CSharpParseOptions.Default,
            null,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ScriptDsl.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("ScriptDsl.sln not found above " + AppContext.BaseDirectory);
    }

    private sealed class Text(string path, string content) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(content, Encoding.UTF8);

        public override string Path { get; } = path;

        public string Content { get; } = content;

        public int Lines => Content.Split('\n').Length;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
