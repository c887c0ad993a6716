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

/// <summary>
/// Runs trained <see cref="ClassifierTables"/> on a normalized message. Thread-safe; the tables are
/// read-only and the per-call scratch arrays are per thread, so <see cref="Classify"/> allocates
/// nothing once a thread has classified a message as long as this one.
/// </summary>
public sealed class IntentClassifier
{
    private readonly ClassifierTables _tables;

    // Feature hash → row of the tables, as an open-addressing table (linear probing, at most half
    // full): one multiply, one shift and usually one probe per feature, where a binary search over
    // the sorted hashes takes ~14 comparisons and Dictionary<uint, int> a modulo and two indirections.
    // Written by hand because the lookup is most of a classification's cost (docs/benchmarks.md)
    // and nothing in netstandard2.0's base library is a read-only uint → int map this small.
    private readonly uint[] _slotKeys;
    private readonly int[] _slotRows;
    private readonly int _shift;
    private readonly int _mask;

    [ThreadStatic]
    private static uint[]? t_features;

    [ThreadStatic]
    private static double[]? t_scores;

    [ThreadStatic]
    private static float[]? t_sums;

    public IntentClassifier(ClassifierTables tables)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        var hashes = tables.FeatureHashes;
        var bits = 4;
        while ((1 << bits) < hashes.Length * 2)
        {
            bits++;
        }

        _slotKeys = new uint[1 << bits];
        _slotRows = new int[1 << bits];
        _shift = 32 - bits;
        _mask = (1 << bits) - 1;
        for (var i = 0; i < _slotRows.Length; i++)
        {
            _slotRows[i] = -1;
        }

        for (var row = 0; row < hashes.Length; row++)
        {
            var slot = Slot(hashes[row]);
            while (_slotRows[slot] >= 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slotKeys[slot] = hashes[row];
            _slotRows[slot] = row;
        }
    }

    public ClassifierTables Tables => _tables;

