// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0),
// so the classifier trained at build time sees exactly the features the runtime computes.
using System;
using System.Collections.Generic;

namespace ScriptDsl.Understanding;

/// <summary>
/// Turns a normalized message (see <see cref="ScriptDsl.Text.TextNormalizer"/>) into feature hashes:
/// character n-grams of 1 to <see cref="MaxOrder"/> characters inside each space-separated clause,
/// with a boundary mark at both ends of the clause ("^一般" and "到啊$" are features), the way
/// Rasa's <c>char_wb</c> count vectors do. Hashes are FNV-1a over the UTF-16 code units, with the
/// n-gram's order folded in, so they are the same on every host and in every process.
/// </summary>
public static class IntentFeaturizer
{
    /// <summary>The longest n-gram (characters); the trainer records the order it used.</summary>
    public const int MaxOrder = 3;

    private const char Boundary = '\u0001';

    /// <summary>The most features <see cref="Features(string, int, uint[])"/> can write for a normalized text of this length.</summary>
    public static int MaxFeatureCount(int normalizedLength, int maxOrder) => (normalizedLength + 2) * maxOrder;

    /// <summary>Adds the hash of every n-gram (1..<paramref name="maxOrder"/>) of <paramref name="normalized"/> to <paramref name="into"/>, repeats included.</summary>
    public static void Features(string normalized, int maxOrder, List<uint> into)
    {
        if (into is null)
        {
            throw new ArgumentNullException(nameof(into));
        }

        var buffer = new uint[MaxFeatureCount(normalized?.Length ?? 0, maxOrder)];
        var count = Features(normalized!, maxOrder, buffer);
        for (var i = 0; i < count; i++)
        {
            into.Add(buffer[i]);
        }
    }

    /// <summary>
    /// Writes the hash of every n-gram into <paramref name="into"/>, which must hold
    /// <see cref="MaxFeatureCount"/> entries, and returns how many it wrote: the allocation-free form
    /// the classifier runs on (netstandard2.0 has no spans, so a caller-owned array).
    /// </summary>
    public static int Features(string normalized, int maxOrder, uint[] into)
    {
        if (normalized is null)
        {
            throw new ArgumentNullException(nameof(normalized));
        }

        if (into is null)
        {
            throw new ArgumentNullException(nameof(into));
        }

        if (maxOrder < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxOrder), "The n-gram order must be at least 1.");
        }

        if (into.Length < MaxFeatureCount(normalized.Length, maxOrder))
        {
            throw new ArgumentException("The buffer must hold MaxFeatureCount(normalized.Length, maxOrder) features.", nameof(into));
        }

        var count = 0;
        var start = 0;
        while (start < normalized.Length)
        {
            var end = normalized.IndexOf(' ', start);
            if (end < 0)
            {
                end = normalized.Length;
            }

            count = AddClause(normalized, start, end, maxOrder, into, count);
            start = end + 1;
        }

        return count;
    }

    private static int AddClause(string text, int start, int end, int maxOrder, uint[] into, int count)
    {
        if (end <= start)
        {
            return count;
        }

        // Positions -1 and (end - start) are the clause's boundary marks.
        var length = end - start;
        for (var i = -1; i < length + 1; i++)
        {
            var hash = 2166136261u;
            for (var n = 1; n <= maxOrder && i + n - 1 <= length; n++)
            {
                var at = i + n - 1;
                var c = at < 0 || at == length ? Boundary : text[start + at];
                hash = (hash ^ c) * 16777619u;
                if (n == 1 && (at < 0 || at == length))
                {
                    // A lone boundary mark says nothing.
                    continue;
                }

                into[count++] = hash ^ ((uint)n * 0x9E3779B9u);
            }
        }

        return count;
    }
}
