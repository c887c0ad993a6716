using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Tests.Behaviour;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// The lamp shop's area slot reads the ways buyers write a floor area (平, 平米, 平方, 平方米, 个平方, ㎡),
/// declared as the slot's unit words in scripts/lamp_shop.csdsl, through the compiled shop and the
/// engine: the value lands in the slot (exact, approximate or "and more"), the message is a slot
/// answer (not classified, not the fallback), and the recommendation's <c>area &gt;= 20</c> decides on it.
/// </summary>
public class LampAreaUnitTests
{
    private static readonly Model.ShopDefinition Lamp = LampShop.Definition;

    private static bool SaysFallback(TurnResult turn) =>
        turn.Messages.Any(m => Lamp.Fallback.Variants.Any(v => v.Id == m.VariantId));

    [Theory]
    [InlineData("我家20平", "20")]
    [InlineData("15平米左右", "~15")]
    [InlineData("大概18平方米", "~18")]
    [InlineData("30个平方", "30")]
    [InlineData("25平方", "25")]
    [InlineData("20㎡", "20")]
    [InlineData("二十平", "20")]
    public void AnAreaInAnyOfTheBuyersUnitsFillsTheSlotAndIsAnAnswer(string message, string area)
    {
        var chat = new Conversation(Lamp);
        chat.Say("在吗");
        var turn = chat.Say(message);
        Assert.True(turn.Slots.TryGetValue("area", out var value), $"「{message}」 filled no area");
        Assert.Equal(area, value);
        Assert.Equal((ReplyKinds.SlotAnswer, MatchKind.Continued), (turn.ReplyKind, turn.Match));
        Assert.False(SaysFallback(turn));
    }

    [Fact]
    public void AnApproximateAreaAndARoomInOneMessageFillBothSlots()
    {
        var chat = new Conversation(Lamp);
        chat.Say("在吗");
        var turn = chat.Say("二十多平的客厅");
        Assert.Equal("20+..30", turn.Slots["area"]);
        Assert.Equal("客厅", turn.Slots["room"]);
        Assert.False(SaysFallback(turn));
    }

    [Fact]
    public void TheFirstMessageWithAnAreaIsGreetedAndTheAreaKept()
    {
        var turn = new Conversation(Lamp).Say("我家20平");
        Assert.Equal("20", turn.Slots["area"]);
        Assert.Contains("欢迎光临", turn.Text());
        Assert.False(SaysFallback(turn));
    }

    [Theory]
    [InlineData("二十多平", "KT-880")] // 20–30 is at least 20: the big square lamp
    [InlineData("15平米左右", "KT-660")] // about 15 is not: the round one
    public void TheAreaDecidesTheLivingRoomLamp(string area, string sku)
    {
        var chat = new Conversation(Lamp);
        chat.Say("老板 推荐一款客厅灯");
        chat.Say("现代简约");
        chat.Say(area);
        var turn = chat.Say("圆的");
        var recommended = turn.Actions.OfType<RecommendItemAction>().Select(a => a.Sku).ToList();
        Assert.True(recommended.Count == 1, $"no single recommendation: {turn.Text()} [{string.Join(", ", turn.Slots.Select(s => s.Key + "=" + s.Value))}]");
        Assert.Equal(sku, recommended[0]);
    }
}
