using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Tests.Behaviour;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// A short trigger (one or two characters: 贵, 包邮, 发货) that covers little of a long message is a
/// word of the message, not necessarily its question (docs/engine.md, tier 2): the classifier reads
/// the whole message, and a confident answer naming another intent wins. The trigger stands when it
/// is most of the message, when it is longer, when the classifier agrees or is unsure.
/// </summary>
public class ShortTriggerTests
{
    private static readonly Model.ShopDefinition Lamp = LampShop.Definition;

    private static TurnResult Second(string message) => Conversation.Greeted(Lamp).Say(message);

    [Theory]
    [InlineData("这灯是不错 就是我兜里只剩两百块了 还是贵", "budget_objection")] // 贵: price objection's trigger
    [InlineData("订单已经付好款了 麻烦你们尽快发货哦", "order_placed")] // 发货: the shipping trigger
    public void AShortTriggerInALongMessageYieldsToAConfidentReading(string message, string intent)
    {
        var turn = Second(message);
        Assert.Equal((intent, MatchKind.Examples), (turn.Intent, turn.Match));
        Assert.True(turn.Confidence >= Lamp.Understanding.Threshold);
    }

    [Theory]
    [InlineData("太贵了", "price_objection")] // the trigger is most of the message
    [InlineData("包邮吗亲", "shipping")]
    [InlineData("老板能不能便宜一点啊 诚心想要", "price_objection")] // long, but the classifier agrees with the trigger
    [InlineData("你们家这个灯卖得也太贵了吧 老板", "price_objection")]
    [InlineData("最近手头确实有点紧 我回去再想想", "timing_objection")] // 再想想 has three characters: not short
    public void TheTriggerStands(string message, string intent)
    {
        var turn = Second(message);
        Assert.Equal((intent, MatchKind.Trigger, 1.0), (turn.Intent, turn.Match, turn.Confidence));
    }
}
