using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ScriptDsl.Generator.Binding;

namespace ScriptDsl.Generator.Tests.Infrastructure;

/// <summary>Runs the real generator over in-memory scripts, and compiles its output against the runtime.</summary>
public static class GeneratorHarness
{
    public static string RepoRoot { get; } = FindRoot();

    public static string ReadScript(string name) => File.ReadAllText(Path.Combine(RepoRoot, "scripts", name));

    /// <summary>The repository's standard library files (standard/*.csdsl), as the build passes them.</summary>
    public static InMemoryText[] StandardLibrary() =>
        Directory.GetFiles(Path.Combine(RepoRoot, "standard"), "*.csdsl")
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new InMemoryText("/repo/standard/" + Path.GetFileName(p), File.ReadAllText(p)))
            .ToArray();

    /// <summary>
    /// The files plus the standard library, unless the test passes library files of its own (a path
    /// under /standard/): like the build, which always hands the generator standard/**/*.csdsl.
    /// </summary>
    public static InMemoryText[] WithStandardLibrary(InMemoryText[] files) =>
        files.Any(f => f.Path.Replace('\\', '/').Contains("/standard/", StringComparison.Ordinal)) ? files : files.Concat(StandardLibrary()).ToArray();

    /// <summary>Compiles one script the whole way the generator does: bind, join its standard libraries, train, check the expectations.</summary>
    public static ShopOutput CompileWithLibraries(string text, string path = "scripts/test.csdsl", params InMemoryText[] libraries)
    {
        var compilation = Compile(text, path);
        var files = libraries.Length == 0 ? StandardLibrary() : libraries;
        var catalog = LibraryCompiler.Catalog(files.Select(f => LibraryCompiler.Compile(new ScriptFile(f.Path, f.Text))));
        return UnderstandingCompiler.Run(UnderstandingCompiler.Resolve(compilation, catalog.Libraries));
    }

    /// <summary>Compiles one script with the binder directly (no Roslyn driver).</summary>
    public static ShopCompilation Compile(string text, string path = "scripts/test.csdsl", int maxReplyLength = CompilerOptions.DefaultMaxReplyLength) =>
        ScriptBinder.Compile(new ScriptFile(path, text), new CompilerOptions(maxReplyLength));

    public static CSharpCompilation EmptyCompilation() =>
        CSharpCompilation.Create(
            "ScriptsUnderTest",
            Array.Empty<SyntaxTree>(),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));

    public static GeneratorDriver CreateDriver(params InMemoryText[] files) => CreateDriver(null, files);

    /// <summary>A driver with MSBuild properties as the build passes them (build_property.NAME).</summary>
    public static GeneratorDriver CreateDriver(IReadOnlyDictionary<string, string>? buildProperties, params InMemoryText[] files) =>
        CSharpGeneratorDriver.Create(
            new[] { new ScriptGenerator().AsSourceGenerator() },
            WithStandardLibrary(files),
            CSharpParseOptions.Default,
            buildProperties is null ? null : new BuildPropertiesProvider(buildProperties),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private sealed class BuildPropertiesProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value, StringComparer.Ordinal));

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>(StringComparer.Ordinal));

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }

    /// <summary>Runs the generator; returns the generated sources by hint name, the generator's diagnostics and the compiled output's diagnostics.</summary>
    public static GeneratorRun Run(params InMemoryText[] files)
    {
        var driver = CreateDriver(files).RunGeneratorsAndUpdateCompilation(EmptyCompilation(), out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        var sources = result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        var compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GeneratorRun(sources, generatorDiagnostics, compileDiagnostics, output);
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        // Everything the test host runs on, except the generator itself: it compiles its own copy of
        // the shared matching source, which would make those types ambiguous for generated code.
        var references = tpa
            .Where(p => !string.Equals(Path.GetFileName(p), "ScriptDsl.Generator.dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(ScriptDsl.Model.ShopDefinition).Assembly.Location));
        return references.ToImmutableArray();
    });

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ScriptDsl.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("ScriptDsl.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record GeneratorRun(
    IReadOnlyDictionary<string, string> Sources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompileDiagnostics,
    Compilation Output);

/// <summary>An additional file held in memory; <see cref="WithText"/> makes an edited copy.</summary>
public sealed class InMemoryText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text, Encoding.UTF8);
    }

    public override string Path { get; }

    public string Text => _text.ToString();

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;

    public InMemoryText WithText(string text) => new(Path, text);
}
