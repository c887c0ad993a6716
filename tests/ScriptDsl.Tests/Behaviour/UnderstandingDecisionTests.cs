using ScriptDsl.Engine;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>
/// The engine's decision (docs/design/understanding-spec.md §4, docs/engine.md "The decision") on the
/// lamp shop with a trained classifier: slot answers first, triggers, counter-offers, the classifier
/// with its threshold and margin, clarification and the buyer's pick, open work, the fallback.
/// </summary>
public class UnderstandingDecisionTests
{
    private static readonly Model.ShopDefinition Shop = UnderstandingLampShop.Definition;

    private static Conversation Started() => Conversation.Greeted(Shop);

    [Fact]
    public void AParaphraseNoTriggerCoversIsUnderstoodByTheClassifier()
    {
        var chat = Started();
        const string message = "一般要几天能收到啊";
        Assert.DoesNotContain(Shop.Triggers, t => TextNormalizer.Normalize(message).Contains(t.Phrase, StringComparison.Ordinal)
            && Shop.Intents[t.Intent].Name == "shipping");

        var turn = chat.Say(message);
        Assert.Equal("shipping", turn.Intent);
        Assert.Equal(MatchKind.Examples, turn.Match);
        Assert.Equal(ReplyKinds.Intent, turn.ReplyKind);
        var probability = Shop.Understanding.Classifier!.Classify(TextNormalizer.Normalize(message)).BestProbability;
        Assert.Equal(probability, turn.Confidence);
        Assert.True(turn.Confidence >= Shop.Understanding.Threshold);
        Assert.Contains("中通快递", turn.Text());
    }

    [Fact]
    public void ATriggerHitIsCertain()
    {
        var turn = Started().Say("发什么快递?");
        Assert.Equal(("shipping", MatchKind.Trigger, 1.0), (turn.Intent, turn.Match, turn.Confidence));
    }

    [Fact]
    public void TooCloseToCallTheShopAsksWhichOneWithTheLabels()
    {
        var chat = Started();
        var ask = chat.Say(UnderstandingLampShop.AmbiguousExample + "呀");
        Assert.Equal(MatchKind.Clarifying, ask.Match);
        Assert.Equal(ReplyKinds.Clarify, ask.ReplyKind);
        Assert.Equal("", ask.Intent);
        Assert.Equal(["returns", "shipping"], ask.ClarifyOptions.Order(StringComparer.Ordinal));
        var labels = ask.ClarifyOptions.Select(o => Shop.Intents.Single(i => i.Name == o).Label).ToList();
        Assert.Equal($"{Shop.Honorific}, 您是想问{labels[0]}还是{labels[1]}呢?", Assert.Single(ask.Messages).Text);
        Assert.Equal(ask.ClarifyOptions, chat.State.ClarifyOptions);
    }

    [Theory]
    [InlineData("第一个", 0)]
    [InlineData("前面那个吧", 0)]
    [InlineData("后面那个", 1)]
    [InlineData("第二个", 1)]
    public void TheNextMessagePicksAnOptionByItsPlace(string pick, int option)
    {
        var chat = Started();
        var options = chat.Say(UnderstandingLampShop.AmbiguousExample).ClarifyOptions;
        var turn = chat.Say(pick);
        Assert.Equal(options[option], turn.Intent);
        Assert.Equal(MatchKind.Clarified, turn.Match);
        Assert.Empty(chat.State.ClarifyOptions);
    }

    [Fact]
    public void TheNextMessagePicksAnOptionByTheWordsOfItsLabel()
    {
        var chat = Started();
        var options = chat.Say(UnderstandingLampShop.AmbiguousExample).ClarifyOptions;
        var shipping = options.ToList().IndexOf("shipping");
        Assert.True(shipping >= 0);

        // 「时间」 is in the label 「发货时间和快递」 only; it is no trigger of either rule.
        var turn = chat.Say("我问的是时间");
        Assert.Equal(("shipping", MatchKind.Clarified), (turn.Intent, turn.Match));
    }

    [Fact]
    public void NamingAnOptionByItsTriggerIsAPickToo()
    {
        var chat = Started();
        chat.Say(UnderstandingLampShop.AmbiguousExample);
        var turn = chat.Say("退换货");
        Assert.Equal(("returns", MatchKind.Clarified, 1.0), (turn.Intent, turn.Match, turn.Confidence));
    }

