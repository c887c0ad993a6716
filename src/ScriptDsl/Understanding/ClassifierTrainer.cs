// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0),
// where it trains each shop's classifier at build time.
using System;
using System.Collections.Generic;
using ScriptDsl.Text;

namespace ScriptDsl.Understanding;

/// <summary>One phrasing of an intent. <see cref="Weight"/> counts it that many times (a shop's own examples may weigh more than the standard library's).</summary>
public sealed class TrainingExample
{
    public TrainingExample(string intent, string text, double weight = 1.0)
    {
        Intent = intent ?? throw new ArgumentNullException(nameof(intent));
        Text = text ?? throw new ArgumentNullException(nameof(text));
        Weight = weight;
    }

    public string Intent { get; }

    /// <summary>As written; the trainer normalizes it.</summary>
    public string Text { get; }

    public double Weight { get; }
}

/// <summary>Which model <see cref="ClassifierTrainer"/> fits; all of them are linear in the features, so they share one table layout.</summary>
public enum ClassifierModel
{
    /// <summary>Multinomial naive Bayes with additive smoothing.</summary>
    NaiveBayes,

    /// <summary>Multinomial logistic regression (softmax), fitted by deterministic gradient descent with L2 regularization.</summary>
    LogisticRegression,
}

public sealed class ClassifierOptions
{
    public static readonly ClassifierOptions Default = new();

    public ClassifierModel Model { get; set; } = ClassifierModel.NaiveBayes;

    /// <summary>Additive (Laplace/Lidstone) smoothing of feature counts (naive Bayes).</summary>
    public double Smoothing { get; set; } = 0.1;

    public int MaxOrder { get; set; } = IntentFeaturizer.MaxOrder;

    /// <summary>Count a feature at most once per training example (short phrasings repeat little; long ones would otherwise outweigh them).</summary>
    public bool BinaryCounts { get; set; }

    /// <summary>
    /// Scale every example's feature counts to the average example's total, so a long phrasing
    /// teaches its intent as much as a short one, not more (naive Bayes).
    /// </summary>
    public bool NormalizeLength { get; set; } = true;

    /// <summary>Softmax temperature written into the tables (see <see cref="ClassifierTables.Temperature"/>).</summary>
    public double Temperature { get; set; } = 2.0;

    /// <summary>L2 penalty (weight decay per step) of logistic regression on the weights an example touches.</summary>
    public double Regularization { get; set; } = 1e-3;

    /// <summary>Passes over the examples (logistic regression).</summary>
    public int Epochs { get; set; } = 30;

    /// <summary>Initial step of logistic regression's stochastic gradient descent.</summary>
    public double LearningRate { get; set; } = 0.5;
}

/// <summary>
/// Trains <see cref="ClassifierTables"/> from examples: deterministic (no randomness; intents in
/// the order given, features sorted by hash, examples visited in a fixed order), so the same script
/// always compiles to the same tables.
/// </summary>
public static class ClassifierTrainer
{
    public static ClassifierTables Train(IReadOnlyList<string> intents, IReadOnlyList<TrainingExample> examples, ClassifierOptions? options = null)
    {
        if (intents is null)
        {
            throw new ArgumentNullException(nameof(intents));
        }

        if (examples is null)
        {
            throw new ArgumentNullException(nameof(examples));
        }

        options ??= ClassifierOptions.Default;
        var intentIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < intents.Count; i++)
        {
            intentIndex[intents[i]] = i;
        }

        // Every example as (intent, its features as rows of the vocabulary, with counts).
        var n = intents.Count;
        var vocabularyIndex = new Dictionary<uint, int>();
        var rows = new List<uint>();
        var encoded = new List<EncodedExample>(examples.Count);
        var buffer = new uint[64];
        var seen = new Dictionary<uint, int>();
        foreach (var example in examples)
        {
            if (example is null)
            {
                throw new ArgumentException("An example is null.", nameof(examples));
            }

            if (!intentIndex.TryGetValue(example.Intent, out var intent))
            {
                throw new ArgumentException("The example \"" + example.Text + "\" names the intent '" + example.Intent + "', which is not in the list.", nameof(examples));
            }

            var normalized = TextNormalizer.Normalize(example.Text);
            var needed = IntentFeaturizer.MaxFeatureCount(normalized.Length, options.MaxOrder);
            if (buffer.Length < needed)
            {
                buffer = new uint[needed];
            }

            var count = IntentFeaturizer.Features(normalized, options.MaxOrder, buffer);
            seen.Clear();
            for (var k = 0; k < count; k++)
            {
                seen.TryGetValue(buffer[k], out var c);
                seen[buffer[k]] = c + 1;
            }

            var features = new int[seen.Count];
            var counts = new double[seen.Count];
            var j = 0;
            // Deterministic order within the example: by hash.
            var keys = new uint[seen.Count];
            seen.Keys.CopyTo(keys, 0);
            Array.Sort(keys);
            foreach (var key in keys)
            {
                if (!vocabularyIndex.TryGetValue(key, out var row))
                {
                    row = rows.Count;
                    vocabularyIndex[key] = row;
                    rows.Add(key);
                }

                features[j] = row;
                counts[j] = options.BinaryCounts ? 1 : seen[key];
                j++;
            }

            encoded.Add(new EncodedExample(intent, features, counts, example.Weight));
        }