    // sums[i] += likelihoods[row + i] for every intent: the classifier's inner loop. Float sums, each
    // intent's in feature order, so the SIMD form (.NET) and the scalar form (the generator on
    // netstandard2.0, for the build-time `expect` checks) add exactly the same numbers in the same
    // order per intent and agree to the bit.
    private static void AddRow(float[] likelihoods, int row, float[] sums, int n)
    {
        var i = 0;
#if NET
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var width = System.Numerics.Vector<float>.Count;
            for (; i <= n - width; i += width)
            {
                var sum = new System.Numerics.Vector<float>(sums, i) + new System.Numerics.Vector<float>(likelihoods, row + i);
                sum.CopyTo(sums, i);
            }
        }
#endif
        for (; i < n; i++)
        {
            sums[i] += likelihoods[row + i];
        }
    }

    // Fibonacci hashing: the feature hashes are FNV values, whose high bits mix well after one multiply.
    private int Slot(uint hash) => (int)((hash * 2654435769u) >> _shift);

    private int Row(uint hash)
    {
        var slot = Slot(hash);
        while (true)
        {
            var row = _slotRows[slot];
            if (row < 0 || _slotKeys[slot] == hash)
            {
                return row;
            }

            slot = (slot + 1) & _mask;
        }
    }

    public IReadOnlyList<string> Intents => _tables.Intents;

    /// <summary>Probabilities (summing to 1) of every intent for <paramref name="normalized"/>; a new array.</summary>
    public double[] Probabilities(string normalized)
    {
        if (normalized is null)
        {
            throw new ArgumentNullException(nameof(normalized));
        }

        var scores = new double[_tables.Intents.Count];
        Score(normalized, scores);
        return scores;
    }

    public ClassifierResult Classify(string normalized)
    {
        if (normalized is null)
        {
            throw new ArgumentNullException(nameof(normalized));
        }

        var n = _tables.Intents.Count;
        var p = Scratch(n);
        Score(normalized, p);
        return Pick(p, n);
    }

    private static double[] Scratch(int n)
    {
        var p = t_scores;
        if (p is null || p.Length < n)
        {
            p = new double[n];
            t_scores = p;
        }

        return p;
    }

    // The two most likely of p[0..n).
    private static ClassifierResult Pick(double[] p, int n)
    {
        int best = -1, second = -1;
        for (var i = 0; i < n; i++)
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

    /// <summary>
    /// <see cref="Classify"/>, except when its best intent would be <paramref name="agreed"/>: then
    /// the result is <paramref name="agreed"/> with no probabilities (NaN, and no second), and the
    /// softmax is not computed. The softmax keeps the order of the summed scores, so the best intent is
    /// found from the sums alone. For a caller that only needs the probabilities when the classifier
    /// disagrees (the engine's short-trigger rule, where it usually agrees with the trigger).
    /// </summary>
    public ClassifierResult ClassifyUnless(string normalized, int agreed)
    {
        if (normalized is null)
        {
            throw new ArgumentNullException(nameof(normalized));
        }

        var n = _tables.Intents.Count;
        if (n == 0)
        {
            return new ClassifierResult(-1, 0, -1, 0);
        }

        var sums = Sums(normalized, out var known);
        // With nothing known Classify reads every intent as equally likely, and its first is the best.
        var best = 0;
        for (var i = 1; known > 0 && i < n; i++)
        {
            if (sums[i] > sums[best])
            {
                best = i;
            }
        }

        if (best == agreed)
        {
            return new ClassifierResult(best, double.NaN, -1, double.NaN);
        }

        var p = Scratch(n);
        ToProbabilities(sums, known, p, n);
        return Pick(p, n);
    }

    // The prior plus every known feature's row, per intent, in the per-thread sums array (its first n
    // entries); known counts the features the tables have.
    private float[] Sums(string normalized, out int known)
    {
        var n = _tables.Intents.Count;
        var needed = IntentFeaturizer.MaxFeatureCount(normalized.Length, _tables.MaxOrder);
        var features = t_features;
        if (features is null || features.Length < needed)
        {
            features = new uint[Math.Max(needed, 256)];
            t_features = features;
        }

        var sums = t_sums;
        if (sums is null || sums.Length < n)
        {
            sums = new float[n];
            t_sums = sums;
        }

        var priors = _tables.LogPriors;
        for (var i = 0; i < n; i++)
        {
            sums[i] = priors[i];
        }

        var count = IntentFeaturizer.Features(normalized, _tables.MaxOrder, features);
        var likelihoods = _tables.LogLikelihoods;
        known = 0;
        for (var k = 0; k < count; k++)
        {
            var at = Row(features[k]);
            if (at < 0)
            {
                // A feature no intent was trained on carries no evidence for any of them.
                continue;
            }

            known++;
            AddRow(likelihoods, at * n, sums, n);
        }

        return sums;
    }

    // Writes the probabilities of the n intents into scores[0..n).
    private void Score(string normalized, double[] scores)
    {
        var n = _tables.Intents.Count;
        if (n == 0)
        {
            return;
        }

        var sums = Sums(normalized, out var known);
        ToProbabilities(sums, known, scores, n);
    }

    // The softmax of sums[0..n) at the tables' temperature, into scores[0..n).
    private void ToProbabilities(float[] sums, int known, double[] scores, int n)
    {
        for (var i = 0; i < n; i++)
        {
            scores[i] = sums[i];
        }

        if (known == 0)
        {
            // Nothing known: every intent equally likely, so no decision can be made on it.
            for (var i = 0; i < n; i++)
            {
                scores[i] = 1.0 / n;
            }

            return;
        }

        // Softmax at the tables' temperature, shifted by the maximum so nothing overflows.
        var max = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            max = Math.Max(max, scores[i]);
        }

        var inverse = 1.0 / _tables.Temperature;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            scores[i] = Math.Exp((scores[i] - max) * inverse);
            sum += scores[i];
        }

        for (var i = 0; i < n; i++)
        {
            scores[i] /= sum;
        }
    }
}