    [Fact]
    public void SomethingElseAfterAClarificationIsJustTheNextMessage()
    {
        var chat = Started();
        chat.Say(UnderstandingLampShop.AmbiguousExample);
        var turn = chat.Say("你家灯怎么这么贵");
        Assert.Equal(("price_objection", MatchKind.Trigger), (turn.Intent, turn.Match));
        Assert.Empty(chat.State.ClarifyOptions);
    }

    [Fact]
    public void TheSameClarificationIsNeverAskedTwiceInARow()
    {
        var chat = Started();
        chat.Say(UnderstandingLampShop.AmbiguousExample);
        var again = chat.Say(UnderstandingLampShop.AmbiguousExample + "啊");
        Assert.NotEqual(MatchKind.Clarifying, again.Match);
    }

    [Fact]
    public void AnOlderStateWithoutClarificationFieldsUpgrades()
    {
        var chat = Started();
        var json = ConversationStateJson.Serialize(chat.State);
        var v1 = json.Replace("\"version\":" + ConversationState.CurrentVersion, "\"version\":1", StringComparison.Ordinal)
            .Replace(",\"clarify_options\":[]", "", StringComparison.Ordinal)
            .Replace(",\"agreed_total_minor\":0", "", StringComparison.Ordinal);
        Assert.DoesNotContain("clarify_options", v1);
        Assert.Contains("\"version\":1", v1);

        var upgraded = ConversationStateJson.Deserialize(v1);
        Assert.Equal(ConversationState.CurrentVersion, upgraded.Version);
        Assert.Empty(upgraded.ClarifyOptions);
        Assert.Equal(0, upgraded.AgreedTotalMinor);
        Assert.Equal("shipping", ConversationEngine.Turn(Shop, upgraded, "发什么快递", BuyerContext.Empty).Intent);
    }

    [Fact]
    public void AClarificationOfAnIntentTheScriptNoLongerHasIsDropped()
    {
        var state = Started().State with { ClarifyOptions = ["shipping", "gone"], ScriptHash = "older" };
        Assert.Empty(StateValidator.Revalidate(Shop, state).ClarifyOptions);
    }

    [Fact]
    public void TheFirstMessageIsGreetedAndAnsweredWhenTheClassifierUnderstandsIt()
    {
        var chat = new Conversation(Shop);
        var turn = chat.Say("一般几天能到啊");
        Assert.Equal("shipping", turn.Intent);
        Assert.Equal(MatchKind.Examples, turn.Match);
        Assert.Equal(2, turn.Messages.Count);
        Assert.Contains("欢迎光临", turn.Messages[0].Text);
        Assert.Contains("中通快递", turn.Messages[1].Text);
    }

    [Fact]
    public void TheFirstMessageIsGreetedAndAnsweredWhenATriggerUnderstandsIt()
    {
        // 「在吗 包邮吗」: a greeting and a shipping question; the greeting is said and the question answered.
        var turn = new Conversation(Shop).Say("在吗 包邮吗");
        Assert.Equal(("shipping", MatchKind.Trigger), (turn.Intent, turn.Match));
        Assert.Contains("欢迎光临", turn.Messages[0].Text);
        Assert.Contains("中通快递", turn.Text());
    }

    [Fact]
    public void AFirstComplaintIsGreetedAndTakenUp()
    {
        var turn = new Conversation(Shop).Say("灯装上不亮怎么回事");
        Assert.Equal("complaint", turn.Intent);
        Assert.Equal(ReplyKinds.Complaint, turn.ReplyKind);
        Assert.Contains("欢迎光临", turn.Messages[0].Text);
    }

    [Fact]
    public void AFirstMessageNothingUnderstandsIsGreetedAndReportedAsNotUnderstood()
    {
        var turn = new Conversation(Shop).Say("qwxz");
        Assert.Equal(MatchKind.Fallback, turn.Match);
        Assert.Equal(0, turn.Confidence);
        Assert.Contains("欢迎光临", Assert.Single(turn.Messages).Text);
    }

    [Fact]
    public void APlainGreetingIsATriggeredGreeting()
    {
        var turn = new Conversation(Shop).Say("在吗");
        Assert.Equal(("greet", MatchKind.Trigger, ReplyKinds.Intent), (turn.Intent, turn.Match, turn.ReplyKind));
    }

