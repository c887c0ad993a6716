using ScriptDsl.Engine;
using ScriptDsl.Generated;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>The apparel shop of seeds/001: size by height and weight, payment reminder, clearance exchange-only.</summary>
public class ApparelShopConversationTests
{
    private static readonly Model.ShopDefinition Shop = ApparelShop.Definition;

    [Fact]
    public void TheSizeQuestionAsksHeightAndWeightThenAdvisesASize()
    {
        var chat = new Conversation(Shop);
        var first = chat.Say("你好, 这件T恤我穿多大码?");
        Assert.Equal("size_help", first.Intent);
        Assert.Contains("身高", first.Text());

        var second = chat.Say("165cm");
        Assert.Equal("165", second.Slots["height"]);
        Assert.Contains("体重", second.Text());

        var third = chat.Say("52kg");
        Assert.Equal("52", third.Slots["weight"]);
        Assert.Contains("修身一点还是宽松一点", third.Text());
        Assert.Empty(third.Actions);

        var fourth = chat.Say("合身一点的");
        Assert.Equal("修身", fourth.Slots["fit"]);
        var advice = Assert.IsType<RecommendItemAction>(Assert.Single(fourth.Actions));
        Assert.Equal("TX-M", advice.Sku);
        Assert.Contains("M码", fourth.Text());
    }

    [Fact]
    public void HeightAndWeightInOneMessageFillBothSlots()
    {
        var chat = new Conversation(Shop);
        chat.Say("在吗");
        var turn = chat.Say("身高172厘米, 体重65公斤, 穿什么码");
        Assert.Equal("172", turn.Slots["height"]);
        Assert.Equal("65", turn.Slots["weight"]);
    }

    [Fact]
    public void ClearanceItemsAreExchangeOnly()
    {
        var chat = new Conversation(Shop);
        chat.Say("在吗");
        var clearance = chat.Say("这个清仓特价的能退货吗");
        Assert.Equal("clearance", clearance.Intent);
        Assert.Contains("在换的范围会尽量给亲换的, 但不宜退货", clearance.Text());

        var returns = chat.Say("正价的衣服能退吗");
        Assert.Equal("returns", returns.Intent);
        Assert.Contains("特价清仓商品只换不退", returns.Text());
    }

    [Fact]
    public void ThePaymentReminderKeepsTheOrderThreeDays()
    {
        Assert.NotNull(Shop.PaymentReminder);
        Assert.Equal(3, Shop.PaymentReminder!.WithinDays);
        var text = Shop.PaymentReminder.Reply.Variants[0].Template.Render(new Templates.ScriptScope
        {
            Shop = Shop,
            Slots = SlotValues.From(Shop, new Dictionary<string, string>()),
        });
        Assert.Contains("保留3天", text);
    }
}
