using System.Runtime.CompilerServices;
using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Model;
using ScriptService.Storage;

namespace ScriptService.Api;

/// <summary>
/// The daily stock of a shop's limited gifts ("gift ... limit 20 per day"), shared by all its
/// conversations. Derived once per shop: the store counters the decision needs; the store reads
/// their use today in the same transaction as the conversation's state and hands it to the
/// decision (<see cref="Remaining"/>), and a granted gift takes one unit in the same write (the
/// store refuses the write if the stock ran out meanwhile, and the decision is made again).
/// </summary>
internal sealed class GiftStock
{
    private static readonly IReadOnlyList<StockUse> None = [];
    private static readonly ConditionalWeakTable<ShopDefinition, GiftStock> Cache = new();

    private readonly ShopDefinition _shop;
    private readonly (string Counter, GiftDefinition Gift)[] _limited;

    private GiftStock(ShopDefinition shop)
    {
        _shop = shop;
        var limited = new List<(string, GiftDefinition)>();
        foreach (var policy in shop.Policies)
        {
            foreach (var gift in policy.Gifts)
            {
                if (gift.DailyLimit is not null)
                {
                    limited.Add((Counter(shop, policy.Name, gift.Name), gift));
                }
            }
        }

        _limited = [.. limited];
        Counters = _limited.Select(l => l.Counter).ToArray();
    }

    /// <summary>The store counters of the shop's daily-limited gifts (empty when it limits none).</summary>
    public IReadOnlyCollection<string> Counters { get; }

    public static GiftStock For(ShopDefinition shop) => Cache.GetValue(shop, s => new GiftStock(s));

    /// <summary>Remaining units today per gift name, from the store's counts (null when the shop limits no gift).</summary>
    public IReadOnlyDictionary<string, int>? Remaining(IReadOnlyDictionary<string, int> usedToday)
    {
        if (_limited.Length == 0)
        {
            return null;
        }

        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (counter, gift) in _limited)
        {
            remaining[gift.Name] = Math.Max(0, gift.DailyLimit!.Value - usedToday.GetValueOrDefault(counter));
        }

        return remaining;
    }

    /// <summary>The stock a decision took: the granted gift, if it has a daily limit.</summary>
    public IReadOnlyList<StockUse> Use(string? policyName, GrantedGift? consumed)
    {
        if (consumed is null)
        {
            return None;
        }

        var gift = _shop.Policy(policyName)?.Gifts.FirstOrDefault(g => string.Equals(g.Name, consumed.Name, StringComparison.Ordinal));
        return gift?.DailyLimit is int limit ? [new StockUse(Counter(_shop, policyName!, gift.Name), limit)] : None;
    }

    private static string Counter(ShopDefinition shop, string policy, string gift) => shop.Id + "/" + policy + "/" + gift;
}
