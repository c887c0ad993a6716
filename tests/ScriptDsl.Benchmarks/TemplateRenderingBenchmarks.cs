extern alias generator;

using System.Reflection;
using System.Runtime.Loader;
using BenchmarkDotNet.Attributes;
using HandlebarsDotNet;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using generator::ScriptDsl.Generator.Infrastructure;
using generator::ScriptDsl.Generator.Templates;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// One templated reply (the sketch's bargaining reply, money formatted twice and an int), rendered
/// by our build-time compiled template versus Handlebars.Net 2.4.3 compiled once up front.
/// Ours is compiled in setup exactly as the generator does it: TemplateCompiler → C# → Roslyn.
/// </summary>
[MemoryDiagnoser]
public class TemplateRenderingBenchmarks
{
    private const string OurTemplate =
        "帮亲看了一下, 全套一共是{{ total | money }}元包邮哦! 保底用{{ use_period.years }}年, 算下来您一天只要花{{ per_day | money }}元, 多值啊!";

    private const string HandlebarsTemplate =
        "帮亲看了一下, 全套一共是{{money total}}元包邮哦! 保底用{{use_period.years}}年, 算下来您一天只要花{{money per_day}}元, 多值啊!";

    private const string Expected = "帮亲看了一下, 全套一共是785元包邮哦! 保底用2年, 算下来您一天只要花1.08元, 多值啊!";

    private Template _ours = null!;
    private ScriptScope _scope = null!;
    private HandlebarsTemplate<object, object> _handlebars = null!;
    private object _handlebarsData = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ours = new Template(OurTemplate, CompileOurs());
        _scope = new ScriptScope
        {
            Shop = new ShopDefinition
            {
                Id = "lamp_shop", DisplayName = "明亮灯饰", Currency = "CNY", Honorific = "亲", Particles = [], SourceFile = "lamp_shop.csdsl",
                SourceHash = "", Facts = [], Slots = [], Concepts = [], Items = [], Intents = [], Stages = [], Triggers = [], SlotPhrases = [],
                Automaton = new ScriptDsl.Matching.TriggerAutomaton(new ScriptDsl.Matching.TriggerAutomatonBuilder().Build()),
                SlotPhraseAutomaton = new ScriptDsl.Matching.TriggerAutomaton(new ScriptDsl.Matching.TriggerAutomatonBuilder().Build()),
                CrossSells = [], Fallback = new ReplyDefinition([]), PolicyNames = [],
            },
            Slots = [],
            Policy = new PolicyValues { TotalMinor = 78500, PerDayMinor = 108, UsePeriodYears = 2 },
        };

        var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        handlebars.RegisterHelper("money", (output, context, arguments) => output.WriteSafeString(MoneyText.Format((long)arguments[0]!)));
        _handlebars = handlebars.Compile(HandlebarsTemplate);
        _handlebarsData = new Dictionary<string, object>
        {
            ["total"] = 78500L,
            ["per_day"] = 108L,
            ["use_period"] = new Dictionary<string, object> { ["years"] = 2 },
        };

        if (Ours() != Expected || Handlebars_() != Expected)
        {
            throw new InvalidOperationException("The two engines do not render the same reply: «" + Ours() + "» / «" + Handlebars_() + "»");
        }
    }

    [Benchmark(Baseline = true, Description = "ScriptDsl compiled template")]
    public string Ours() => _ours.Render(_scope);

    [Benchmark(Description = "Handlebars.Net 2.4.3 (precompiled)")]
    public string Handlebars_() => _handlebars(_handlebarsData);

    private static TemplateBody CompileOurs()
    {
        var compiled = TemplateCompiler.Compile(
            new TemplateSource(OurTemplate, "bench.csdsl", new generator::ScriptDsl.Generator.Diagnostics.SourcePosition(0, 1, 1)),
            new TemplateEnvironment(EquatableArray<FactSymbol>.Empty, EquatableArray<SlotSymbol>.Empty, TemplateContextKind.Policy));
        if (compiled.Diagnostics.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", compiled.Diagnostics.Select(d => d.FormatMessage())));
        }

        var source = "#nullable enable\nnamespace Bench { public static class T { public static void Render(ref global::ScriptDsl.Templates.TemplateWriter w, global::ScriptDsl.Templates.ScriptScope s) {\n"
                     + string.Join("\n", compiled.BodyLines) + "\n} } }";
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.EndsWith("ScriptDsl.dll", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(ScriptScope).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "BenchTemplates",
            [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        }

        stream.Position = 0;
        var assembly = AssemblyLoadContext.Default.LoadFromStream(stream);
        return assembly.GetType("Bench.T")!.GetMethod("Render", BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<TemplateBody>();
    }
}
