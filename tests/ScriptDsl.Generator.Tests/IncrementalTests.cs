using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>The pipeline caches: unrelated edits change nothing; editing one script regenerates only that script.</summary>
public class IncrementalTests
{
    private static readonly InMemoryText Lamp = new("/repo/scripts/lamp_shop.csdsl", GeneratorHarness.ReadScript("lamp_shop.csdsl"));
    private static readonly InMemoryText Apparel = new("/repo/scripts/apparel_shop.csdsl", GeneratorHarness.ReadScript("apparel_shop.csdsl"));

    [Fact]
    public void UnrelatedCSharpEditLeavesEveryStepCachedOrUnchanged()
    {
        var compilation = GeneratorHarness.EmptyCompilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText("class A { }"));
        var driver = GeneratorHarness.CreateDriver(Lamp, Apparel).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }")));
        var result = driver.GetRunResult().Results.Single();

        foreach (var name in AllStepNames)
        {
            foreach (var step in result.TrackedSteps[name])
            {
                Assert.All(step.Outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, name + ": " + o.Reason));
            }
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingOneScriptModifiesOnlyThatScriptsOutput()
    {
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(Lamp, Apparel).RunGenerators(compilation);
        var edited = Lamp.WithText(Lamp.Text.Replace("稍等哦~\"\n}", "稍等一下哦~\"\n}", StringComparison.Ordinal));
        Assert.NotEqual(Lamp.Text, edited.Text);
        driver = driver.ReplaceAdditionalText(Lamp, edited).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        var compilations = result.TrackedSteps[ScriptGenerator.TrackingNames.Compilations].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, compilations.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, compilations.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        // The catalog and the duplicate-id check depend on ids only: untouched.
        foreach (var name in new[] { ScriptGenerator.TrackingNames.CatalogEntries, ScriptGenerator.TrackingNames.Catalog, ScriptGenerator.TrackingNames.ShopIds, ScriptGenerator.TrackingNames.DuplicateIds })
        {
            Assert.All(result.TrackedSteps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, name + ": " + o.Reason));
        }

        // Only the lamp shop's source is regenerated.
        var generated = result.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(3, generated.Count);
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
    }

    [Fact]
    public void RemovingAScriptRemovesItsSourceAndItsCatalogEntry()
    {
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(Lamp, Apparel).RunGenerators(compilation);
        driver = driver.RemoveAdditionalTexts([Apparel]).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Equal(2, result.GeneratedSources.Length);
        var catalog = result.GeneratedSources.Single(s => s.HintName == "ShopCatalog.g.cs").SourceText.ToString();
        Assert.Contains("LampShop.Id", catalog, StringComparison.Ordinal);
        Assert.DoesNotContain("ApparelShop", catalog, StringComparison.Ordinal);
        Assert.Contains(result.TrackedSteps[ScriptGenerator.TrackingNames.Catalog].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void ModelsAreValuesSoTheSameTextGivesAnEqualModel()
    {
        var a = GeneratorHarness.Compile(Lamp.Text, Lamp.Path);
        var b = GeneratorHarness.Compile(Lamp.Text, Lamp.Path);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    private static readonly string[] AllStepNames =
    {
        ScriptGenerator.TrackingNames.Options,
        ScriptGenerator.TrackingNames.ScriptFiles,
        ScriptGenerator.TrackingNames.Compilations,
        ScriptGenerator.TrackingNames.CatalogEntries,
        ScriptGenerator.TrackingNames.Catalog,
        ScriptGenerator.TrackingNames.ShopIds,
        ScriptGenerator.TrackingNames.DuplicateIds,
    };
}
