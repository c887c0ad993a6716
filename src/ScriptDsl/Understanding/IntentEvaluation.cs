using System.Globalization;
using System.Text;
using ScriptDsl.Text;

namespace ScriptDsl.Understanding;

/// <summary>Precision and recall of one intent over an evaluation (like <c>rasa test nlu</c>'s intent report).</summary>
public sealed record IntentMetrics(string Intent, int Support, int Predicted, int Correct)
{
    /// <summary>Of the messages classified as this intent, the share that were; 0 when none was.</summary>
    public double Precision => Predicted == 0 ? 0 : (double)Correct / Predicted;

    /// <summary>Of the messages of this intent, the share classified as it; 0 without messages.</summary>
    public double Recall => Support == 0 ? 0 : (double)Correct / Support;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>Messages of <see cref="Expected"/> classified as <see cref="Predicted"/>, <see cref="Count"/> times.</summary>
public sealed record IntentConfusion(string Expected, string Predicted, int Count);

/// <summary>A message that matched another intent better than its own, with both probabilities.</summary>
public sealed record Misclassification(string Text, string Expected, string Predicted, double PredictedProbability, double ExpectedProbability);

/// <summary>What an evaluation found: accuracy, per-intent figures, the most confused pairs, the misses.</summary>
public sealed class EvaluationReport
{
    internal EvaluationReport(int total, int correct, IReadOnlyList<IntentMetrics> intents, IReadOnlyList<IntentConfusion> confusions, IReadOnlyList<Misclassification> misses)
    {
        Total = total;
        Correct = correct;
        Intents = intents;
        Confusions = confusions;
        Misses = misses;
    }

    public int Total { get; }

    public int Correct { get; }

    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Every intent that had messages or predictions, in the order the evaluation first met them.</summary>
    public IReadOnlyList<IntentMetrics> Intents { get; }

    /// <summary>Pairs (expected → predicted, never equal), most frequent first, then ordinal by names.</summary>
    public IReadOnlyList<IntentConfusion> Confusions { get; }

    /// <summary>Every miss, the most confident wrong answers first.</summary>
    public IReadOnlyList<Misclassification> Misses { get; }

    public IntentMetrics? For(string intent)
    {
        foreach (var m in Intents)
        {
            if (string.Equals(m.Intent, intent, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>A plain-text report: the accuracy, a per-intent table, the confused pairs and up to <paramref name="maxMisses"/> misses.</summary>
    public string Format(string title, int maxConfusions = 10, int maxMisses = 20)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append(title).Append('\n');
        s.Append(string.Format(c, "accuracy {0:P1} ({1} of {2})\n\n", Accuracy, Correct, Total));
        var width = 6;
        foreach (var m in Intents)
        {
            width = Math.Max(width, m.Intent.Length);
        }

        s.Append("intent".PadRight(width)).Append("  precision  recall     f1  support\n");
        foreach (var m in Intents)
        {
            s.Append(m.Intent.PadRight(width))
                .Append(string.Format(c, "  {0,9:F3}  {1,6:F3}  {2,5:F3}  {3,7}\n", m.Precision, m.Recall, m.F1, m.Support));
        }

        s.Append('\n').Append(Confusions.Count == 0 ? "no confused pairs\n" : "most confused (expected -> predicted: count)\n");
        for (var i = 0; i < Confusions.Count && i < maxConfusions; i++)
        {
            var p = Confusions[i];
            s.Append(string.Format(c, "  {0} -> {1}: {2}\n", p.Expected, p.Predicted, p.Count));
        }

        if (Misses.Count > 0)
        {
            s.Append('\n').Append("messages that match another intent better than their own\n");
            for (var i = 0; i < Misses.Count && i < maxMisses; i++)
            {
                var m = Misses[i];
                s.Append(string.Format(c, "  \"{0}\"  {1} ({2:F2}) but got {3} ({4:F2})\n", m.Text, m.Expected, m.ExpectedProbability, m.Predicted, m.PredictedProbability));
            }

            if (Misses.Count > maxMisses)
            {
                s.Append(string.Format(c, "  … and {0} more\n", Misses.Count - maxMisses));
            }
        }

        return s.ToString();
    }
}

/// <summary>
/// Measures a classifier: on labelled messages (a held-out file), or by k-fold cross-validation
/// over a shop's own training examples (<c>ShopDefinition.Understanding.Examples</c>), which is what
/// <c>nlu-report</c> prints.
/// </summary>
public static class IntentEvaluation
{
    /// <summary>Classifies every (intent, message) pair with <paramref name="classifier"/>; messages are normalized here.</summary>
    public static EvaluationReport Evaluate(IntentClassifier classifier, IEnumerable<KeyValuePair<string, string>> labelled)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(labelled);
        var tally = new Tally();
        foreach (var pair in labelled)
        {
            tally.Add(classifier, pair.Key, pair.Value);
        }

        return tally.Report();
    }

    /// <summary>
    /// Stratified k-fold cross-validation: the j-th example of each intent is tested in fold j mod k,
    /// trained on all the other folds with <paramref name="options"/>. Deterministic. An intent with
    /// a single example can only be missed when it is held out (nothing else teaches it), which the
    /// report shows as it is.
    /// </summary>
    public static EvaluationReport CrossValidate(IReadOnlyList<TrainingExample> examples, int folds = 5, ClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), "Cross-validation needs at least 2 folds.");
        }

