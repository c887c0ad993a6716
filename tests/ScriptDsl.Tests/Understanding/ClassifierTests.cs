using ScriptDsl.Text;
using ScriptDsl.Understanding;

namespace ScriptDsl.Tests.Understanding;

/// <summary>The trainer, the tables and the classifier on small example sets and on the standard library.</summary>
public class ClassifierTests
{
    private static readonly string[] Intents = ["shipping", "price", "farewell"];

    private static readonly TrainingExample[] Examples =
    [
        new("shipping", "什么时候发货"), new("shipping", "几天能到"), new("shipping", "发什么快递"),
        new("price", "能便宜点吗"), new("price", "太贵了"), new("price", "打个折吧"),
        new("farewell", "谢谢"), new("farewell", "拜拜"), new("farewell", "再见啦"),
    ];

    private static IntentClassifier Train(IReadOnlyList<TrainingExample>? examples = null, ClassifierOptions? options = null) =>
        new(ClassifierTrainer.Train(Intents, examples ?? Examples, options));

    private static string Best(IntentClassifier classifier, string message)
    {
        var result = classifier.Classify(TextNormalizer.Normalize(message));
        return classifier.Intents[result.Best];
    }

    [Theory]
    [InlineData("明天能发货吗", "shipping")]
    [InlineData("便宜一点吧", "price")]
    [InlineData("好的谢谢啦", "farewell")]
    public void UnseenPhrasingsGoToTheIntentTheyShareCharactersWith(string message, string intent)
    {
        Assert.Equal(intent, Best(Train(), message));
    }

    [Theory]
    [InlineData(ClassifierModel.NaiveBayes)]
    [InlineData(ClassifierModel.LogisticRegression)]
    public void TrainingIsDeterministicAndIndependentOfTheOrderOfExamplesForNaiveBayes(ClassifierModel model)
    {
        var options = new ClassifierOptions { Model = model };
        var first = ClassifierTrainer.Train(Intents, Examples, options).Serialize();
        Assert.Equal(first, ClassifierTrainer.Train(Intents, Examples, options).Serialize());
        if (model == ClassifierModel.NaiveBayes)
        {
            Assert.Equal(first, ClassifierTrainer.Train(Intents, Examples.Reverse().ToArray(), options).Serialize());
        }
    }

    [Fact]
    public void ProbabilitiesSumToOneAndClassifyAgreesWithThem()
    {
        var classifier = Train();
        foreach (var message in new[] { "发什么快递呀", "太贵", "谢谢", "完全无关的话" })
        {
            var normalized = TextNormalizer.Normalize(message);
            var p = classifier.Probabilities(normalized);
            Assert.Equal(1.0, p.Sum(), 9);
            var result = classifier.Classify(normalized);
            Assert.Equal(p.Max(), result.BestProbability, 12);
            Assert.Equal(Array.IndexOf(p, p.Max()), result.Best);
            Assert.Equal(p.Where((_, i) => i != result.Best).Max(), result.SecondProbability, 12);
            Assert.True(result.Margin >= 0);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("鑫淼焱")]
    public void AMessageWithNoKnownFeatureIsUndecided(string message)
    {
        var result = Train().Classify(TextNormalizer.Normalize(message));
        Assert.Equal(1.0 / Intents.Length, result.BestProbability, 12);
        Assert.Equal(0, result.Margin, 12);
        Assert.True(result.BestProbability < 0.55);
    }

    [Fact]
    public void AClassifierWithoutIntentsAnswersNone()
    {
        var empty = new IntentClassifier(ClassifierTrainer.Train([], []));
        var result = empty.Classify("在吗");
        Assert.Equal(-1, result.Best);
        Assert.Equal(-1, result.Second);
        Assert.Empty(empty.Probabilities("在吗"));
    }

    [Fact]
    public void AHigherTemperatureKeepsTheAnswerButLowersTheConfidence()
    {
        var cold = Train(options: new ClassifierOptions { Temperature = 1 });
        var warm = Train(options: new ClassifierOptions { Temperature = 4 });
        var message = TextNormalizer.Normalize("几天能发货");
        Assert.Equal(cold.Classify(message).Best, warm.Classify(message).Best);
        Assert.True(warm.Classify(message).BestProbability < cold.Classify(message).BestProbability);
    }

    [Fact]
    public void ClassifyAllocatesNothingOnceWarm()
    {
        var classifier = new IntentClassifier(ClassifierTrainer.Train(
            UnderstandingData.StandardLibrary().Select(e => e.Intent).Distinct().ToList(), UnderstandingData.StandardLibrary()));
        var message = TextNormalizer.Normalize("亲 这款一般几天能到啊 发什么快递");
        classifier.Classify(message);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            classifier.Classify(message);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void AnExampleOfAnUnknownIntentOrNullArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ClassifierTrainer.Train(Intents, [new TrainingExample("size", "穿多大码")]));
        Assert.Throws<ArgumentNullException>(() => ClassifierTrainer.Train(null!, Examples));
        Assert.Throws<ArgumentNullException>(() => ClassifierTrainer.Train(Intents, null!));
        Assert.Throws<ArgumentNullException>(() => Train().Classify(null!));
    }

