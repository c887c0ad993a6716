using ScriptDsl.Engine;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>A buyer talking to a compiled shop, one line at a time, keeping the state between turns.</summary>
internal sealed class Conversation(ShopDefinition shop, BuyerContext? context = null)
{
    private ConversationState _state = ConversationState.New(shop.Id, shop.SourceHash);

    public BuyerContext Context { get; set; } = context ?? BuyerContext.Empty;

    public ConversationState State => _state;

    public TurnResult Say(string message)
    {
        var result = ConversationEngine.Turn(shop, _state, message, Context);
        _state = result.State;
        return result;
    }

    /// <summary>A conversation whose buyer has opened with 「在吗」, so the next line is its second turn.</summary>
    public static Conversation Greeted(ShopDefinition shop)
    {
        var chat = new Conversation(shop);
        chat.Say("在吗");
        return chat;
    }

    public static BuyerContext WithCart(ShopDefinition shop, params (string Sku, int Quantity)[] lines) => new(
        "new",
        new CartView(lines.Select(l =>
        {
            var item = shop.Items.Single(i => i.Sku == l.Sku);
            return new CartLineView(item.Sku, item.Name, item.PriceMinor, l.Quantity, item.Category);
        }).ToList()),
        new Dictionary<string, string>());
}

internal static class TurnAssertions
{
    public static string Text(this TurnResult turn) => string.Join("\n", turn.Messages.Select(m => m.Text));
}
