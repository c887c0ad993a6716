using ScriptDsl.Engine;
using ScriptDsl.Generated;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>Whole conversations from the lamp shop's presale standard (seeds/000), on the compiled scripts/lamp_shop.csdsl.</summary>
public class LampShopConversationTests
{
    private static readonly Model.ShopDefinition Shop = LampShop.Definition;

    [Fact]
    public void TheBedroomLampDialogueAsksBeforeItRecommends()
    {
        var chat = new Conversation(Shop);

        // 买家: 老板, 请给我推荐一款卧室灯 — greeted at once, and asked, not blindly recommended to.
        var first = chat.Say("老板,请给我推荐一款卧室灯");
        Assert.Equal("recommend", first.Intent);
        Assert.Contains("欢迎光临明亮灯饰", first.Text());
        Assert.Contains("风格", first.Text());
        Assert.DoesNotContain(first.Actions, a => a is RecommendItemAction);
        Assert.Equal("卧室", first.Slots["room"]);

        // 买家: 我更喜欢方形的
        var second = chat.Say("我更喜欢方形的");
        Assert.Equal("方形", second.Slots["shape"]);
        Assert.DoesNotContain(second.Actions, a => a is RecommendItemAction);
        Assert.Equal("consult", second.Stage);

        // 买家: 我家是北欧装修风格, 想要简单一点的 — now the recommendation fits.
        var third = chat.Say("我家是北欧装修风格,想要简单一点的");
        Assert.Equal("北欧", third.Slots["style"]);
        var recommended = Assert.IsType<RecommendItemAction>(Assert.Single(third.Actions));
        Assert.Equal("NB-201", recommended.Sku);
        Assert.Contains("北欧简约卧室吸顶灯", third.Text());
        Assert.True(chat.State.Asked.Count >= Shop.MinQuestionsBeforeRecommend);
    }

    [Fact]
    public void AFilledSlotIsNeverAskedAgain()
    {
        var chat = new Conversation(Shop);
        chat.Say("你好");
        var turn = chat.Say("我家客厅, 北欧风, 喜欢圆的, 推荐一款吧");
        Assert.Equal("客厅", turn.Slots["room"]);
        Assert.Equal("北欧", turn.Slots["style"]);
        Assert.Equal("圆形", turn.Slots["shape"]);
        Assert.DoesNotContain("风格", turn.Text());
        Assert.DoesNotContain("圆形的呢", turn.Text());
        Assert.DoesNotContain(chat.State.Asked, a => a is "room" or "style" or "shape");
    }

    [Fact]
    public void QuickPhrasesAnswerShippingAndReturnsInAnyStage()
    {
        var chat = new Conversation(Shop);
        chat.Say("在吗");
        var shipping = chat.Say("发什么快递? 几天到?");
        Assert.Equal("shipping", shipping.Intent);
        Assert.Contains("中通快递", shipping.Text());
        Assert.Contains("48小时", shipping.Text());

        var returns = chat.Say("可以七天无理由退换吗");
        Assert.Equal("returns", returns.Intent);
    }

    [Theory]
    [InlineData("用不上这么多", "need_objection")]
    [InlineData("最近钱不够", "budget_objection")]
    [InlineData("我得问问老公", "authority_objection")]
    [InlineData("没见过这个牌子", "product_objection")]
    [InlineData("你不专业, 换个客服", "agent_objection")]
    [InlineData("我再想想", "timing_objection")]
    public void TheSevenObjectionsAreRecognised(string message, string intent)
    {
        var chat = new Conversation(Shop);
        chat.Say("在吗");
        Assert.Equal(intent, chat.Say(message).Intent);
    }

    [Fact]
    public void NotExpensiveIsNotAPriceObjection()
    {
        var chat = new Conversation(Shop);
        chat.Say("在吗");
        Assert.NotEqual("price_objection", chat.Say("不贵").Intent);
        Assert.Equal("price_objection", chat.Say("你家灯怎么这么贵?").Intent);
    }

    [Fact]
    public void AfterTheOrderTheShopFlagsItCrossSellsAndSaysGoodbyeLast()
    {
        var chat = new Conversation(Shop, Conversation.WithCart(Shop, ("KT-880", 1)));
        chat.Say("在吗");

        // 买家: 我已经拍下了, 请尽快发货
        var placed = chat.Say("我已经拍下了,请尽快发货");
        Assert.Equal("order_placed", placed.Intent);
        Assert.Contains("感谢您光临本店", placed.Text());
        Assert.Contains(placed.Actions, a => a is FlagOrderAction { Color: "red" });
        Assert.Contains("一起买", placed.Text()); // 关联销售 after a living-room lamp
        Assert.Contains(placed.Actions, a => a is RecommendItemAction r && r.Sku != "KT-880");

        // 买家: 谢谢! — 客服: 应该的, 您的满意是我们最大的动力!
        var thanks = chat.Say("谢谢!");
        Assert.Equal("farewell", thanks.Intent);
        Assert.Contains("您的满意是我们最大的动力", thanks.Text());

        // Whatever comes next, the shop still answers: it speaks last.
        Assert.NotEmpty(chat.Say("好的").Messages);
    }

    [Fact]
    public void AComplaintFollowsTheSeedsOrder()
    {
        var chat = new Conversation(Shop);
        var confirm = chat.Say("灯不亮了, 质量问题");
        Assert.Equal("complaint", confirm.Intent);
        Assert.Contains("对吗", confirm.Text());

        var apologize = chat.Say("对的");
        Assert.Contains("对不起", apologize.Text());
        Assert.Contains("订单号", apologize.Text());

        var remedy = chat.Say("订单号是 20261122001");
        Assert.Equal("订单号是 20261122001", remedy.Slots["order_no"]);
        Assert.Contains("优惠券", remedy.Text());
        Assert.Contains("您看可以吗", remedy.Text());
        Assert.Contains(remedy.Actions, a => a is OfferCouponAction { AmountMinor: 2000 });

        var follow = chat.Say("可以");
        Assert.Contains("问题解决了吗", follow.Text());
        Assert.Equal(-1, follow.State.ComplaintStep);
    }

    [Fact]
    public void EscalationHandsOverToAPerson()
    {
        var chat = new Conversation(Shop);
        var turn = chat.Say("我要找你们领导");
        Assert.Contains(turn.Actions, a => a is EscalateAction { To: "售后主管" });
    }
}
