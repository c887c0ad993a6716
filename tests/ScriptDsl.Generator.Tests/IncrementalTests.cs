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
        var edited = Lamp.WithText(Lamp.Text.Replace("这个问题我帮您确认一下, 稍等哦~", "这个问题我帮您确认一下, 稍等一下哦~", StringComparison.Ordinal));
        Assert.NotEqual(Lamp.Text, edited.Text);
        driver = driver.ReplaceAdditionalText(Lamp, edited).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        var compilations = result.TrackedSteps[ScriptGenerator.TrackingNames.Compilations].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, compilations.Count(r => r == IncrementalStepRunReason.Modified));
        // The other script and the standard library files.
        Assert.Equal(compilations.Count - 1, compilations.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        // Only the edited shop is re-trained.
        var training = result.TrackedSteps[ScriptGenerator.TrackingNames.Training].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, training.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(training.Count - 1, training.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

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
    public void EditingALibraryRetrainsOnlyTheShopsThatUseIt()
    {
        var plain = new InMemoryText("/repo/scripts/plain.csdsl", "shop plain \"P\" {\n  quick q on \"包邮\" reply \"包邮哦\"\n  fallback reply \"稍等哦\"\n}\n");
        var library = GeneratorHarness.StandardLibrary().Single(f => f.Path.EndsWith("/presale.csdsl", StringComparison.Ordinal));
        var others = GeneratorHarness.StandardLibrary().Where(f => f != library).ToArray();
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(new[] { Lamp, Apparel, plain, library }.Concat(others).ToArray()).RunGenerators(compilation);
        var edited = library.WithText(library.Text.Replace("\"在吗\"", "\"在吗\" | \"有人在不\"", StringComparison.Ordinal));
        Assert.NotEqual(library.Text, edited.Text);
        driver = driver.ReplaceAdditionalText(library, edited).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        // Binding never looks at libraries: every script's compilation is untouched.
        Assert.All(result.TrackedSteps[ScriptGenerator.TrackingNames.Compilations].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));

        // The lamp and apparel shops use presale and are re-trained; the plain shop uses no library and is not.
        var training = result.TrackedSteps[ScriptGenerator.TrackingNames.Training].SelectMany(s => s.Outputs).ToList();
        var modified = training.Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => ((Binding.ShopOutput)o.Value).Compilation.ShopId).ToList();
        Assert.Equal(["apparel_shop", "lamp_shop"], modified.Order(StringComparer.Ordinal));
        Assert.Contains(training, o => ((Binding.ShopOutput)o.Value).Compilation.ShopId == "plain" && o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
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
        ScriptGenerator.TrackingNames.Libraries,
        ScriptGenerator.TrackingNames.LibraryCatalog,
        ScriptGenerator.TrackingNames.Understanding,
        ScriptGenerator.TrackingNames.Training,
        ScriptGenerator.TrackingNames.ExpectAsError,
    };
}
