using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>Every understanding diagnostic ID (SDSL0129-0139, SDSL1006-1008): ID, file, line and column.</summary>
public class UnderstandingDiagnosticTests
{
    private const string File = "scripts/case.csdsl";

    private const string LibraryFile = "/repo/standard/case.csdsl";

    private static string Shop(string body) =>
        "shop t \"T\" {\n  use standard basics\n  stage greet {\n    on start | \"你好\"\n      reply \"您好呢\"\n  }\n" + body + "\n  fallback reply \"稍等哦\"\n}\n";

    private const string Weight = "  slot weight: number unit \"kg\" | \"公斤\"\n    ask open \"体重多少呢?\"\n";

    /// <summary>(id, where: "shop" compiled with the test library, or "library" compiled as a library file, marked text).</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        { "SDSL0129", "shop", Shop("  use standard ‸basic") },
        { "SDSL0130", "shop", Shop("  quick q on \"包邮\" like ‸shiping reply \"好的\"") },
        { "SDSL0131", "shop", Shop("  understanding { threshold ‸1.5 margin 0.1 }") },
        { "SDSL0131", "shop", Shop("  understanding { threshold 0.5 margin ‸1 }") },
        { "SDSL0132", "shop", Shop(Weight + "  unit \"斤\" = 0.5 ‸kilo") },
        { "SDSL0133", "shop", Shop("  quick shipping on \"包邮\" reply \"好的\"\n  expect \"几天到\" -> ‸shiping") },
        { "SDSL0134", "shop", Shop("  quick ‸shipping reply \"好的\"") },
        { "SDSL0135", "shop", Shop("  quick shipping on \"包邮\" examples \"几天到\" | ‸\"?\" reply \"好的\"") },
        { "SDSL0135", "shop", Shop("  quick shipping on \"包邮\" reply \"好的\"\n  expect ‸\"\" -> shipping") },
        { "SDSL0136", "library", "library a \"A\" { intent x examples \"x\" }\nlibrary ‸a \"B\" { intent y examples \"y\" }\n" },
        { "SDSL0137", "library", "library a \"A\" {\n  intent x examples \"x\"\n  intent ‸x examples \"y\"\n}\n" },
        { "SDSL0138", "library", "shop t \"T\" {\n  fallback reply \"稍等哦\"\n}\nlibrary ‸a \"A\" { intent x examples \"x\" }\n" },
        { "SDSL0139", "shop", Shop("  quick shipping on \"包邮\" label \"发货\" ‸label \"快递\" reply \"好的\"") },
        { "SDSL0139", "shop", Shop("  use standard ‸basics") },
        { "SDSL1006", "shop", Shop("  quick shipping on \"包邮\" reply \"好的\"\n  expect ‸\"包邮吗\" -> greet") },
        { "SDSL1007", "shop", Shop("  quick shipping on \"包邮\" examples \"几天到\" reply \"好的\"\n  quick returns on \"退货\" examples ‸\"几天到?\" reply \"好的\"") },
        { "SDSL1008", "shop", Shop("  quick shipping on \"包邮\" reply \"好的\"\n  quick returns on \"退货\" examples ‸\"包邮吗 不行就退\" reply \"好的\"") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsIdFileLineAndColumn(string id, string where, string marked)
    {
        var script = Marked.Parse(marked);
        var path = where == "library" ? LibraryFile : File;
        var diagnostics = where == "library"
            ? LibraryCompiler.Compile(new ScriptFile(path, script.Text)).Diagnostics.ToList()
            : Compile(script.Text);
        var found = diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(found.Count > 0, "Expected " + id + "; got: " + Describe(diagnostics));
        Assert.Contains(found, d => d.FilePath == path && d.Start.Line == script.Line && d.Start.Column == script.Column);
        Assert.All(found, d => Assert.DoesNotContain("{", d.FormatMessage().Replace("{{", "", StringComparison.Ordinal), StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownLibrariesAndStandardIntentsSuggestTheClosestName()
    {
        var library = Assert.Single(Compile(Shop("  use standard basic")), d => d.Id == "SDSL0129");
        Assert.Contains("did you mean 'basics'?", library.FormatMessage(), StringComparison.Ordinal);
        var like = Assert.Single(Compile(Shop("  quick q on \"包邮\" like shiping reply \"好的\"")), d => d.Id == "SDSL0130");
        Assert.Contains("did you mean 'shipping'?", like.FormatMessage(), StringComparison.Ordinal);
        var unit = Assert.Single(Compile(Shop(Weight + "  unit \"斤\" = 0.5 kgs")), d => d.Id == "SDSL0132");
        Assert.Contains("did you mean", unit.FormatMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameLibraryNameInTwoFilesIsReportedOnTheSecondFile()
    {
        var first = new InMemoryText("/repo/standard/a.csdsl", "library dup \"A\" { intent x examples \"x\" }\n");
        var second = new InMemoryText("/repo/standard/b.csdsl", "// b\nlibrary dup \"B\" { intent y examples \"y\" }\n");
        var run = GeneratorHarness.Run(first, second);
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "SDSL0136");
        var span = d.Location.GetLineSpan();
        Assert.Equal(("/repo/standard/b.csdsl", 1, 8), (span.Path, span.StartLinePosition.Line, span.StartLinePosition.Character));
    }

    [Fact]
    public void LintsAreSilencedWithAnAllowComment()
    {
        var text = Shop("  quick shipping on \"包邮\" examples \"几天到\" reply \"好的\"\n  quick returns on \"退货\" examples \"几天到?\" reply \"好的\" // sdsl:allow SDSL1007");
        Assert.DoesNotContain(Compile(text), d => d.Id == "SDSL1007");
    }

    internal static IReadOnlyList<DiagnosticInfo> Compile(string text)
    {
        var output = GeneratorHarness.CompileWithLibraries(text, File, UnderstandingTests.TestLibrary);
        return output.Compilation.Diagnostics.Concat(output.Diagnostics).ToList();
    }

    private static string Describe(IEnumerable<DiagnosticInfo> diagnostics) =>
        string.Join(" | ", diagnostics.Select(d => d.Id + "(" + d.Start.Line + "," + d.Start.Column + ") " + d.FormatMessage()));
}