    [Fact]
    public void LaterAGreetingAndAQuestionAnswerTheQuestion()
    {
        var turn = Started().Say("在吗 包邮吗");
        Assert.Equal("shipping", turn.Intent);
        Assert.DoesNotContain("欢迎光临", turn.Text());
    }

    [Fact]
    public void TooExpensiveAndThinkingItOverIsTheTimingObjection()
    {
        // 「太贵了 我再想想」: the longer, more specific phrase decides; the seed answers 「这么贵啊! 我考虑考虑下」
        // with the split over the use period, the timing answer.
        var turn = Started().Say("太贵了 我再想想");
        Assert.Equal("timing_objection", turn.Intent);
    }

    [Fact]
    public void AnAnswerToTheOpenQuestionContinuesItAndIsNotClassified()
    {
        var chat = new Conversation(Shop);
        var first = chat.Say("老板,请给我推荐一款卧室灯");
        var asked = chat.State.PendingSlot;
        Assert.Equal("style", asked);

        var style = chat.Say("北欧的");
        Assert.Equal(("recommend", MatchKind.Continued, ReplyKinds.SlotAnswer), (style.Intent, style.Match, style.ReplyKind));
        Assert.Equal("shape", chat.State.PendingSlot);

        var shape = chat.Say("方的");
        Assert.Equal("方形", shape.Slots["shape"]);
        Assert.Equal(MatchKind.Continued, shape.Match);
        Assert.Contains(shape.Actions, a => a is RecommendItemAction);
        Assert.NotNull(first);
    }

    [Fact]
    public void AnAcknowledgementInsideTheComplaintFlowContinuesIt()
    {
        var chat = Started();
        chat.Say("灯不亮了, 质量问题");
        var turn = chat.Say("好的");
        Assert.Equal(("complaint", MatchKind.Continued, ReplyKinds.Complaint), (turn.Intent, turn.Match, turn.ReplyKind));
        Assert.Contains("对不起", turn.Text());
    }

    [Theory]
    [InlineData("我家20平")]
    [InlineData("订单号20261122001")]
    [InlineData("两个")]
    [InlineData("13812345678")]
    [InlineData("买2个300一个行吗")]
    public void NumbersThatAreNoAskNeverBargain(string message)
    {
        var chat = new Conversation(Shop, Conversation.WithCart(Shop, ("KT-880", 1), ("NB-201", 1)));
        chat.Say("在吗");
        var turn = chat.Say(message);
        Assert.NotEqual(ReplyKinds.Negotiate, turn.ReplyKind);
        Assert.Null(turn.Pricing);
        Assert.Equal(0, chat.State.Bargaining.Round);
    }

    [Fact]
    public void ACounterOfferWithoutACartIsNotTakenAsOne()
    {
        var turn = Started().Say("900行不行");
        Assert.NotEqual(ReplyKinds.Negotiate, turn.ReplyKind);
        Assert.Null(turn.Pricing);
    }

    [Fact]
    public void AMoneyAnswerToTheBudgetQuestionIsASlotNotACounterOffer()
    {
        var chat = new Conversation(Shop, Conversation.WithCart(Shop, ("KT-880", 1), ("NB-201", 1)));
        chat.Say("在吗");
        var state = chat.State with { PendingSlot = "budget", PendingIntent = "recommend" };
        var turn = ConversationEngine.Turn(Shop, state, "900", chat.Context);
        Assert.Equal("90000", turn.Slots["budget"]);
        Assert.Equal(MatchKind.Continued, turn.Match);
        Assert.Null(turn.Pricing);
    }

    [Fact]
    public void ACartThePolicyCannotPriceDoesNotBreakAMessageAboutSomethingElse()
    {
        var broken = new BuyerContext("new", new Templates.CartView([new Templates.CartLineView("KT-880", "现代客厅方形吸顶灯", 0, 1, "客厅")]),
            new Dictionary<string, string>());
        var chat = new Conversation(Shop, broken);
        chat.Say("在吗");
        var turn = chat.Say("900行不行");
        Assert.NotEqual(ReplyKinds.Negotiate, turn.ReplyKind);
        Assert.NotEmpty(turn.Messages);
    }

    [Fact]
    public void TheFallbackReportsNoConfidence()
    {
        var turn = Started().Say("qwxz");
        Assert.Equal(("", MatchKind.Fallback, ReplyKinds.Fallback, 0.0), (turn.Intent, turn.Match, turn.ReplyKind, turn.Confidence));
    }
}
