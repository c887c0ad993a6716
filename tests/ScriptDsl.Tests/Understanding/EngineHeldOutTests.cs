using ScriptDsl.Engine;
using ScriptDsl.Model;
using Xunit.Abstractions;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// The held-out buyer messages through the compiled shops and the engine's whole decision
/// (triggers, counter-offers, the classifier with the shop's threshold and margin, clarification):
/// each line is the first message of a new conversation (multi-turn lines say their earlier turns
/// first). A turn counts as understood when the intent it reports maps onto the line's standard
/// intent (`IntentDefinition.Standard`, or the intent's own name). A clarification question or the
/// fallback is a miss. The floors are the figures reached; see docs/benchmarks.md.
/// </summary>
public class EngineHeldOutTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("heldout-lamp.txt", "lamp_shop", 0.95)] // 97 of 102 after the fifth pass (2026-12-02 09:30 UTC); 95 after the fourth, 94 before it
    [InlineData("heldout-apparel.txt", "apparel_shop", 1.0)] // 37 of 37 after the fifth pass (36 after the fourth, 35 before it)
    public void HeldOutMessagesThroughTheCompiledShop(string file, string shopId, double floor)
    {
        var (understood, covered, misses) = ThroughTheShop(file, shopId);
        var accuracy = (double)understood / covered;
        Assert.True(accuracy >= floor, $"{file}: {accuracy:P1} < {floor:P0}\n" + string.Join("\n", misses));
    }

    /// <summary>
    /// The second held-out set (tests/data/heldout2-*.txt, issue 9), never looked at while tuning.
    /// The floor is the number of covered lines understood on the first run.
    /// </summary>
    [Theory]
    [InlineData("heldout2-lamp.txt", "lamp_shop", 118)] // of the 125 covered lines after the fifth pass (first run 2026-12-02: 106; 111 before the third pass, 116 before and after the fourth)
    [InlineData("heldout2-apparel.txt", "apparel_shop", 38)] // of the 41 covered lines (37 before the third pass)
    public void SecondHeldOutSetThroughTheCompiledShop(string file, string shopId, int floor)
    {
        var (understood, covered, misses) = ThroughTheShop(file, shopId);
        Assert.True(understood >= floor, $"{file}: {understood} of {covered} understood, below the floor {floor}\n" + string.Join("\n", misses));
    }

    /// <summary>
    /// The third held-out set (tests/data/heldout3-*.txt), written blind to the library, the scripts
    /// and every other data file, committed before any evaluation. The floor is the first run's count.
    /// </summary>
    [Theory]
    [InlineData("heldout3-lamp.txt", "lamp_shop", 136)] // of the 142 covered lines after the fifth pass (first run 2026-12-02 05:50 UTC, main at b3b512f: 134; 135 after the fourth pass)
    [InlineData("heldout3-apparel.txt", "apparel_shop", 36)] // of the 36 covered lines (first run)
    public void ThirdHeldOutSetThroughTheCompiledShop(string file, string shopId, int floor) => SecondHeldOutSetThroughTheCompiledShop(file, shopId, floor);

    private (int Understood, int Covered, IReadOnlyList<string> Misses) ThroughTheShop(string file, string shopId)
    {
        var shop = Generated.ShopCatalog.Shops.Single(s => s.Id == shopId).Definition();
        Assert.NotNull(shop.Understanding.Classifier);
        // Lines of an intent no rule of the shop maps onto cannot be understood by it (the apparel
        // script has no shipping, payment or complaint rule): they are counted apart, and the floor
        // is on the lines the shop could answer.
        var all = UnderstandingData.Labelled(file);
        var messages = EngineEvaluation.Covered(shop, all);
        output.WriteLine($"{all.Count - messages.Count} of {all.Count} lines are of intents {shopId} has no rule for: "
            + string.Join(", ", all.Except(messages).Select(m => m.Intent).Distinct()));
        var outcome = EngineEvaluation.Run(shop, messages);
        output.WriteLine($"{file} through {shopId}: {outcome.Accuracy:P1} ({outcome.Understood} of the {messages.Count} lines it has rules for)");
        foreach (var miss in outcome.Misses)
        {
            output.WriteLine("  " + miss);
        }

        return (outcome.Understood, messages.Count, outcome.Misses);
    }
}
