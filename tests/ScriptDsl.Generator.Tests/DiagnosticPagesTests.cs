using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>
/// Every diagnostic page (docs/diagnostics/SDSLxxxx.md) tells the truth: its Wrong example, run
/// through the real generator, reports that ID (a lint: as a warning), and its Right example builds
/// clean (no diagnostic at all: the build treats warnings as errors). The examples are read the way
/// docs/diagnostics/README.md says; <see cref="Files"/> is that rule in code.
/// </summary>
public class DiagnosticPagesTests
{
    /// <summary>IDs no script can produce, each with the reason. Every other ID's page is compiled.</summary>
    private static readonly Dictionary<string, string> Exempt = new(StringComparer.Ordinal)
    {
        ["SDSL0099"] = "the compiler's own failure (an exception caught at the pipeline's edge): a script that produces it is a compiler bug, fixed when found",
        ["SDSL0299"] = "the template compiler's own failure, like SDSL0099: no template is meant to produce it",
    };

    /// <summary>
    /// IDs a script shows as another ID, with the reason; the page says so, and its Wrong example must
    /// report that other ID (and its Right example build clean, like every page).
    /// </summary>
    private static readonly Dictionary<string, (string Id, string Reason)> ReportedAs = new(StringComparer.Ordinal)
    {
        ["SDSL0217"] = ("SDSL0003", "the .csdsl reader checks every string's escapes before the template compiler sees it; the template compiler keeps the check for text that reaches it another way"),
        // Retired when one condition binder took over rules, gift when and {{ if }}: the page stays (IDs are never reused) and says which ID replaced it.
        ["SDSL0201"] = ("SDSL0103", "retired: an unknown name is SDSL0103 wherever it is written"),
        ["SDSL0209"] = ("SDSL0113", "retired: values that do not compare are SDSL0113 wherever they are written"),
        ["SDSL0212"] = ("SDSL0112", "retired: a text that is none of a choice slot's choices is SDSL0112 wherever it is written"),
    };

    public static TheoryData<string> PageIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in DiagnosticDescriptors.All.Select(d => d.Id).Where(id => !Exempt.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Fact]
    public void EveryExemptionIsACatalogIdWithAPage()
    {
        foreach (var id in Exempt.Keys.Concat(ReportedAs.Keys).Concat(ReportedAs.Values.Select(v => v.Id)).Concat(AlsoReported.Keys))
        {
            Assert.Contains(DiagnosticDescriptors.All, d => d.Id == id);
            Assert.True(File.Exists(PagePath(id)), id);
        }
    }

    /// <summary>
    /// Other IDs a page's Wrong example reports besides its own, each with the reason it cannot be
    /// shown alone. Every other Wrong example reports its ID and nothing else, so a page never shows
    /// a mistake that hides a second one.
    /// </summary>
    private static readonly Dictionary<string, (string[] Ids, string Reason)> AlsoReported = new(StringComparer.Ordinal)
    {
        ["SDSL0111"] = (new[] { "SDSL0308" }, "the policy the misspelt name meant is then used by no rule, which SDSL0308 warns about"),
        ["SDSL0116"] = (new[] { "SDSL1005" }, "an intent with neither a reply nor an ask that goes on to a recommend block has also asked no question before it (SDSL1005)"),
    };

    [Theory]
    [MemberData(nameof(PageIds))]
    public void TheWrongExampleReportsTheIdAndTheRightOneBuildsClean(string pageId)
    {
        var page = File.ReadAllText(PagePath(pageId));
        var id = ReportedAs.TryGetValue(pageId, out var shownAs) ? shownAs.Id : pageId;
        var descriptor = DiagnosticDescriptors.Get(id);
        var also = AlsoReported.TryGetValue(pageId, out var extra) ? extra.Ids : Array.Empty<string>();

        foreach (var example in Examples(page, "## Wrong"))
        {
            var wrong = Run(example, out _);
            var reported = wrong.Where(d => d.Id == id).ToArray();
            Assert.True(reported.Length > 0, pageId + ": the Wrong example does not report " + id + ", it reports " + Describe(wrong));
            // A lint (SDSL1001-1099) is a warning, an error an error: the severity the page states.
            Assert.All(reported, d => Assert.Equal(descriptor.DefaultSeverity, d.Severity));
            var others = wrong.Where(d => d.Id != id && !also.Contains(d.Id)).ToArray();
            Assert.True(others.Length == 0, pageId + ": the Wrong example also reports " + Describe(others));
            Assert.All(also, a => Assert.Contains(wrong, d => d.Id == a));
        }

        foreach (var example in Examples(page, "## Right"))
        {
            var right = Run(example, out var output);
            Assert.True(right.Length == 0, pageId + ": the Right example reports " + Describe(right));
            // And the shop it generates compiles against the runtime, as in the build.
            var csharp = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(csharp.Length == 0, pageId + ": the Right example's generated C# has errors: " + Describe(csharp));
        }
    }

