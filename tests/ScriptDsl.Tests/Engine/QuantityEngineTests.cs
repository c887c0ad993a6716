using ScriptDsl.Engine;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Engine;

/// <summary>
/// Quantities through the whole turn on hand-built shops: declared unit factors (斤, 米), heights as
/// people write them, unitless answers inside a longer message, approximate budgets and how a
/// recommendation's conditions read them.
/// </summary>
public class QuantityEngineTests
{
    // The apparel shop of scripts/apparel_shop.csdsl, by hand, with `unit "米" = 100 cm` and
    // (when declared) `unit "斤" = 0.5 kg`; the recommend conditions are what the generator emits
    // for `height < 160 and weight <= 50` and so on.
    private static ShopDefinition Apparel(bool declareJin = true) => new TestShop()
        .Slot("height", SlotKind.Number, "亲, 方便说一下您的身高吗? 帮您参考尺码哦~", units: ["cm", "厘米", "公分"], factors: [new UnitFactor("米", 100m)])
        .Slot("weight", SlotKind.Number, "亲, 体重大概多少公斤呢?", units: ["kg", "公斤"], factors: declareJin ? [new UnitFactor("斤", 0.5m)] : [])
        .Slot("fit", SlotKind.Choice, "亲喜欢修身一点还是宽松一点的呢?", ["修身", "宽松"],
            synonyms: new() { ["修身"] = ["紧身", "合身"], ["宽松"] = ["oversize", "宽大"] })
        .Item("TX-S", "纯棉T恤 S码", 8900, "上衣")
        .Item("TX-M", "纯棉T恤 M码", 8900, "上衣")
        .Item("TX-L", "纯棉T恤 L码", 8900, "上衣")
        .Item("TX-XL", "纯棉T恤 XL码", 9900, "上衣")
        .Stage("welcome", next: "sizing")
        .Stage("sizing")
        .Recommend("size_advice", "亲, 根据您的身高体重, 建议选{item}呢",
            (s => s.Slots[0].IsFilled && s.Slots[0].Number < 160m && s.Slots[1].IsFilled && s.Slots[1].Number <= 50m, "TX-S"),
            (s => s.Slots[0].IsFilled && s.Slots[0].Number < 168m && s.Slots[1].IsFilled && s.Slots[1].Number <= 60m, "TX-M"),
            (s => s.Slots[0].IsFilled && s.Slots[0].Number < 175m && s.Slots[1].IsFilled && s.Slots[1].Number <= 70m && !(s.Slots[2].IsFilled && s.Slots[2].Choice == 1), "TX-L"),
            (null, "TX-XL"))
        .Intent("welcome", IntentKind.Stage, "welcome", ["在吗", "你好"], ["欢迎光临小青衣橱, 请问有什么可以帮忙的呢?"], onStart: true)
        .Intent("size_help", IntentKind.Stage, "sizing", ["尺码", "多大码", "穿多大"], ["好的呢亲, 帮您看看尺码哈~"], ask: ["height", "weight", "fit"], then: "size_advice")
        .Build();

    // A lamp shop whose recommendation depends on the budget only: < 300 → TY-100, < 600 → NB-201, else KT-880.
    private static ShopDefinition BudgetShop() => new TestShop()
        .Slot("room", SlotKind.Choice, "您是要买什么灯用在什么地方呢?", ["客厅", "卧室"])
        .Slot("budget", SlotKind.Money, "您大概想要买多少价位的灯具呢?")
        .Item("TY-100", "百搭吸顶灯", 19900, "卧室")
        .Item("NB-201", "北欧简约卧室吸顶灯", 39900, "卧室")
        .Item("KT-880", "现代客厅吸顶灯", 78500, "客厅")
        .Stage("consult")
        .Recommend("recommend", "亲, 预算{budget}元的话, 推荐这款{item}呢",
            (s => s.Slots[1].IsFilled && s.Slots[1].Money < 30000L, "TY-100"),
            (s => s.Slots[1].IsFilled && s.Slots[1].Money < 60000L, "NB-201"),
            (null, "KT-880"))
        .Intent("recommend", IntentKind.Stage, "consult", ["推荐"], ask: ["room", "budget"], then: "recommend", onStart: true)
        .Build();

    private static TurnResult Say(ShopDefinition shop, ref ConversationState state, string message)
    {
        var result = ConversationEngine.Turn(shop, state, message, BuyerContext.Empty);
        state = result.State;
        return result;
    }

    private static ConversationState AskedHeight(ShopDefinition shop) =>
        ConversationState.New(shop.Id, shop.SourceHash) with { Turn = 2, Stage = "sizing", PendingSlot = "height", PendingIntent = "size_help", Asked = ["height"] };

    [Fact]
    public void HeightAndWeightInJinFillBothSlotsWhenJinIsDeclared()
    {
        var shop = Apparel();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "在吗");
        var asked = Say(shop, ref state, "这件T恤我穿多大码?");
        Assert.Contains("身高", asked.Messages[^1].Text);

