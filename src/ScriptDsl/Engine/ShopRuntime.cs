using System.Runtime.CompilerServices;
using ScriptDsl.Bargaining;
using ScriptDsl.Matching;
using ScriptDsl.Model;
using ScriptDsl.Text;

namespace ScriptDsl.Engine;

/// <summary>
/// Helpers derived once per compiled shop (unit extractors per slot, negation filters per trigger),
/// so a turn allocates none of them. Derived data only: the shop itself stays the single source.
/// </summary>
internal sealed class ShopRuntime
{
    /// <summary>Words that negate a choice mention ("不要圆的", "不喜欢中式").</summary>
    private static readonly string[] ChoiceNegations = ["不要", "不喜欢", "不想要", "不是", "不", "没有", "别"];

    private static readonly ConditionalWeakTable<ShopDefinition, ShopRuntime> Cache = new();

    private ShopRuntime(ShopDefinition shop)
    {
        if (shop.Automaton.Data.PatternPayloads.Length != shop.Triggers.Count || shop.SlotPhraseAutomaton.Data.PatternPayloads.Length != shop.SlotPhrases.Count)
        {
            throw new InvalidOperationException(
                $"Shop '{shop.Id}' has {shop.Triggers.Count} triggers and {shop.SlotPhrases.Count} slot phrases but tables for "
                + $"{shop.Automaton.Data.PatternPayloads.Length} and {shop.SlotPhraseAutomaton.Data.PatternPayloads.Length}: it was built without its matching tables.");
        }

        Extractors = new QuantityExtractor?[shop.Slots.Count];
        for (var i = 0; i < shop.Slots.Count; i++)
        {
            var slot = shop.Slots[i];
            Extractors[i] = slot.Kind switch
            {
                SlotKind.Number when slot.Units.Count > 0 || slot.UnitFactors.Count > 0 => new QuantityExtractor(slot.Units, slot.UnitFactors, digitsAfterUnitAreDecimals: IsLength(slot.Units)),
                SlotKind.Money => new QuantityExtractor(slot.Units.Count > 0 ? slot.Units : QuantityExtractor.MoneyUnits, slot.UnitFactors, digitsAfterUnitAreDecimals: true),
                _ => null,
            };
        }

        AfterSaleSlots = new bool[shop.Slots.Count];
        foreach (var step in shop.Complaint?.Steps ?? [])
        {
            foreach (var slot in step.AskSlots)
            {
                AfterSaleSlots[slot] = !shop.Intents.Any(i => i.AskSlots.Contains(slot));
            }
        }

        IntentClasses = new int[shop.Intents.Count];
        Array.Fill(IntentClasses, -1);
        if (shop.Understanding.Classifier is { } classifier)
        {
            ClassifierIntents = new int[classifier.Intents.Count];
            for (var c = 0; c < ClassifierIntents.Length; c++)
            {
                ClassifierIntents[c] = IndexOfIntent(shop, classifier.Intents[c]);
                if (ClassifierIntents[c] >= 0 && IntentClasses[ClassifierIntents[c]] < 0)
                {
                    IntentClasses[ClassifierIntents[c]] = c;
                }
            }
        }

        var units = new List<string>();
        foreach (var slot in shop.Slots)
        {
            if (slot.Kind == SlotKind.Number)
            {
                foreach (var unit in slot.Units)
                {
                    units.Add(TextNormalizer.Normalize(unit));
                }
            }
        }

        NumberUnits = units;
        for (var i = 0; i < shop.Intents.Count; i++)
        {
            var intent = shop.Intents[i];
            if (PriceIntent < 0 && intent.Kind == IntentKind.Objection && intent.Objection == ObjectionKind.Price && intent.Policy is not null)
            {
                PriceIntent = i;
            }

            if (StartIntent < 0 && intent.OnStart)
            {
                StartIntent = i;
            }
        }

        var byList = new Dictionary<IReadOnlyList<string>, NegationFilter>(ReferenceEqualityComparer.Instance);
        TriggerNegations = new NegationFilter?[shop.Triggers.Count];
        for (var i = 0; i < shop.Triggers.Count; i++)
        {
            var prefixes = shop.Triggers[i].NegationPrefixes;
            if (prefixes.Count == 0)
            {
                continue;
            }

            if (!byList.TryGetValue(prefixes, out var filter))
            {
                filter = new NegationFilter(prefixes);
                byList.Add(prefixes, filter);
            }

            TriggerNegations[i] = filter;
        }

        PoliciesByName = new Dictionary<string, PolicyDefinition>(StringComparer.Ordinal);
        foreach (var policy in shop.Policies)
        {
            PoliciesByName.TryAdd(policy.Name, policy);
        }

        var priceNamed = shop.Intents.FirstOrDefault(i => i.Objection == ObjectionKind.Price && i.Policy is not null)?.Policy;
        PricePolicy = (priceNamed is not null && PoliciesByName.TryGetValue(priceNamed, out var named) ? named : null) ?? shop.Policies.FirstOrDefault();
    }