        var intents = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var fold = new int[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var intent = examples[i].Intent;
            seen.TryGetValue(intent, out var count);
            if (count == 0)
            {
                intents.Add(intent);
            }

            fold[i] = count % folds;
            seen[intent] = count + 1;
        }

        var tally = new Tally();
        var training = new List<TrainingExample>(examples.Count);
        for (var f = 0; f < folds; f++)
        {
            training.Clear();
            for (var i = 0; i < examples.Count; i++)
            {
                if (fold[i] != f)
                {
                    training.Add(examples[i]);
                }
            }

            if (training.Count == examples.Count)
            {
                continue;
            }

            var classifier = new IntentClassifier(ClassifierTrainer.Train(intents, training, options));
            for (var i = 0; i < examples.Count; i++)
            {
                if (fold[i] == f)
                {
                    tally.Add(classifier, examples[i].Intent, examples[i].Text);
                }
            }
        }

        return tally.Report();
    }

    private sealed class Tally
    {
        private readonly List<string> _order = [];
        private readonly Dictionary<string, int[]> _counts = new(StringComparer.Ordinal); // support, predicted, correct
        private readonly Dictionary<(string, string), int> _confusions = [];
        private readonly List<Misclassification> _misses = [];
        private int _total;
        private int _correct;

        public void Add(IntentClassifier classifier, string expected, string text)
        {
            var p = classifier.Probabilities(TextNormalizer.Normalize(text));
            var best = 0;
            for (var i = 1; i < p.Length; i++)
            {
                if (p[i] > p[best])
                {
                    best = i;
                }
            }

            var predicted = p.Length == 0 ? "" : classifier.Intents[best];
            var own = IndexOf(classifier.Intents, expected);
            _total++;
            Counts(expected)[0]++;
            Counts(predicted)[1]++;
            if (string.Equals(predicted, expected, StringComparison.Ordinal))
            {
                _correct++;
                Counts(expected)[2]++;
                return;
            }

            _confusions.TryGetValue((expected, predicted), out var n);
            _confusions[(expected, predicted)] = n + 1;
            _misses.Add(new Misclassification(text, expected, predicted, p.Length == 0 ? 0 : p[best], own < 0 ? 0 : p[own]));
        }

        public EvaluationReport Report()
        {
            var metrics = new List<IntentMetrics>(_order.Count);
            foreach (var intent in _order)
            {
                var c = _counts[intent];
                metrics.Add(new IntentMetrics(intent, c[0], c[1], c[2]));
            }

            var confusions = new List<IntentConfusion>();
            foreach (var pair in _confusions)
            {
                confusions.Add(new IntentConfusion(pair.Key.Item1, pair.Key.Item2, pair.Value));
            }

            confusions.Sort((a, b) =>
            {
                var byCount = b.Count.CompareTo(a.Count);
                if (byCount != 0)
                {
                    return byCount;
                }

                var byExpected = string.CompareOrdinal(a.Expected, b.Expected);
                return byExpected != 0 ? byExpected : string.CompareOrdinal(a.Predicted, b.Predicted);
            });
            var misses = new List<Misclassification>(_misses);
            misses.Sort((a, b) =>
            {
                var byGap = (b.PredictedProbability - b.ExpectedProbability).CompareTo(a.PredictedProbability - a.ExpectedProbability);
                return byGap != 0 ? byGap : string.CompareOrdinal(a.Text, b.Text);
            });
            return new EvaluationReport(_total, _correct, metrics, confusions, misses);
        }

        private int[] Counts(string intent)
        {
            if (!_counts.TryGetValue(intent, out var c))
            {
                c = new int[3];
                _counts[intent] = c;
                _order.Add(intent);
            }

            return c;
        }

        private static int IndexOf(IReadOnlyList<string> intents, string intent)
        {
            for (var i = 0; i < intents.Count; i++)
            {
                if (string.Equals(intents[i], intent, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
