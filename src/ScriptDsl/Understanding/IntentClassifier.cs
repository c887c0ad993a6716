// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0),
// where the build-time `expect` checks run it.
using System;
using System.Collections.Generic;

namespace ScriptDsl.Understanding;

/// <summary>The two most likely intents (indices into <see cref="ClassifierTables.Intents"/>, -1 when there are none) and their probabilities.</summary>
public readonly struct ClassifierResult
{
    public ClassifierResult(int best, double bestProbability, int second, double secondProbability)
    {
        Best = best;
        BestProbability = bestProbability;
        Second = second;
        SecondProbability = secondProbability;
    }

    public int Best { get; }

    public double BestProbability { get; }

    public int Second { get; }

    public double SecondProbability { get; }

    public double Margin => BestProbability - SecondProbability;
}

/// <summary>Runs trained <see cref="ClassifierTables"/> on a normalized message. Thread-safe; no state.</summary>
public sealed class IntentClassifier
{
    private readonly ClassifierTables _tables;

    public IntentClassifier(ClassifierTables tables)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
    }

    public ClassifierTables Tables => _tables;

    public IReadOnlyList<string> Intents => _tables.Intents;

    /// <summary>Probabilities (summing to 1) of every intent for <paramref name="normalized"/>.</summary>
    public double[] Probabilities(string normalized)
    {
        var n = _tables.Intents.Count;
        var scores = new double[n];
        if (n == 0)
        {
            return scores;
        }

        for (var i = 0; i < n; i++)
        {
            scores[i] = _tables.LogPriors[i];
        }

        var features = new List<uint>(normalized.Length * _tables.MaxOrder + 2);
        IntentFeaturizer.Features(normalized, _tables.MaxOrder, features);
        var hashes = _tables.FeatureHashes;
        var likelihoods = _tables.LogLikelihoods;
        var known = 0;
        foreach (var f in features)
        {
            var at = Array.BinarySearch(hashes, f);
            if (at < 0)
            {
                // A feature no intent was trained on carries no evidence for any of them.
                continue;
            }

            known++;
            var row = at * n;
            for (var i = 0; i < n; i++)
            {
                scores[i] += likelihoods[row + i];
            }
        }

        if (known == 0)
        {
            // Nothing known: every intent equally likely, so no decision can be made on it.
            for (var i = 0; i < n; i++)
            {
                scores[i] = 1.0 / n;
            }

            return scores;
        }

        // Softmax, shifted by the maximum so nothing overflows.
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            scores[i] = Math.Exp(scores[i] - max);
            sum += scores[i];
        }

        for (var i = 0; i < n; i++)
        {
            scores[i] /= sum;
        }

        return scores;
    }

    public ClassifierResult Classify(string normalized)
    {
        if (normalized is null)
        {
            throw new ArgumentNullException(nameof(normalized));
        }

        var p = Probabilities(normalized);
        int best = -1, second = -1;
        for (var i = 0; i < p.Length; i++)
        {
            if (best < 0 || p[i] > p[best])
            {
                second = best;
                best = i;
            }
            else if (second < 0 || p[i] > p[second])
            {
                second = i;
            }
        }

        return new ClassifierResult(best, best < 0 ? 0 : p[best], second, second < 0 ? 0 : p[second]);
    }
}
