using ScriptDsl.Model;

namespace ScriptService.Shops;

/// <summary>The compiled shops the service hosts, by id.</summary>
public sealed class ShopCatalog
{
    private readonly Dictionary<string, ShopDefinition> _byId;

    public ShopCatalog(IEnumerable<ShopDefinition> shops)
    {
        ArgumentNullException.ThrowIfNull(shops);
        _byId = new Dictionary<string, ShopDefinition>(StringComparer.Ordinal);
        foreach (var shop in shops)
        {
            if (!_byId.TryAdd(shop.Id, shop))
            {
                throw new ArgumentException($"Shop '{shop.Id}' is listed twice.", nameof(shops));
            }
        }

        Shops = _byId.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<ShopDefinition> Shops { get; }

    public ShopDefinition? Find(string shopId) => _byId.GetValueOrDefault(shopId);
}
