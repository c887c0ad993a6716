using ScriptDsl.Understanding;
using ScriptService.Tooling;

namespace ScriptService.Tests.Tooling;

/// <summary>The nlu-report command on the compiled shops and on phrasings with a known outcome.</summary>
public class NluReportCommandTests
{
    private static readonly IReadOnlyList<ScriptDsl.Model.ShopDefinition> Shops =
        ScriptDsl.Generated.ShopCatalog.Shops.Select(s => s.Definition()).ToList();

    private static (int Code, string Text) Run(params string[] args)
    {
        var output = new StringWriter();
        var code = NluReportCommand.Run(args, Shops, output);
        return (code, output.ToString());
    }

    [Fact]
    public void TheLampShopIsReportedByCrossValidationOrSaysWhatItLacks()
    {
        var lamp = Shops.Single(s => s.Id == "lamp_shop");
        var (code, text) = Run("--shop", "lamp_shop", "--folds", "4");
        if (lamp.Understanding.Examples.Count == 0)
        {
            Assert.Equal(1, code);
            Assert.Contains("lamp_shop has no examples", text);
            return;
        }

        Assert.Equal(0, code);
        Assert.Contains($"lamp_shop: {lamp.Understanding.Examples.Count} phrasings", text);
        Assert.Contains("4-fold cross-validation", text);
        Assert.Contains("precision  recall", text);
        foreach (var intent in lamp.Understanding.Examples.Select(e => e.Intent).Distinct())
        {
            Assert.Contains("\n" + intent + " ", text);
        }
    }

    [Fact]
    public void ThePrintedFiguresAreThoseOfTheCrossValidation()
    {
        TrainingExample[] examples =
        [
            new("shipping", "什么时候发货"), new("shipping", "几天发货"), new("shipping", "发货快吗"), new("shipping", "今天发货吗"),
            new("price_objection", "便宜点吧"), new("price_objection", "能便宜吗"), new("price_objection", "便宜一点"), new("price_objection", "再便宜些"),
            new("price_objection", "明天发货吗"),
        ];
        var output = new StringWriter();
        Assert.Equal(0, NluReportCommand.Write("test_shop", examples, 4, 10, output));
        var text = output.ToString();
        var expected = IntentEvaluation.CrossValidate(examples, 4);
        Assert.Contains("test_shop: 9 phrasings of 2 intents, 4-fold cross-validation", text);
        Assert.Contains($"({expected.Correct} of 9)", text);
        Assert.Contains("price_objection -> shipping", text);
        Assert.Contains("\"明天发货吗\"  price_objection", text);
    }

    [Theory]
    [InlineData(new string[0], "--shop is required")]
    [InlineData(new[] { "--shop" }, "it needs a value")]
    [InlineData(new[] { "--shop", "lamp_shop", "--folds", "1" }, "unexpected '--folds'")]
    [InlineData(new[] { "--shop", "lamp_shop", "--color" }, "unexpected '--color'")]
    [InlineData(new[] { "--shop", "no_such_shop" }, "there is no shop 'no_such_shop'; the compiled shops are: apparel_shop, lamp_shop")]
    public void BadUsageIsExplainedWithExitCodeTwo(string[] args, string message)
    {
        var (code, text) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, text);
    }
}
