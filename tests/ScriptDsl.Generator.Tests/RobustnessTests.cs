using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>Bad input never crashes the compiler: every cut of the example scripts and random noise give diagnostics only.</summary>
public class RobustnessTests
{
    public static TheoryData<string> Scripts => new() { "lamp_shop.csdsl", "apparel_shop.csdsl" };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void EveryLinePrefixGivesDiagnosticsNotExceptions(string name)
    {
        var text = GeneratorHarness.ReadScript(name);
        var cuts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                cuts.Add(i + 1);
            }
        }

        foreach (var cut in cuts)
        {
            AssertOnlyDiagnostics(text[..cut], complete: cut == text.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void SampledCharacterPrefixesGiveDiagnosticsNotExceptions(string name)
    {
        var text = GeneratorHarness.ReadScript(name);
        var random = new Random(20261122);
        for (var n = 0; n < 300; n++)
        {
            var cut = random.Next(text.Length);
            AssertOnlyDiagnostics(text[..cut], complete: false);
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void DeletedAndDuplicatedLinesGiveDiagnosticsNotExceptions(string name)
    {
        var lines = GeneratorHarness.ReadScript(name).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            AssertOnlyDiagnostics(string.Join('\n', lines.Where((_, j) => j != i)), complete: false);
            AssertOnlyDiagnostics(string.Join('\n', lines.Take(i + 1).Concat(lines.Skip(i))), complete: false);
        }
    }

    [Fact]
    public void RandomNoiseGivesDiagnosticsNotExceptions()
    {
        var random = new Random(42);
        var alphabet = "shop stage on reply ask if else -> == != <= ( ) { } | , . : = \" \\ // 0123456789 % 卧室 亲 {{ }} \n\t\r"
            .ToCharArray();
        for (var n = 0; n < 300; n++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            AssertOnlyDiagnostics(System.Text.Encoding.UTF8.GetString(bytes), complete: false);
            var chars = new char[random.Next(1, 400)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            AssertOnlyDiagnostics(new string(chars), complete: false);
            AssertOnlyDiagnostics("shop x \"X\" {\n" + new string(chars) + "\n  fallback reply \"好的\"\n}", complete: false);
        }
    }

    [Theory]
    [InlineData("(", 100_000)]
    [InlineData("not ", 100_000)]
    public void DeeplyNestedConditionsAreAnErrorNotAStackOverflow(string opener, int depth)
    {
        var text = "shop t \"T\" {\n  recommend {\n    if " + string.Concat(Enumerable.Repeat(opener, depth)) + "a == 1 -> x\n    reply \"好\"\n  }\n}\n";
        var result = GeneratorHarness.Compile(text, "scripts/deep.csdsl");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("SDSL0001", 3), (d.Id, d.Start.Line));
        Assert.Contains("at most 64 nested", d.FormatMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" and ")]
    [InlineData(" or ")]
    public void VeryLongConditionChainsCompile(string joiner)
    {
        var chain = string.Join(joiner, Enumerable.Repeat("area > 1", 50_000));
        var text = "shop t \"T\" {\n  questions_before_recommend 0\n  slot area: number unit \"㎡\" ask open \"多大呢?\"\n  item x sku \"X\" name \"x\" price 1 category c\n  stage a {\n    on start reply \"好\" then recommend\n  }\n  recommend {\n    if " + chain + " -> x\n    reply \"好\"\n  }\n  fallback reply \"好\"\n}\n";
        var result = GeneratorHarness.Compile(text, "scripts/long.csdsl");
        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Model);
    }

    [Fact]
    public void VeryDeepConceptChainsAreAnErrorNotAStackOverflow()
    {
        var concepts = string.Concat(Enumerable.Range(0, 20_000).Select(n => "  concept c" + n + " = \"词" + n + "\" | concept c" + (n + 1) + "\n"));
        var text = "shop t \"T\" {\n" + concepts + "  concept c20000 = \"末\"\n  fallback reply \"好\"\n}\n";
        var result = GeneratorHarness.Compile(text, "scripts/deep.csdsl");
        Assert.Contains(result.Diagnostics, d => d.Id == "SDSL0126");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SDSL0099");
    }

    [Fact]
    public void NoiseThroughTheWholeGeneratorNeverFailsIt()
    {
        var random = new Random(7);
        var text = GeneratorHarness.ReadScript("lamp_shop.csdsl");
        for (var n = 0; n < 20; n++)
        {
            var chars = text.ToCharArray();
            for (var k = 0; k < 5; k++)
            {
                chars[random.Next(chars.Length)] = (char)random.Next(32, 0x9FFF);
            }

            var run = GeneratorHarness.Run(new InMemoryText("/repo/scripts/noisy.csdsl", new string(chars)));
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8785" or "SDSL0099");
        }
    }

    private static void AssertOnlyDiagnostics(string text, bool complete)
    {
        var result = GeneratorHarness.Compile(text, "scripts/cut.csdsl", 70);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "SDSL0099");
        foreach (var d in result.Diagnostics)
        {
            Assert.True(d.Start.Line >= 1 && d.Start.Column >= 1, d.Id + " has no position");
            Assert.True(d.Start.Offset >= 0 && d.Start.Offset <= text.Length, d.Id + " points outside the file");
            _ = d.FormatMessage();
        }

        if (complete)
        {
            Assert.Empty(result.Diagnostics);
        }
        else if (result.Model is null)
        {
            Assert.Contains(result.Diagnostics, d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        }
    }
}
