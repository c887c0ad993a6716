using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>
/// The seed's bargaining dialogue (seeds/000, 议价 → 促成交易) on the compiled scripts/lamp_shop.csdsl
/// itself — its quote and close rules and its build-time classifier — with the 699 + 299 cart.
/// </summary>
public class CompiledLampDialogueTests
{
    private static readonly Model.ShopDefinition Shop = LampShop.Definition;

    [Fact]
    public void QuoteCounterOfferAndCloseOnTheCompiledScript()
    {
        var chat = new Conversation(Shop, Conversation.WithCart(Shop, ("KT-880", 1), ("NB-201", 1)));
        var list = chat.Context.Cart.TotalMinor;
        Assert.Equal("greet", chat.Say("在吗").Intent);

        var quote = chat.Say("你推荐的这几款灯一共多少钱呀?");
        Assert.Equal(("quote", ReplyKinds.Quote), (quote.Intent, quote.ReplyKind));
        Assert.Equal(list, quote.Pricing!.ListTotalMinor);
        Assert.Contains(MoneyText.Format(list), quote.Text());
        Assert.DoesNotContain(quote.Actions, a => a is RecommendItemAction);

        var counter = chat.Say("900行不行");
        Assert.Equal(("price_objection", ReplyKinds.Negotiate), (counter.Intent, counter.ReplyKind));
        Assert.Equal(90000, counter.Pricing!.AskTotalMinor);
        Assert.Equal(counter.Policy!.Step, counter.Pricing.Step);

        var close = chat.Say("好吧我咬牙一起买吧!");
        Assert.Equal(("close", ReplyKinds.Close), (close.Intent, close.ReplyKind));
        Assert.Contains(close.Match, new[] { MatchKind.Trigger, MatchKind.Examples });
        Assert.Equal(counter.Pricing.TotalMinor, close.Pricing!.TotalMinor);
        Assert.Contains(MoneyText.Format(close.Pricing.TotalMinor), close.Text());
        Assert.Equal(close.Pricing.TotalMinor, chat.State.AgreedTotalMinor);
    }

    [Fact]
    public void AParaphraseOnTheFirstMessageIsGreetedAndAnsweredByTheClassifier()
    {
        var turn = new Conversation(Shop).Say("一般几天能到啊");
        Assert.Equal("shipping", turn.Intent);
        Assert.Equal(MatchKind.Examples, turn.Match);
        Assert.True(turn.Confidence >= Shop.Understanding.Threshold);
        Assert.Contains("欢迎光临", turn.Messages[0].Text);
        Assert.True(turn.Messages.Count >= 2);
    }
}
