using ScriptDsl.Text;
using ScriptDsl.Understanding;

namespace ScriptDsl.Tests.Understanding;

public class IntentFeaturizerTests
{
    private static uint[] Features(string normalized, int order = IntentFeaturizer.MaxOrder)
    {
        var buffer = new uint[IntentFeaturizer.MaxFeatureCount(normalized.Length, order)];
        var count = IntentFeaturizer.Features(normalized, order, buffer);
        return buffer[..count];
    }

    [Theory]
    [InlineData("在吗", 1)]
    [InlineData("一般几天能到啊", 2)]
    [InlineData("一般几天能到啊", 3)]
    [InlineData("一般几天能到啊", 4)]
    public void AClauseOfLengthLGivesLTimesOrderPlusTheBoundaryGrams(string clause, int order)
    {
        // Every position starts one n-gram of each order that fits, the end mark included, and the
        // start mark begins order - 1 of them (a lone mark is not a feature).
        var expected = 0;
        for (var n = 1; n <= order; n++)
        {
            expected += clause.Length + 2 - n + 1 - (n == 1 ? 2 : 0);
        }

        Assert.Equal(expected, Features(clause, order).Length);
        Assert.True(expected <= IntentFeaturizer.MaxFeatureCount(clause.Length, order));
    }

    [Fact]
    public void NGramsStopAtClauseBoundaries()
    {
        var both = Features("不 贵");
        var separate = Features("不").Concat(Features("贵")).ToArray();
        Assert.Equal(separate, both);
        Assert.NotEqual(Features("不贵").Order(), both.Order());
    }

    [Fact]
    public void TheListFormAndTheBufferFormAgree()
    {
        var list = new List<uint>();
        IntentFeaturizer.Features("亲 包邮吗 几天到", 3, list);
        Assert.Equal(Features("亲 包邮吗 几天到"), list);
    }

    [Fact]
    public void TheSameTextAlwaysGivesTheSameFeaturesAndOrderIsPartOfTheHash()
    {
        Assert.Equal(Features("能便宜点吗"), Features("能便宜点吗"));
        // "便" alone (order 1) and the bigram starting with it differ, and a bigram never collides
        // with the unigram of the same prefix.
        var unigrams = Features("便", 1);
        var bigrams = Features("便宜", 2).Except(Features("便宜", 1));
        Assert.Empty(unigrams.Intersect(bigrams));
    }

    [Fact]
    public void EmptyAndSeparatorOnlyTextsHaveNoFeatures()
    {
        Assert.Empty(Features(""));
        Assert.Empty(Features(TextNormalizer.Normalize("。。。!!! [微笑]")));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => IntentFeaturizer.Features(null!, 3, new uint[8]));
        Assert.Throws<ArgumentException>(() => IntentFeaturizer.Features("一般几天能到啊", 3, new uint[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => IntentFeaturizer.Features("在吗", 0, new uint[8]));
    }
}
