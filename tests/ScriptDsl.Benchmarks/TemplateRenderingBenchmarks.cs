extern alias generator;

using System.Reflection;
using System.Runtime.Loader;
using BenchmarkDotNet.Attributes;
using HandlebarsDotNet;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using generator::ScriptDsl.Generator.Infrastructure;
using generator::ScriptDsl.Generator.Templates;
using Scriban.Runtime;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// One templated reply (the sketch's bargaining reply, money formatted twice and an int), rendered
/// by our build-time compiled template versus Handlebars.Net 2.4.3 compiled once up front, and versus
/// Scriban's own Render of the very same template text (parsed once up front; money as yuan and the
/// reply's money function registered, as the differential test gives them to Scriban).
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
    private Scriban.Template _scriban = null!;
    private Scriban.Runtime.ScriptObject _scribanGlobals = null!;

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

        _scriban = Scriban.Template.Parse(OurTemplate);
        _scribanGlobals = new Scriban.Runtime.ScriptObject
        {
            ["total"] = 785.00m,
            ["per_day"] = 1.08m,
            ["use_period"] = new Scriban.Runtime.ScriptObject { ["years"] = 2 },
        };
        _scribanGlobals.Import("money", new Func<decimal, string>(yuan => MoneyText.Format((long)(yuan * 100m))));

        if (Ours() != Expected || Handlebars_() != Expected || Scriban_() != Expected)
        {
            throw new InvalidOperationException("The engines do not render the same reply: «" + Ours() + "» / «" + Handlebars_() + "» / «" + Scriban_() + "»");
        }
    }

    [Benchmark(Baseline = true, Description = "ScriptDsl compiled template")]
    public string Ours() => _ours.Render(_scope);

    [Benchmark(Description = "Handlebars.Net 2.4.3 (precompiled)")]
    public string Handlebars_() => _handlebars(_handlebarsData);

    /// <summary>Scriban's Render needs a context per render (it holds the output and the scopes).</summary>
    [Benchmark(Description = "Scriban 7.5.3 Template.Render (parsed once)")]
    public string Scriban_()
    {
        var context = new Scriban.TemplateContext();
        context.PushGlobal(_scribanGlobals);
        return _scriban.Render(context);
    }

    /// <summary>The floor of any renderer: allocating the 48-character result and copying it in.</summary>
    [Benchmark(Description = "floor: a new 48-char string")]
    public string Floor() => new string(Expected.AsSpan());

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
            "BenchTemplates_" + Guid.NewGuid().ToString("N"),
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
