using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptService.Storage;

namespace ScriptService.Api;

/// <summary>
/// The daily stock of a shop's limited gifts ("gift ... limit 20 per day"), shared by all its
/// conversations: what is left today goes into the decision, and a granted gift takes one unit in
/// the same write as the conversation's state (the store refuses the write if the stock ran out
/// meanwhile, and the decision is made again).
/// </summary>
internal sealed class GiftStock
{
    private static readonly IReadOnlyList<StockUse> None = [];

    private readonly ShopDefinition _shop;

    private GiftStock(ShopDefinition shop, IReadOnlyDictionary<string, int>? remaining)
    {
        _shop = shop;
        Remaining = remaining;
    }

    /// <summary>Remaining units today per gift name (null when the shop limits no gift).</summary>
    public IReadOnlyDictionary<string, int>? Remaining { get; }

    public static GiftStock Today(ShopDefinition shop, IConversationStore store)
    {
        var limited = new List<(string Counter, GiftDefinition Gift)>();
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

        if (limited.Count == 0)
        {
            return new GiftStock(shop, null);
        }

        var used = store.DailyUsage(limited.Select(l => l.Counter).ToList());
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (counter, gift) in limited)
        {
            remaining[gift.Name] = Math.Max(0, gift.DailyLimit!.Value - used.GetValueOrDefault(counter));
        }

        return new GiftStock(shop, remaining);
    }

    /// <summary>The stock a decision took: the granted gift, if it has a daily limit.</summary>
    public IReadOnlyList<StockUse> Use(string? policyName, GrantedGift? consumed)
    {
        if (policyName is null || consumed is null)
        {
            return None;
        }

        var policy = _shop.Policies.FirstOrDefault(p => string.Equals(p.Name, policyName, StringComparison.Ordinal));
        var gift = policy?.Gifts.FirstOrDefault(g => string.Equals(g.Name, consumed.Name, StringComparison.Ordinal));
        return gift?.DailyLimit is int limit ? [new StockUse(Counter(_shop, policyName, gift.Name), limit)] : None;
    }

    private static string Counter(ShopDefinition shop, string policy, string gift) => shop.Id + "/" + policy + "/" + gift;
}