        var answer = Say(shop, ref state, "我身高165体重110斤");
        Assert.Equal("165", answer.Slots["height"]);
        Assert.Equal("55", answer.Slots["weight"]);
        Assert.Contains("修身一点还是宽松一点", answer.Messages[^1].Text);
    }

    [Fact]
    public void JinIsNoWeightUnitUnlessTheScriptDeclaresIt()
    {
        var shop = Apparel(declareJin: false);
        var state = AskedHeight(shop);
        var answer = Say(shop, ref state, "我身高165体重110斤");
        Assert.Equal("165", answer.Slots["height"]);
        Assert.False(answer.Slots.ContainsKey("weight"));
    }

    [Fact]
    public void YiMiQiAndSixtyFiveKgAdviseL()
    {
        var shop = Apparel();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "你好, 穿多大码");
        var answer = Say(shop, ref state, "一米七，65kg");
        Assert.Equal("170", answer.Slots["height"]);
        Assert.Equal("65", answer.Slots["weight"]);

        var advice = Say(shop, ref state, "修身");
        var action = Assert.IsType<RecommendItemAction>(Assert.Single(advice.Actions));
        Assert.Equal("TX-L", action.Sku);
        Assert.Contains("L码", advice.Messages[^1].Text);
    }

    [Theory]
    [InlineData("一米七", "170")]
    [InlineData("1米7", "170")]
    [InlineData("1.7米", "170")]
    [InlineData("170", "170")]
    [InlineData("一米六五", "165")]
    [InlineData("1米65", "165")]
    [InlineData("165cm", "165")]
    [InlineData("一百七十", "170")]
    [InlineData("我一米七二", "172")]
    [InlineData("170左右吧", "~170")]
    public void HeightsAsPeopleWriteThemAnswerTheHeightQuestion(string message, string expected)
    {
        var shop = Apparel();
        var state = AskedHeight(shop);
        Assert.Equal(expected, Say(shop, ref state, message).Slots["height"]);
    }

    [Theory]
    [InlineData("2个")]
    [InlineData("11月11号能到吗")]
    [InlineData("13812345678")]
    [InlineData("订单号123456789")]
    [InlineData("双11有活动吗")]
    [InlineData("帮我看一下")]
    [InlineData("第2件半价吗")]
    [InlineData("2026-11-11")]
    public void CountsDatesAndIdsDoNotAnswerTheHeightQuestion(string message)
    {
        var shop = Apparel();
        var state = AskedHeight(shop);
        Assert.False(Say(shop, ref state, message).Slots.ContainsKey("height"));
    }

    [Fact]
    public void TwoUnitlessNumbersAnswerNothing()
    {
        // Which one is the height? The engine does not guess; the question stays open.
        var shop = Apparel();
        var state = AskedHeight(shop);
        var result = Say(shop, ref state, "165 170");
        Assert.False(result.Slots.ContainsKey("height"));
    }

    [Theory]
    [InlineData("两百多", "20000+..30000", "TY-100")]        // middle 250 < 300
    [InlineData("三四百", "30000..40000", "NB-201")]          // middle 350
    [InlineData("500左右", "~50000", "NB-201")]               // the value named: 500
    [InlineData("不超过800", "..80000", "KT-880")]            // the most the buyer will spend: 800
    [InlineData("800以内吧", "..80000", "KT-880")]
    [InlineData("最多800块", "..80000", "KT-880")]
    [InlineData("至少300", "30000..", "NB-201")]              // the least named: 300
    [InlineData("1000-2000", "100000..200000", "KT-880")]
    [InlineData("预算两百多", "20000+..30000", "TY-100")]
    [InlineData("299", "29900", "TY-100")]
    public void ApproximateBudgetsAreRecordedAndCompared(string message, string recorded, string sku)
    {
        var shop = BudgetShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "推荐一款灯");
        var budgetAsked = Say(shop, ref state, "卧室");
        Assert.Contains("价位", budgetAsked.Messages[^1].Text);

        var result = Say(shop, ref state, message);
        Assert.Equal(recorded, result.Slots["budget"]);
        var action = Assert.IsType<RecommendItemAction>(Assert.Single(result.Actions));
        Assert.Equal(sku, action.Sku);
    }

    [Fact]
    public void ARepliesShowsAnApproximateBudgetTheWayTheBuyerMeantIt()
    {
        var shop = BudgetShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "推荐一款灯");
        Say(shop, ref state, "卧室");
        var result = Say(shop, ref state, "两百多");
        Assert.Contains("预算200多元的话", result.Messages[^1].Text);
    }

    [Fact]
    public void AnApproximateValueSurvivesTheStateRoundTrip()
    {
        var shop = BudgetShop();
        var state = ConversationState.New(shop.Id, shop.SourceHash);
        Say(shop, ref state, "推荐一款灯");
        Say(shop, ref state, "卧室");
        Say(shop, ref state, "三四百");

        var json = ConversationStateJson.Serialize(state);
        var back = ConversationStateJson.Deserialize(json);
        var values = SlotValues.From(shop, back.Slots);
        Assert.True(values[1].IsApproximate);
        Assert.Equal(30000, values[1].MoneyLow);
        Assert.Equal(40000, values[1].MoneyHigh);
        Assert.Equal(35000, values[1].Money);
    }
}
