using ScriptDsl.Understanding;

namespace ScriptDsl.Tests.Understanding;

public class IntentEvaluationTests
{
    private static readonly TrainingExample[] Separable =
    [
        new("shipping", "什么时候发货"), new("shipping", "几天发货"), new("shipping", "发货快吗"), new("shipping", "今天发货吗"),
        new("price", "便宜点吧"), new("price", "能便宜吗"), new("price", "便宜一点"), new("price", "再便宜些"),
    ];

    [Fact]
    public void CrossValidationOfSeparableExamplesFindsEveryOne()
    {
        var report = IntentEvaluation.CrossValidate(Separable, folds: 4);
        Assert.Equal(Separable.Length, report.Total);
        Assert.Equal(1.0, report.Accuracy);
        Assert.Empty(report.Confusions);
        Assert.All(report.Intents, m => Assert.Equal((1.0, 1.0, 4), (m.Precision, m.Recall, m.Support)));
    }

    [Fact]
    public void AMislabelledExampleIsReportedWithTheIntentItMatchesBetter()
    {
        TrainingExample[] examples = [.. Separable, new("price", "明天发货吗")];
        var report = IntentEvaluation.CrossValidate(examples, folds: 4);
        // The wrong label also pulls 「今天发货吗」 (which shares 天发货吗 with it) towards price when
        // they are in different folds; the mislabelled one is the most confident miss.
        var miss = report.Misses[0];
        Assert.Equal(("明天发货吗", "price", "shipping"), (miss.Text, miss.Expected, miss.Predicted));
        Assert.True(miss.PredictedProbability > miss.ExpectedProbability);
        Assert.Contains(new IntentConfusion("price", "shipping", 1), report.Confusions);
        var price = report.For("price")!;
        Assert.Equal(5, price.Support);
        Assert.Equal(price.Predicted - price.Correct, report.Misses.Count(m => m.Predicted == "price"));
        Assert.Contains("price -> shipping: 1", report.Format("test"));
        Assert.Contains("\"明天发货吗\"", report.Format("test"));
    }

    [Fact]
    public void CrossValidationIsDeterministic()
    {
        var library = UnderstandingData.StandardLibrary();
        var first = IntentEvaluation.CrossValidate(library, 5).Format("cv");
        Assert.Equal(first, IntentEvaluation.CrossValidate(library, 5).Format("cv"));
    }

    [Fact]
    public void SupportsAddUpAndPrecisionAndRecallStayInRange()
    {
        var report = IntentEvaluation.CrossValidate(UnderstandingData.StandardLibrary(), 5);
        Assert.Equal(report.Total, report.Intents.Sum(m => m.Support));
        Assert.Equal(report.Total, report.Intents.Sum(m => m.Predicted));
        Assert.Equal(report.Correct, report.Intents.Sum(m => m.Correct));
        Assert.Equal(report.Total - report.Correct, report.Misses.Count);
        Assert.Equal(report.Misses.Count, report.Confusions.Sum(c => c.Count));
        Assert.All(report.Intents, m => Assert.InRange(m.F1, 0, 1));
        // The standard library cross-validates well above chance (1 in 19) on its own phrasings.
        Assert.True(report.Accuracy > 0.7, report.Format("cv"));
    }

    [Fact]
    public void FewerThanTwoFoldsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IntentEvaluation.CrossValidate(Separable, 1));
    }
}
