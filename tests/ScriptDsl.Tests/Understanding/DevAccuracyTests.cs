using ScriptDsl.Generated;
using ScriptDsl.Understanding;
using Xunit.Abstractions;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// The development sets (tests/data/dev-*.txt, tuned on) through the compiled example shops and the
/// engine, and the shops' own phrasings cross-validated: the figures issue 9's tuning was decided on
/// (docs/benchmarks.md, "Understanding"). The floors are the figures reached, so a change that loses
/// understanding on the data it was tuned on fails here; they are not a measure of generalization.
/// </summary>
public class DevAccuracyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("lamp_shop", 0.98)] // 232 of 235 (2026-12-02)
    [InlineData("apparel_shop", 0.96)] // 122 of 126
    public void DevMessagesThroughTheCompiledShop(string shopId, double floor)
    {
        var shop = ShopCatalog.Shops.Single(s => s.Id == shopId).Definition();
        var all = UnderstandingData.Files("dev-*.txt").SelectMany(UnderstandingData.Labelled).ToList();
        var lines = EngineEvaluation.Covered(shop, all);
        var outcome = EngineEvaluation.Run(shop, lines);
        output.WriteLine($"dev-*.txt through {shopId}: {outcome}");
        foreach (var file in UnderstandingData.Files("dev-*.txt"))
        {
            output.WriteLine($"  {file}: {EngineEvaluation.Run(shop, EngineEvaluation.Covered(shop, UnderstandingData.Labelled(file)))}");
        }

        foreach (var miss in outcome.Misses)
        {
            output.WriteLine("  " + miss);
        }

        Assert.True(outcome.Accuracy >= floor, $"{shopId}: {outcome} < {floor:P1}\n" + string.Join("\n", outcome.Misses));
    }

    [Theory]
    [InlineData("lamp_shop", 0.80)] // 738 of 914
    [InlineData("apparel_shop", 0.86)] // 394 of 456
    public void TheShopsPhrasingsCrossValidate(string shopId, double floor)
    {
        var shop = ShopCatalog.Shops.Single(s => s.Id == shopId).Definition();
        var report = IntentEvaluation.CrossValidate(shop.Understanding.Examples, 5);
        output.WriteLine(report.Format($"{shopId}: 5-fold cross-validation of its {shop.Understanding.Examples.Count} phrasings", maxConfusions: 15, maxMisses: 40));
        Assert.True(report.Accuracy >= floor, report.Format(shopId));
    }
}
