using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Bargaining;

/// <summary>Builds the scope policy replies and gift conditions read, and renders a reply variant.</summary>
internal static class PolicyRendering
{
    public static ScriptScope Scope(ShopDefinition shop, CartView cart, string customerTier, PolicyValues values)
    {
        var slots = new SlotValue[shop.Slots.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = SlotValue.Empty(shop.Slots[i].Kind);
        }

        return new ScriptScope
        {
            Shop = shop,
            Slots = slots,
            Cart = cart,
            Buyer = customerTier.Length == 0 ? BuyerView.Anonymous : new BuyerView(customerTier, BuyerView.Anonymous.Facts),
            Policy = values,
        };
    }

    /// <summary>Variants rotate with the round, so a replayed ask renders the same text.</summary>
    public static PolicyMessage Render(ReplyDefinition reply, int rotation, ScriptScope scope)
    {
        var variant = reply.Variants[rotation % reply.Variants.Count];
        return new PolicyMessage(variant.Template.Render(scope), variant.Id);
    }
}