    [Fact]
    public void AWeightedExampleCountsMoreThanAPlainOne()
    {
        // "发" appears once for shipping and once for price; the heavier example decides.
        var plain = new TrainingExample[] { new("shipping", "发"), new("price", "发"), new("farewell", "谢谢") };
        var weighted = new TrainingExample[] { new("shipping", "发", 3), new("price", "发"), new("farewell", "谢谢") };
        var tie = Train(plain).Classify("发");
        Assert.Equal(tie.BestProbability, tie.SecondProbability, 9);
        Assert.Equal("shipping", Best(Train(weighted), "发"));
    }

    /// <summary>
    /// ClassifyUnless skips the softmax only when the best intent is the one named, and is Classify
    /// otherwise: over every dev line and messages no feature of which is known (every intent tied), with the
    /// standard library's classifier, for the best intent, the second and one that is neither.
    /// </summary>
    [Fact]
    public void ClassifyUnlessIsClassifyUnlessTheBestIsTheOneNamed()
    {
        var library = UnderstandingData.StandardLibrary();
        var classifier = new IntentClassifier(ClassifierTrainer.Train(library.Select(e => e.Intent).Distinct().ToList(), library));
        var messages = UnderstandingData.Files("dev-*.txt").SelectMany(UnderstandingData.Labelled).Select(m => m.Message).Append("ｚｚｚ").Append("");
        var skipped = 0;
        var computed = 0;
        foreach (var message in messages)
        {
            var normalized = TextNormalizer.Normalize(message);
            var full = classifier.Classify(normalized);
            var neither = Enumerable.Range(0, classifier.Intents.Count).First(i => i != full.Best && i != full.Second);
            foreach (var agreed in new[] { full.Best, full.Second, neither, -1 })
            {
                var result = classifier.ClassifyUnless(normalized, agreed);
                if (agreed == full.Best)
                {
                    Assert.Equal(full.Best, result.Best);
                    Assert.True(double.IsNaN(result.BestProbability), message);
                    skipped++;
                    continue;
                }

                Assert.Equal(full.Best, result.Best);
                Assert.Equal(full.BestProbability, result.BestProbability);
                Assert.Equal(full.Second, result.Second);
                Assert.Equal(full.SecondProbability, result.SecondProbability);
                computed++;
            }
        }

        Assert.True(skipped > 400 && computed > 1200, $"{skipped} skipped, {computed} computed");
        Assert.Equal(new ClassifierResult(-1, 0, -1, 0), new IntentClassifier(ClassifierTrainer.Train([], [])).ClassifyUnless("发货", 0));
    }
}
