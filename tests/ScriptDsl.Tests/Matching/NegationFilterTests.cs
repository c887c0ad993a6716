using ScriptDsl.Matching;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Matching;

public class NegationFilterTests
{
    private static readonly NegationFilter Price = new(["不", "不太", "没", "没有", "一点也不"]);

    [Theory]
    [InlineData("不贵", true)]
    [InlineData("一点也不贵", true)]
    [InlineData("不太贵", true)]
    [InlineData("不是很贵", true)]
    [InlineData("也不算贵", true)]
    [InlineData("没那么贵", true)]
    [InlineData("没有那么贵", true)]
    [InlineData("不是特别贵", true)]
    [InlineData("太贵了", false)]
    [InlineData("好贵", false)]
    [InlineData("不, 贵", false)]
    [InlineData("不，太贵了", false)]
    [InlineData("不觉得贵", false)]
    [InlineData("不是非常特别贵", false)] // four adverbs: past the limit of three
    [InlineData("贵", false)]
    public void DecidesWhetherTheTriggerWordIsNegated(string message, bool negated)
    {
        string text = TextNormalizer.Normalize(message);
        int start = text.LastIndexOf('贵');
        Assert.Equal(negated, Price.IsNegated(text, start));
    }

    [Fact]
    public void WorksOnAutomatonHits()
    {
        var builder = new TriggerAutomatonBuilder();
        builder.Add("贵", 1);
        builder.Add("太贵", 1);
        var automaton = new TriggerAutomaton(builder.Build());
        const string text = "不太贵";
        List<TriggerHit> hits = automaton.FindAll(text);
        Assert.All(hits, hit => Assert.True(Price.IsNegated(text, hit)));
    }

    [Fact]
    public void NormalizesPrefixesAndDropsDuplicates()
    {
        var filter = new NegationFilter(["沒有", "没有", "不"]);
        Assert.Equal(["没有", "不"], filter.Prefixes);
        Assert.True(filter.IsNegated("没有优惠", 2));
    }

    [Fact]
    public void AllowsNoInterveningCharactersWhenAskedTo()
    {
        var strict = new NegationFilter(["不"], "", 0);
        Assert.True(strict.IsNegated("不贵", 1));
        Assert.False(strict.IsNegated("不太贵", 2));
    }

    [Fact]
    public void ChecksItsArguments()
    {
        Assert.Throws<ArgumentException>(() => new NegationFilter(["不"], "很 ", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NegationFilter(["不"], "很", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Price.IsNegated("不贵", 3));
        Assert.False(Price.IsNegated("不贵", 0));
    }
}
