using ScriptDsl.Understanding;
using Xunit.Abstractions;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// The classifier trained on the standard library, measured on buyer messages it was never trained
/// on (tests/data/heldout-*.txt, written before the library). Each file is one shop: the classifier
/// knows the intents that occur in it, like a shop's classifier knows the intents its rules map to.
/// The floors are the figures reached (see docs/benchmarks.md, "Understanding"), so a change that
/// loses accuracy fails here; raise them when the library or the model gets better, never lower
/// them to make a change pass.
/// </summary>
public class HeldOutAccuracyTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<TrainingExample> Library = UnderstandingData.StandardLibrary();

    [Theory]
    [InlineData("heldout-lamp.txt", 0.97)] // 99 of 102 after the fifth pass (2026-12-02 09:30 UTC); 96 after the fourth (07:15 UTC, after seven library phrasings close to quoted held-out misses were removed), 95 before it
    [InlineData("heldout-apparel.txt", 0.96)] // 59 of 61 after the fifth pass (58 after the fourth, 55 before it)
    public void HeldOutMessagesAreUnderstood(string file, double floor)
    {
        var messages = UnderstandingData.Labelled(file);
        var intents = messages.Select(m => m.Intent).ToHashSet(StringComparer.Ordinal);
        Assert.All(intents, i => Assert.Contains(Library, e => e.Intent == i));
        var report = IntentEvaluation.Evaluate(UnderstandingData.Classifier(Library, intents), messages.Select(m => KeyValuePair.Create(m.Intent, m.Message)));
        output.WriteLine(report.Format(file + ", classifier alone (trained on standard/*.csdsl)", maxConfusions: 20, maxMisses: 40));
        Assert.True(report.Accuracy >= floor, $"{file}: accuracy {report.Accuracy:P1} is below the floor {floor:P0}.\n" + report.Format(file));
    }

    /// <summary>
    /// The second held-out set (tests/data/heldout2-*.txt, issue 9), written later by someone who had
    /// read neither the library nor the first held-out set, and never looked at while tuning: the
    /// honest figure. Same mechanics as above; the floor is the number of lines understood on the
    /// first run (a regression fails; raise it when the figure rises, never lower it).
    /// </summary>
    [Theory]
    [InlineData("heldout2-lamp.txt", 128)] // of 133 after the fifth pass (first run 2026-12-02: 119; 124 before the fourth pass, 126 after it)
    [InlineData("heldout2-apparel.txt", 70)] // of 74 after the fifth pass (67 before the fourth, 69 after it)
    public void SecondHeldOutSetIsUnderstood(string file, int floor)
    {
        var messages = UnderstandingData.Labelled(file);
        var intents = messages.Select(m => m.Intent).ToHashSet(StringComparer.Ordinal);
        Assert.All(intents, i => Assert.Contains(Library, e => e.Intent == i));
        var report = IntentEvaluation.Evaluate(UnderstandingData.Classifier(Library, intents), messages.Select(m => KeyValuePair.Create(m.Intent, m.Message)));
        output.WriteLine(report.Format(file + ", classifier alone (trained on standard/*.csdsl)", maxConfusions: 40, maxMisses: 100));
        Assert.True(report.Correct >= floor, $"{file}: {report.Correct} of {report.Total} understood, below the floor {floor}.\n" + report.Format(file, maxMisses: 100));
    }

    /// <summary>
    /// The third held-out set (tests/data/heldout3-*.txt, 2026-12-02), written by a writer who had read
    /// only the seeds and understanding.md (not the library, the scripts, tests/data or the benchmark
    /// notes) and committed before any evaluation. The floor is the count understood on its first run,
    /// on main before the fourth understanding pass (a regression fails; raise it, never lower it).
    /// </summary>
    [Theory]
    [InlineData("heldout3-lamp.txt", 149)] // of 156 after the fifth pass (first run 2026-12-02 05:50 UTC, main at b3b512f: 148)
    [InlineData("heldout3-apparel.txt", 75)] // of 76 after the fifth pass (first run: 73; 74 after the fourth pass)
    public void ThirdHeldOutSetIsUnderstood(string file, int floor) => SecondHeldOutSetIsUnderstood(file, floor);

    [Fact]
    public void AllOfTheSecondHeldOutSetAgainstEveryStandardIntent()
    {
        var messages = UnderstandingData.Files("heldout2-*.txt").SelectMany(UnderstandingData.Labelled).ToList();
        Assert.True(messages.Count >= 170, $"only {messages.Count} messages in the second held-out set");
        var report = IntentEvaluation.Evaluate(UnderstandingData.Classifier(Library), messages.Select(m => KeyValuePair.Create(m.Intent, m.Message)));
        output.WriteLine(report.Format("second held-out set, all 19 standard intents", maxConfusions: 40, maxMisses: 100));
        Assert.True(report.Correct >= 195, // of 207 (first run 2026-12-02: 186; 189 before the third pass, 191 before the fourth)
            $"{report.Correct} of {report.Total} understood.\n" + report.Format("second held-out set", maxMisses: 100));
    }

    [Fact]
    public void AllHeldOutMessagesTogetherAgainstEveryStandardIntent()
    {
        var messages = UnderstandingData.Files("heldout-*.txt").SelectMany(UnderstandingData.Labelled).ToList();
        Assert.True(messages.Count >= 150, $"only {messages.Count} held-out messages");
        var report = IntentEvaluation.Evaluate(UnderstandingData.Classifier(Library), messages.Select(m => KeyValuePair.Create(m.Intent, m.Message)));
        output.WriteLine(report.Format("all held-out files, all 19 standard intents", maxConfusions: 20, maxMisses: 40));
        Assert.True(report.Accuracy >= 0.94, report.Format("all held-out")); // 154 of 163 = 94.5 % (148 before the third pass, 150 before the fourth)
    }

    [Fact]
    public void TheDevelopmentSetWeTuneOn()
    {
        var messages = UnderstandingData.Files("dev-*.txt").SelectMany(UnderstandingData.Labelled).ToList();
        var report = IntentEvaluation.Evaluate(UnderstandingData.Classifier(Library), messages.Select(m => KeyValuePair.Create(m.Intent, m.Message)));
        output.WriteLine(report.Format("dev set, all 19 standard intents"));
        Assert.True(report.Accuracy >= 0.97, report.Format("dev"));
    }

    [Fact]
    public void TheLibraryClassifiesItsOwnPhrasings()
    {
        // Not a measure of generalization (that is the held-out test), but of consistency: a phrasing
        // that its own library classifies elsewhere contradicts another intent's phrasings.
        var report = IntentEvaluation.Evaluate(UnderstandingData.Classifier(Library), Library.Select(e => KeyValuePair.Create(e.Intent, e.Text)));
        output.WriteLine(report.Format("the library on itself"));
        Assert.True(report.Accuracy >= 0.98, report.Format("library"));
    }

    [Fact]
    public void EveryStandardIntentHasFortyPhrasingsAndNoHeldOutMessageIsOne()
    {
        var expected = new[]
        {
            "greet", "recommend", "shipping", "returns", "payment", "size", "quote", "close", "price", "need",
            "budget", "authority", "product", "agent", "timing", "order", "complaint", "escalate", "farewell",
        };
        foreach (var intent in expected)
        {
            var count = Library.Count(e => e.Intent == intent);
            Assert.True(count >= 40, $"{intent} has {count} phrasings");
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), Library.Select(e => e.Intent).Distinct().Order(StringComparer.Ordinal));

        // The held-out files were written first; a few of their lines are also the commonest way to
        // say it (「在不在」, 「hi」, 「哈喽」, the spec's own 「能便宜点吗」). Those are listed here, so that
        // any further overlap — a held-out line copied into the library — fails.
        // The second held-out set (heldout2-*.txt) was written without reading the library, and five
        // of its lines turned out to be library phrasings too: 「有人吗」, 「今天能发吗」, 「转人工」, the
        // seed 000's own 「谢谢!」 and the spec's 「我得问问我老婆」 (understanding-spec.md §1). They
        // stay in the file (a held-out line is never rewritten after the first run) and are listed.
        // The third set (heldout3-*.txt), written blind too, shares five: 「在吗」, 「88」, 「886」,
        // 「超预算了 买不起」 and 「说话能不能客气点」.
        var allowed = new HashSet<string>(["在不在", "hi", "哈喽", "能便宜点吗", "有人吗", "今天能发吗", "转人工", "谢谢", "我得问问我老婆",
            "在吗", "88", "886", "超预算了 买不起", "说话能不能客气点"], StringComparer.Ordinal);
        var library = Library.Select(e => ScriptDsl.Text.TextNormalizer.Normalize(e.Text)).ToHashSet(StringComparer.Ordinal);
        var copied = UnderstandingData.Files("heldout-*.txt").Concat(UnderstandingData.Files("heldout2-*.txt")).Concat(UnderstandingData.Files("heldout3-*.txt")).Concat(UnderstandingData.Files("dev-*.txt"))
            .SelectMany(UnderstandingData.Labelled)
            .Select(m => ScriptDsl.Text.TextNormalizer.Normalize(m.Message))
            .Where(m => library.Contains(m) && !allowed.Contains(m))
            .ToList();
        Assert.Empty(copied);
    }
}
