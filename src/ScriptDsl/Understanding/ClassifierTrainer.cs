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

public sealed class ClassifierOptions
{
    public static readonly ClassifierOptions Default = new();

    /// <summary>Additive (Laplace/Lidstone) smoothing of feature counts.</summary>
    public double Smoothing { get; set; } = 0.1;

    public int MaxOrder { get; set; } = IntentFeaturizer.MaxOrder;
}

/// <summary>
/// Trains <see cref="ClassifierTables"/> from examples: deterministic (no randomness; intents in
/// the order given, features sorted by hash), so the same script always compiles to the same tables.
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

        var n = intents.Count;
        var counts = new Dictionary<uint, double[]>();
        var totals = new double[n];
        var docs = new double[n];
        var features = new List<uint>();
        foreach (var example in examples)
        {
            if (!intentIndex.TryGetValue(example.Intent, out var intent))
            {
                throw new ArgumentException("The example \"" + example.Text + "\" names the intent '" + example.Intent + "', which is not in the list.", nameof(examples));
            }

            features.Clear();
            IntentFeaturizer.Features(TextNormalizer.Normalize(example.Text), options.MaxOrder, features);
            docs[intent] += example.Weight;
            foreach (var f in features)
            {
                if (!counts.TryGetValue(f, out var row))
                {
                    row = new double[n];
                    counts[f] = row;
                }

                row[intent] += example.Weight;
                totals[intent] += example.Weight;
            }
        }

        var hashes = new uint[counts.Count];
        counts.Keys.CopyTo(hashes, 0);
        Array.Sort(hashes);
        var vocabulary = hashes.Length;
        var alpha = options.Smoothing;
        var likelihoods = new float[vocabulary * n];
        var unseen = new float[n];
        var priors = new float[n];
        var allDocs = 0.0;
        foreach (var d in docs)
        {
            allDocs += d;
        }

        for (var i = 0; i < n; i++)
        {
            var denominator = totals[i] + alpha * (vocabulary + 1);
            unseen[i] = (float)Math.Log(alpha / denominator);
            // A uniform prior: how many examples an author wrote for an intent says nothing about how often buyers ask it.
            priors[i] = (float)-Math.Log(n);
            for (var f = 0; f < vocabulary; f++)
            {
                likelihoods[f * n + i] = (float)Math.Log((counts[hashes[f]][i] + alpha) / denominator);
            }
        }

        return new ClassifierTables(intents, options.MaxOrder, hashes, likelihoods, priors, unseen);
    }
}
