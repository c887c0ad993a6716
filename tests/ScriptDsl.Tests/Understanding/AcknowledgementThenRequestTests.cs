using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Tests.Behaviour;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// Inside an open question (not the complaint flow), a message that opens with an acknowledgement,
/// fills no slot and goes on to say something the classifier reads with confidence is that
/// (docs/engine.md, tier 1); an acknowledgement alone is not classified and leaves the question open.
/// </summary>
public class AcknowledgementThenRequestTests
{
    private static Conversation AfterAQuestion()
    {
        var chat = new Conversation(LampShop.Definition);
        var first = chat.Say("推荐一款卧室灯");
        Assert.NotEmpty(chat.State.PendingSlot);
        Assert.Equal("recommend", first.Intent);
        return chat;
    }

    [Theory]
    [InlineData("嗯嗯 那就按你推荐的买吧", "close")]
    [InlineData("好的 我还是回去再琢磨几天", "timing_objection")]
    public void WhatFollowsTheAcknowledgementIsUnderstood(string message, string intent)
    {
        var turn = AfterAQuestion().Say(message);
        Assert.Equal((intent, MatchKind.Examples), (turn.Intent, turn.Match));
    }

    [Theory]
    [InlineData("嗯嗯")]
    [InlineData("好的 好的")]
    public void AnAcknowledgementAloneIsNotClassified(string message)
    {
        var chat = AfterAQuestion();
        var pending = chat.State.PendingSlot;
        var turn = chat.Say(message);
        Assert.NotEqual(MatchKind.Examples, turn.Match);
        Assert.True(turn.Intent.Length == 0 || turn.Intent == "recommend", turn.Intent);
        Assert.Equal(pending, chat.State.PendingSlot);
    }
}