    /// <summary>The reading rule of docs/diagnostics/README.md itself: a fragment of shop members with a policy after them, a fragment with its own fallback, two files.</summary>
    [Fact]
    public void TheReadingRuleWrapsFragmentsAndSplitsFiles()
    {
        var members = Files("quick q on \"包邮\" reply \"包邮哦\"\npolicy bargain for lamp_shop { max_rounds 5 }\n");
        var (path, text) = Assert.Single(members);
        Assert.Equal("scripts/lamp_shop.csdsl", path);
        Assert.StartsWith(Skeleton, text, StringComparison.Ordinal);
        Assert.Contains("\n  quick q on \"包邮\" reply \"包邮哦\"\n  fallback reply", text, StringComparison.Ordinal);
        Assert.EndsWith("}\npolicy bargain for lamp_shop { max_rounds 5 }\n", text, StringComparison.Ordinal);

        var own = Files("// sdsl:allow SDSL1004\nquick q on \"包邮\" reply \"包邮\"\nfallback reply \"稍等\"\n");
        Assert.DoesNotContain("亲, 稍等一下哈~", Assert.Single(own).Text, StringComparison.Ordinal);

        var two = Files("// scripts/a.csdsl\nshop a \"A\" { fallback reply \"稍等哦\" }\n\n// standard/b.csdsl\nlibrary b \"B\" { intent x examples \"在吗\" }\n");
        Assert.Equal(new[] { "scripts/a.csdsl", "standard/b.csdsl" }, two.Select(f => f.Path));
        Assert.StartsWith("// scripts/a.csdsl\nshop a", two[0].Text, StringComparison.Ordinal);
        Assert.StartsWith("// standard/b.csdsl\nlibrary b", two[1].Text, StringComparison.Ordinal);
    }

    private static string PagePath(string id) => Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics", id + ".md");

    /// <summary>The csdsl blocks under the section's heading, before the next heading (at least one).</summary>
    private static string[] Examples(string page, string heading)
    {
        var at = page.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(at >= 0, "no " + heading);
        var next = page.IndexOf("\n## ", at + heading.Length + 1, StringComparison.Ordinal);
        var section = next < 0 ? page[at..] : page[at..next];
        var blocks = Regex.Matches(section, "```csdsl\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();
        Assert.True(blocks.Length > 0, "no csdsl block under " + heading);
        return blocks;
    }

    /// <summary>The opening of the shop a fragment of shop members is placed in (docs/diagnostics/README.md).</summary>
    private const string Skeleton = "shop lamp_shop \"明亮灯饰\" {\n";

    private static readonly Regex FileMarker = new(@"^// ((?:scripts|standard)/[A-Za-z0-9_.-]+\.csdsl)\s*$", RegexOptions.Multiline);

    private static readonly Regex WholeFile = new(@"^(?:shop|policy|library)\b");

    /// <summary>
    /// An example as the files the build hands the generator (docs/diagnostics/README.md, "How the
    /// examples are read"): a line <c>// scripts/NAME.csdsl</c> or <c>// standard/NAME.csdsl</c> starts
    /// a file of that path (before any: scripts/lamp_shop.csdsl). A file whose first statement is
    /// <c>shop</c>, <c>policy</c> or <c>library</c> is compiled as written. Any other is a fragment of shop
    /// members: they go inside <c>shop lamp_shop "明亮灯饰" { ... }</c>, followed by
    /// <c>fallback reply "亲, 稍等一下哈~"</c> unless they have a fallback of their own; lines from the
    /// first one starting with <c>policy</c> go after the shop's closing brace.
    /// </summary>
    private static (string Path, string Text)[] Files(string example)
    {
        var markers = FileMarker.Matches(example);
        var parts = new List<(string Path, string Text)>();
        if (markers.Count == 0 || example[..markers[0].Index].Trim().Length > 0)
        {
            parts.Add(("scripts/lamp_shop.csdsl", markers.Count == 0 ? example : example[..markers[0].Index]));
        }

        for (var i = 0; i < markers.Count; i++)
        {
            var end = i + 1 < markers.Count ? markers[i + 1].Index : example.Length;
            parts.Add((markers[i].Groups[1].Value, example[markers[i].Index..end]));
        }

        return parts.Select(p => (p.Path, Wrap(p.Text))).ToArray();
    }

    private static string Wrap(string text)
    {
        var code = string.Join("\n", text.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal) && l.Trim().Length > 0));
        if (WholeFile.IsMatch(code))
        {
            return text;
        }

        var lines = text.TrimEnd('\n').Split('\n');
        var policy = Array.FindIndex(lines, l => l.StartsWith("policy ", StringComparison.Ordinal));
        var members = policy < 0 ? lines : lines[..policy];
        var after = policy < 0 ? string.Empty : string.Join("\n", lines[policy..]) + "\n";
        var fallback = members.Any(l => l.TrimStart().StartsWith("fallback", StringComparison.Ordinal)) ? string.Empty : "  fallback reply \"亲, 稍等一下哈~\"\n";
        return Skeleton + string.Join("\n", members.Select(l => l.Length == 0 ? l : "  " + l)) + "\n" + fallback + "}\n" + after;
    }

    /// <summary>The generator's diagnostics for the example's files, run the way the build runs it (with the standard library unless the example brings its own).</summary>
    private static Diagnostic[] Run(string example, out Compilation output)
    {
        var files = Files(example).Select(f => new InMemoryText("/repo/" + f.Path, f.Text)).ToArray();
        // Default severities (the test compilation would raise warnings to errors), so a lint shows as the warning it is.
        var compilation = GeneratorHarness.EmptyCompilation();
        compilation = compilation.WithOptions(compilation.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Default));
        GeneratorHarness.CreateDriver(files).RunGeneratorsAndUpdateCompilation(compilation, out output, out var diagnostics);
        return diagnostics.ToArray();
    }

    private static string Describe(Diagnostic[] diagnostics) =>
        diagnostics.Length == 0 ? "nothing" : string.Join(" | ", diagnostics.Select(d => d.Id + " " + d.Severity + " " + d.Location.GetLineSpan().Path + "(" + (d.Location.GetLineSpan().StartLinePosition.Line + 1) + "," + (d.Location.GetLineSpan().StartLinePosition.Character + 1) + ") " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
}
