using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Tests.Behaviour;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// A thank-you inside a message that asks something is politeness, not a goodbye (docs/engine.md,
/// "Two intents in one message"): the farewell's trigger ranks below every other trigger, and when
/// it is the only one, the classifier reads the message without it. A message that only thanks,
/// or thanks and acknowledges, is still the farewell.
/// </summary>
public class ThanksInAQuestionTests
{
    private static readonly Model.ShopDefinition Lamp = LampShop.Definition;

    private static TurnResult Second(string message) => Conversation.Greeted(Lamp).Say(message);

    [Fact]
    public void AnotherTriggerBeatsTheThanks()
    {
        // 人工 and 谢谢 are both shop-wide and as long; the escalation was declared later, yet wins.
        var turn = Second("转人工谢谢");
        Assert.Equal(("escalate", MatchKind.Trigger), (turn.Intent, turn.Match));
        Assert.Contains(turn.Actions, a => a is EscalateAction);
    }

    [Theory]
    [InlineData("总价算一下 谢谢", "quote")]
    [InlineData("灯收到是碎的 麻烦处理下 谢谢", "complaint")]
    public void TheClassifierReadsTheQuestionAroundTheThanks(string message, string intent)
    {
        var turn = Second(message);
        Assert.Equal((intent, MatchKind.Examples), (turn.Intent, turn.Match));
    }

    [Theory]
    [InlineData("谢谢")]
    [InlineData("好的谢谢")]
    [InlineData("嗯嗯 谢谢你啦")]
    [InlineData("谢谢客服小姐姐")]
    [InlineData("谢谢 拜拜")]
    public void AThankYouAloneIsStillTheFarewell(string message)
    {
        var turn = Second(message);
        Assert.Equal(("farewell", MatchKind.Trigger), (turn.Intent, turn.Match));
    }
}