    /// <summary>The shop's bargaining policies by name: the one look-up the engine, the API and the gift stock use.</summary>
    public Dictionary<string, PolicyDefinition> PoliciesByName { get; }

    /// <summary>The policy that prices the shop (its price objection's policy, else its first policy; null when it has none).</summary>
    public PolicyDefinition? PricePolicy { get; }

    public QuantityExtractor?[] Extractors { get; }

    /// <summary>Classifier intent index → shop intent index (-1 for a name the shop does not have).</summary>
    public int[] ClassifierIntents { get; private set; } = [];

    /// <summary>Shop intent index → its (first) classifier intent index, -1 when the classifier has none: the inverse of <see cref="ClassifierIntents"/>.</summary>
    public int[] IntentClasses { get; }

    /// <summary>The unit words of the shop's number slots: a number followed by one is no counter-offer.</summary>
    public IReadOnlyList<string> NumberUnits { get; private set; } = [];

    /// <summary>The price objection that runs a policy (counter-offers go to it), or -1.</summary>
    public int PriceIntent { get; private set; } = -1;

    /// <summary>The intent that starts a conversation (the greeting), or -1.</summary>
    public int StartIntent { get; private set; } = -1;

    /// <summary>Slots only the complaint flow collects (order number, photos): never asked or suggested in presale.</summary>
    public bool[] AfterSaleSlots { get; }

    public NegationFilter?[] TriggerNegations { get; }

    public static NegationFilter ChoiceNegation { get; } = new(ChoiceNegations);

    public static ShopRuntime For(ShopDefinition shop) => Cache.GetValue(shop, s => new ShopRuntime(s));

    private static int IndexOfIntent(ShopDefinition shop, string name)
    {
        for (var i = 0; i < shop.Intents.Count; i++)
        {
            if (string.Equals(shop.Intents[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // "1米6" means 1.6 米 for heights; area units never take digits after them ("20平3室").
    private static bool IsLength(IReadOnlyList<string> units) =>
        units.Any(u => string.Equals(u, "米", StringComparison.Ordinal) || string.Equals(u, "m", StringComparison.Ordinal));
}

/// <summary>
/// Which bargaining policy prices a shop, decided in one place (<see cref="ShopRuntime"/>) for the
/// engine, the service's Negotiate/Quote calls and the daily gift stock.
/// </summary>
public static class ShopPolicies
{
    /// <summary>The policy named <paramref name="name"/> (null when the shop has none of that name).</summary>
    public static PolicyDefinition? Policy(this ShopDefinition shop, string? name) =>
        name is not null && ShopRuntime.For(shop).PoliciesByName.TryGetValue(name, out var policy) ? policy : null;

    /// <summary>The policy that prices the shop: its price objection's policy, else its first policy; null when it has none.</summary>
    public static PolicyDefinition? PricePolicy(this ShopDefinition shop) => ShopRuntime.For(shop).PricePolicy;
}
