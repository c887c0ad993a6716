using System.Text.RegularExpressions;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>The policies shown to owners and authors compile as shown: docs cannot drift from the language.</summary>
public class PolicyDocsExamplesTests
{
    private static IEnumerable<string> Blocks(string doc) =>
        Regex.Matches(System.IO.File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, doc)), "```(?:csdsl)?\\n(.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value);

    public static TheoryData<string, string> PolicyBlocks()
    {
        var data = new TheoryData<string, string>();
        foreach (var doc in new[] { "docs/policies.md", "docs/design/policy-spec.md", "docs/language.md" })
        {
            foreach (var block in Blocks(doc).Where(b => Regex.IsMatch(b, @"^policy \w+ for \w+ \{")))
            {
                data.Add(doc, block);
            }
        }

        return data;
    }

    /// <summary>Each policy block replaces the policy of its shop's real script; the result compiles without a diagnostic.</summary>
    [Theory]
    [MemberData(nameof(PolicyBlocks))]
    public void EveryPolicyInTheDocsCompilesWithItsShop(string doc, string block)
    {
        var header = Regex.Match(block, @"^policy (\w+) for (\w+)");
        var script = GeneratorHarness.ReadScript(header.Groups[2].Value + ".csdsl");
        var at = script.IndexOf("policy " + header.Groups[1].Value + " for ", StringComparison.Ordinal);
        Assert.True(at > 0, doc + ": the script has no policy " + header.Groups[1].Value);
        var result = GeneratorHarness.Compile(script[..at] + block, "scripts/" + header.Groups[2].Value + ".csdsl");
        Assert.True(result.Diagnostics.Count == 0, doc + ": " + string.Join(" | ", result.Diagnostics.Select(d => d.Id + "(" + d.Start.Line + ") " + d.FormatMessage())));
    }

    // The README's tour (shop and policy) is compiled by DocsTests.
}
