using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>The build settings the generator reads, and diagnostics under a hostile culture.</summary>
public class OptionsAndCultureTests
{
    private const string LongReply = "shop t \"T\" {\n  fallback reply \"亲, 这个问题我帮您确认一下, 稍等哦, 我们的客服会尽快回复您的, 请您耐心等待一下, 谢谢您的理解和支持呢, 祝您购物愉快, 生活开心, 万事如意哦~\"\n}\n";

    private static IEnumerable<Diagnostic> Run(IReadOnlyDictionary<string, string>? properties)
    {
        var driver = GeneratorHarness.CreateDriver(properties, new InMemoryText("/repo/scripts/t.csdsl", LongReply));
        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.EmptyCompilation(), out _, out var diagnostics);
        return diagnostics;
    }

    [Fact]
    public void ScriptDslMaxReplyLengthBuildPropertyRaisesTheLimit()
    {
        Assert.Contains(Run(null), d => d.Id == "SDSL1003");
        Assert.Contains(Run(new Dictionary<string, string> { ["ScriptDslMaxReplyLength"] = "not a number" }), d => d.Id == "SDSL1003");
        Assert.DoesNotContain(Run(new Dictionary<string, string> { ["ScriptDslMaxReplyLength"] = "100" }), d => d.Id == "SDSL1003");
    }

    [Fact]
    public void DiagnosticsAndModelsAreTheSameUnderTurkishCulture()
    {
        var script = GeneratorHarness.ReadScript("lamp_shop.csdsl");
        var broken = script.Replace("ask room, style, shape", "ask ROOM, style, shape", StringComparison.Ordinal)
            .Replace("max_rounds 6", "max_rounds 6.5", StringComparison.Ordinal); // the lamp policy has 6 rounds
        var expectedModel = GeneratorHarness.Compile(script, "scripts/lamp_shop.csdsl");
        var expectedBroken = GeneratorHarness.Compile(broken, "scripts/lamp_shop.csdsl");
        Assert.Contains(expectedBroken.Diagnostics, d => d.Id == "SDSL0102");
        Assert.Contains(expectedBroken.Diagnostics, d => d.Id == "SDSL0005");
        using (new HostileCulture("tr-TR"))
        {
            Assert.Equal(expectedModel, GeneratorHarness.Compile(script, "scripts/lamp_shop.csdsl"));
            var actual = GeneratorHarness.Compile(broken, "scripts/lamp_shop.csdsl");
            Assert.Equal(expectedBroken, actual);
            Assert.Equal(expectedBroken.Diagnostics.Select(d => d.FormatMessage()), actual.Diagnostics.Select(d => d.FormatMessage()));
        }
    }
}
