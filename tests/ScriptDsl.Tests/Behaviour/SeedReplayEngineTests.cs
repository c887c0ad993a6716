using ScriptDsl.Engine;
using ScriptDsl.Generated;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>
/// The engine behaviours the seeds' dialogue replay (tests/dialogues) found missing, on the compiled
/// example shops: the payment reminder of an unpaid order, the complaint flow going on through the
/// buyer's answers, a message that only fills a slot, and the price objection and the close with no
/// cart to price.
/// </summary>
public class SeedReplayEngineTests
{
    private static readonly Model.ShopDefinition Lamp = LampShop.Definition;
    private static readonly Model.ShopDefinition Apparel = ApparelShop.Definition;

    /// <summary>True when a message of the turn is one of the shop's fallback wordings.</summary>
    private static bool SaysFallback(Model.ShopDefinition shop, TurnResult turn) =>
        turn.Messages.Any(m => shop.Fallback.Variants.Any(v => v.Id == m.VariantId));

    [Fact]
    public void AnOrderPlacedAndNotPaidGetsThePaymentReminder()
    {
        var turn = new Conversation(Apparel).Say("在吗 我刚下单了");
        Assert.Equal("order_placed", turn.Intent);
        Assert.Contains(turn.Actions, a => a is FlagOrderAction);
        Assert.Contains("保留3天", turn.Text());
        Assert.Contains("付下款", turn.Text());
    }

    [Theory]
    [InlineData("已付款")]
    [InlineData("在吗 我拍下了 已经付了")]
    public void APaidOrderGetsNoReminder(string message)
    {
        var turn = new Conversation(Apparel).Say(message);
        Assert.Equal("order_placed", turn.Intent);
        Assert.DoesNotContain("付下款", turn.Text());
    }

    [Fact]
    public void TheComplaintFlowGoesOnThroughTheBuyersAnswers()
    {
        var chat = new Conversation(Lamp);
        var confirm = chat.Say("你们的灯坏了 我要投诉");
        Assert.Equal(("complaint", ReplyKinds.Complaint), (confirm.Intent, confirm.ReplyKind));
        Assert.Contains("对吗", confirm.Text());

        // 不亮了 is a complaint trigger: inside the open complaint it continues the flow.
        var apology = chat.Say("对 就是不亮了");
        Assert.Equal(("complaint", ReplyKinds.Complaint), (apology.Intent, apology.ReplyKind));
        Assert.Contains("对不起", apology.Text());
        Assert.DoesNotContain("对吗", apology.Text());

        var remedy = chat.Say("订单号是2026112012345");
        Assert.Equal("complaint", remedy.Intent);
        Assert.Equal("订单号是2026112012345", remedy.Slots["order_no"]);
        Assert.Contains(remedy.Actions, a => a is OfferCouponAction);

        // 「可以的」 answers the opinion question; it is not the close intent of the classifier.
        var follow = chat.Say("可以的");
        Assert.Equal(("complaint", ReplyKinds.Complaint, MatchKind.Continued), (follow.Intent, follow.ReplyKind, follow.Match));
        Assert.Contains("问题解决了吗", follow.Text());
        Assert.Equal(-1, follow.State.ComplaintStep);
    }

    [Fact]
    public void AnEscalationTriggerStillInterruptsTheComplaint()
    {
        var chat = new Conversation(Lamp);
        chat.Say("你们的灯坏了 我要投诉");
        var escalated = chat.Say("找你们领导");
        Assert.Contains(escalated.Actions, a => a is EscalateAction);
        Assert.NotEqual("complaint", escalated.Intent);
    }

    [Theory]
    [InlineData("我家20平米")]
    [InlineData("我家大概20㎡左右")]
    public void AMessageThatOnlyFillsASlotIsAnAnswerNotAnIntent(string message)
    {
        var chat = new Conversation(Lamp);
        chat.Say("在吗");
        var turn = chat.Say(message);
        Assert.EndsWith("20", turn.Slots["area"]); // 「大概20」 is kept as ~20
        Assert.Equal(ReplyKinds.SlotAnswer, turn.ReplyKind);
        Assert.Equal(MatchKind.Continued, turn.Match);
        Assert.NotEqual("authority_objection", turn.Intent);
        Assert.False(SaysFallback(Lamp, turn));
    }

    [Fact]
    public void APriceObjectionWithNoCartExplainsTheValue()
    {
        var turn = new Conversation(Lamp).Say("打个折呗");
        Assert.Equal("price_objection", turn.Intent);
        Assert.False(SaysFallback(Lamp, turn));
        Assert.Null(turn.Pricing);
        // Greeted, then the policy's explain-value step, which states no figure.
        var values = Lamp.Policies.Single(p => p.Name == Lamp.Intents.Single(i => i.Name == "price_objection").Policy).Steps
            .Where(s => s.Kind == ScriptDsl.Bargaining.StepKind.ExplainValue).ToList();
        Assert.Contains(turn.Messages, m => values.Any(s => s.Reply.Variants.Any(v => v.Id == m.VariantId)));
    }

    [Fact]
    public void ACloseWithNoCartAsksWhatTheBuyerWants()
    {
        var chat = new Conversation(Lamp);
        chat.Say("在吗");
        var turn = chat.Say("就这个吧");
        Assert.Equal(("close", ReplyKinds.Close), (turn.Intent, turn.ReplyKind));
        Assert.False(SaysFallback(Lamp, turn));
        Assert.Null(turn.Pricing);
        Assert.NotEqual("", turn.State.PendingSlot);
    }
}