        // Rows renumbered in hash order, the order of the tables.
        var hashes = rows.ToArray();
        Array.Sort(hashes);
        var order = new int[hashes.Length];
        for (var i = 0; i < hashes.Length; i++)
        {
            order[vocabularyIndex[hashes[i]]] = i;
        }

        foreach (var e in encoded)
        {
            for (var k = 0; k < e.Features.Length; k++)
            {
                e.Features[k] = order[e.Features[k]];
            }
        }

        return options.Model == ClassifierModel.LogisticRegression
            ? TrainLogistic(intents, hashes, encoded, options)
            : TrainNaiveBayes(intents, hashes, encoded, options);
    }

    private static ClassifierTables TrainNaiveBayes(IReadOnlyList<string> intents, uint[] hashes, List<EncodedExample> examples, ClassifierOptions options)
    {
        var n = intents.Count;
        var vocabulary = hashes.Length;
        var counts = new double[vocabulary * n];
        var totals = new double[n];
        var average = 0.0;
        foreach (var e in examples)
        {
            average += Sum(e.Counts);
        }

        average /= Math.Max(1, examples.Count);
        foreach (var e in examples)
        {
            var scale = options.NormalizeLength && e.Counts.Length > 0 ? average / Sum(e.Counts) : 1.0;
            for (var k = 0; k < e.Features.Length; k++)
            {
                var c = e.Counts[k] * e.Weight * scale;
                counts[e.Features[k] * n + e.Intent] += c;
                totals[e.Intent] += c;
            }
        }

        var alpha = options.Smoothing;
        var likelihoods = new float[vocabulary * n];
        var unseen = new float[n];
        var priors = new float[n];
        for (var i = 0; i < n; i++)
        {
            var denominator = totals[i] + alpha * (vocabulary + 1);
            unseen[i] = (float)Math.Log(alpha / denominator);
            // A uniform prior: how many examples an author wrote for an intent says nothing about how often buyers ask it.
            priors[i] = (float)-Math.Log(n);
            for (var f = 0; f < vocabulary; f++)
            {
                likelihoods[f * n + i] = (float)Math.Log((counts[f * n + i] + alpha) / denominator);
            }
        }

        return new ClassifierTables(intents, options.MaxOrder, hashes, likelihoods, priors, unseen, (float)options.Temperature);
    }

    // Softmax regression by stochastic gradient descent over a fixed permutation of the examples
    // (a stride coprime with their number, not a random shuffle, so the build is reproducible).
    // The L2 penalty decays only the weights an example touches, which keeps every step sparse.
    private static ClassifierTables TrainLogistic(IReadOnlyList<string> intents, uint[] hashes, List<EncodedExample> examples, ClassifierOptions options)
    {
        var n = intents.Count;
        var vocabulary = hashes.Length;
        var weights = new double[vocabulary * n];
        var bias = new double[n];
        var p = new double[n];
        var m = examples.Count;
        var stride = Stride(m);
        var lambda = options.Regularization;
        var step = 0;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            var at = 0;
            for (var s = 0; s < m; s++)
            {
                var e = examples[at];
                at = (at + stride) % m;
                var rate = options.LearningRate / (1.0 + step / (double)m);
                step++;
                for (var i = 0; i < n; i++)
                {
                    p[i] = bias[i];
                }

                for (var k = 0; k < e.Features.Length; k++)
                {
                    var row = e.Features[k] * n;
                    var c = e.Counts[k];
                    for (var i = 0; i < n; i++)
                    {
                        p[i] += weights[row + i] * c;
                    }
                }

                Softmax(p);
                for (var i = 0; i < n; i++)
                {
                    var gradient = (p[i] - (i == e.Intent ? 1.0 : 0.0)) * e.Weight;
                    bias[i] -= rate * gradient;
                    p[i] = gradient;
                }

                for (var k = 0; k < e.Features.Length; k++)
                {
                    var row = e.Features[k] * n;
                    var c = e.Counts[k];
                    for (var i = 0; i < n; i++)
                    {
                        weights[row + i] -= rate * (p[i] * c + lambda * weights[row + i]);
                    }
                }
            }
        }

        var likelihoods = new float[vocabulary * n];
        for (var f = 0; f < likelihoods.Length; f++)
        {
            likelihoods[f] = (float)weights[f];
        }

        var priors = new float[n];
        var unseen = new float[n];
        for (var i = 0; i < n; i++)
        {
            priors[i] = (float)bias[i];
        }

        return new ClassifierTables(intents, options.MaxOrder, hashes, likelihoods, priors, unseen, (float)options.Temperature);
    }

    private static double Sum(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }

    private static int Stride(int m)
    {
        if (m <= 2)
        {
            return 1;
        }

        // The largest number below 0.62 m that is coprime with m visits every example once per epoch.
        var s = (int)(m * 0.618);
        while (Gcd(s, m) != 1)
        {
            s--;
        }

        return Math.Max(1, s);
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            var t = a % b;
            a = b;
            b = t;
        }

        return a;
    }

    private static void Softmax(double[] scores)
    {
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        var sum = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Exp(scores[i] - max);
            sum += scores[i];
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] /= sum;
        }
    }

    private sealed class EncodedExample
    {
        public EncodedExample(int intent, int[] features, double[] counts, double weight)
        {
            Intent = intent;
            Features = features;
            Counts = counts;
            Weight = weight;
        }

        public int Intent { get; }

        public int[] Features { get; }

        public double[] Counts { get; }

        public double Weight { get; }
    }
}
