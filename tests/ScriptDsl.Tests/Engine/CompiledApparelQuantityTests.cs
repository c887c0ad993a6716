using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Tests.Behaviour;

namespace ScriptDsl.Tests.Engine;

/// <summary>
/// The quantities of <see cref="QuantityEngineTests"/> on the compiled scripts/apparel_shop.csdsl,
/// whose <c>unit "斤" = 0.5 kg</c> and <c>unit "米" = 100 cm</c> reach the engine as the slots' unit factors.
/// </summary>
public class CompiledApparelQuantityTests
{
    private static readonly Model.ShopDefinition Shop = ApparelShop.Definition;

    [Fact]
    public void TheScriptsUnitsReachTheSlots()
    {
        var height = Shop.Slots.Single(s => s.Name == "height");
        var weight = Shop.Slots.Single(s => s.Name == "weight");
        Assert.Contains(height.UnitFactors, u => u.Word == "米" && u.Factor == 100m);
        Assert.Contains(weight.UnitFactors, u => u.Word == "斤" && u.Factor == 0.5m);
    }

    [Fact]
    public void HeightAndWeightInJinFillBothSlots()
    {
        var chat = new Conversation(Shop);
        chat.Say("在吗");
        var asked = chat.Say("这件T恤我穿多大码?");
        Assert.Contains("身高", asked.Text());

        var answer = chat.Say("我身高165体重110斤");
        Assert.Equal("165", answer.Slots["height"]);
        Assert.Equal("55", answer.Slots["weight"]);
        Assert.Contains("修身一点还是宽松一点", answer.Text());
    }

    [Fact]
    public void YiMiQiAndSixtyFiveKgAdviseL()
    {
        var chat = new Conversation(Shop);
        chat.Say("你好, 穿多大码");
        var answer = chat.Say("一米七，65kg");
        Assert.Equal("170", answer.Slots["height"]);
        Assert.Equal("65", answer.Slots["weight"]);

        var advice = chat.Say("合身一点的");
        var action = Assert.IsType<RecommendItemAction>(Assert.Single(advice.Actions));
        Assert.Equal("TX-L", action.Sku);
        Assert.Contains("L码", advice.Text());
    }

    [Theory]
    [InlineData("一米七", "170")]
    [InlineData("1米7", "170")]
    [InlineData("1.7米", "170")]
    [InlineData("170", "170")]
    [InlineData("一米六五", "165")]
    [InlineData("1米65", "165")]
    public void HeightsAsPeopleWriteThem(string message, string expected)
    {
        var chat = new Conversation(Shop);
        chat.Say("你好, 穿多大码");
        Assert.Equal(expected, chat.Say(message).Slots["height"]);
    }
}
