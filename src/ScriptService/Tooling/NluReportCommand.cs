using System.Globalization;
using ScriptDsl.Model;
using ScriptDsl.Understanding;

namespace ScriptService.Tooling;

/// <summary>
/// <c>nlu-report --shop SHOP</c>: how well a compiled shop's classifier understands its own
/// phrasings, by k-fold cross-validation over <see cref="UnderstandingDefinition.Examples"/>
/// (triggers, the shop's examples and the standard library's), like <c>rasa test nlu</c>:
/// per-intent precision and recall, the most confused pairs, and the phrasings that match another
/// intent better than their own — the ones to reword, move or back with a trigger.
/// </summary>
public static class NluReportCommand
{
    public const string Usage = """
        usage: dotnet run --project src/ScriptService -- nlu-report --shop SHOP [--folds K] [--misses N]
          --shop     the shop id (e.g. lamp_shop)
          --folds    cross-validation folds, at least 2 (default 5)
          --misses   how many misclassified phrasings to list (default 30)
        """;

    /// <summary>Returns the exit code: 0 printed, 1 the shop has no examples, 2 bad usage or unknown shop.</summary>
    public static int Run(string[] args, IReadOnlyList<ShopDefinition> shops, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(shops);
        ArgumentNullException.ThrowIfNull(output);
        string? shopId = null;
        var folds = 5;
        var misses = 30;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--shop" when value is not null:
                    shopId = value;
                    i++;
                    break;
                case "--folds" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 2:
                    folds = k;
                    i++;
                    break;
                case "--misses" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var m):
                    misses = m;
                    i++;
                    break;
                case "--help" or "-h":
                    output.WriteLine(Usage);
                    return 0;
                default:
                    output.WriteLine($"nlu-report: unexpected '{args[i]}'" + (value is null && args[i].StartsWith("--", StringComparison.Ordinal) ? " (it needs a value)" : "") + ".");
                    output.WriteLine(Usage);
                    return 2;
            }
        }

        if (shopId is null)
        {
            output.WriteLine("nlu-report: --shop is required.");
            output.WriteLine(Usage);
            return 2;
        }

        var shop = shops.FirstOrDefault(s => string.Equals(s.Id, shopId, StringComparison.Ordinal));
        if (shop is null)
        {
            output.WriteLine($"nlu-report: there is no shop '{shopId}'; the compiled shops are: {string.Join(", ", shops.Select(s => s.Id).Order(StringComparer.Ordinal))}.");
            return 2;
        }

        return Write(shop.Id, shop.Understanding.Examples, folds, misses, output);
    }

    /// <summary>Cross-validates <paramref name="examples"/> and prints the report; 1 (and a hint) when there are none.</summary>
    public static int Write(string shopId, IReadOnlyList<TrainingExample> examples, int folds, int misses, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(output);
        if (examples.Count == 0)
        {
            output.WriteLine($"nlu-report: {shopId} has no examples to learn from: add `examples \"…\"` to its rules or `use standard presale` (docs/language.md).");
            return 1;
        }

        var intents = examples.Select(e => e.Intent).Distinct(StringComparer.Ordinal).Count();
        var report = IntentEvaluation.CrossValidate(examples, folds);
        var title = string.Create(CultureInfo.InvariantCulture,
            $"{shopId}: {examples.Count} phrasings of {intents} intents, {folds}-fold cross-validation (each phrasing classified by a classifier trained without it)");
        output.Write(report.Format(title, maxConfusions: 15, maxMisses: misses));
        return 0;
    }
}
