using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>Every diagnostic ID has its page (title, meaning, wrong and right example, fix) and links to it.</summary>
public class DocsTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryIdHasAPageWithWrongAndRightExamples(string id)
    {
        var descriptor = DiagnosticDescriptors.Get(id);
        Assert.Equal("docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri);
        var path = Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(path), "Missing " + path);
        var page = File.ReadAllText(path);
        Assert.StartsWith("# " + id + ": ", page, StringComparison.Ordinal);
        foreach (var section in new[] { "## Wrong", "## Right" })
        {
            Assert.Contains(section, page, StringComparison.Ordinal);
        }

        Assert.True(page.Contains("## How to fix", StringComparison.Ordinal) || page.Contains("## Fix", StringComparison.Ordinal), id + " has no fix section");
    }

    /// <summary>Policy checks that flag a policy which still works, only worse than meant (docs/design/policy-spec.md); silenced with // sdsl:allow like the lints.</summary>
    private static readonly HashSet<string> PolicyWarnings = new(StringComparer.Ordinal) { "SDSL0302", "SDSL0303", "SDSL0304", "SDSL0308", "SDSL0314", "SDSL0317", "SDSL0318" };

    [Fact]
    public void TheReadmeTourCompilesWithoutDiagnostics()
    {
        var readme = File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "README.md"));
        var start = readme.IndexOf("```csdsl\n", StringComparison.Ordinal) + "```csdsl\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        var result = GeneratorHarness.Compile(readme[start..end], "scripts/readme.csdsl");
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.Start + " " + d.FormatMessage())));
    }

    [Fact]
    public void LanguageDiagnosticIdsAreInTheirRanges()
    {
        foreach (var d in DiagnosticDescriptors.All)
        {
            var n = int.Parse(d.Id.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
            var warning = d.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning;
            Assert.True(warning == (n is >= 1001 and <= 1099 || PolicyWarnings.Contains(d.Id)), d.Id + ": lints (1001-1099) and the policy checks of a policy that still works are warnings, and only they");
        }
    }
}
