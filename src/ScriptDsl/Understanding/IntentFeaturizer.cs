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

    /// <summary>Adds the hash of every n-gram (1..<paramref name="maxOrder"/>) of <paramref name="normalized"/> to <paramref name="into"/>, repeats included.</summary>
    public static void Features(string normalized, int maxOrder, List<uint> into)
    {
        if (normalized is null)
        {
            throw new ArgumentNullException(nameof(normalized));
        }

        if (into is null)
        {
            throw new ArgumentNullException(nameof(into));
        }

        var start = 0;
        while (start < normalized.Length)
        {
            var end = normalized.IndexOf(' ', start);
            if (end < 0)
            {
                end = normalized.Length;
            }

            AddClause(normalized, start, end, maxOrder, into);
            start = end + 1;
        }
    }

    private static void AddClause(string text, int start, int end, int maxOrder, List<uint> into)
    {
        if (end <= start)
        {
            return;
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

                into.Add(hash ^ ((uint)n * 0x9E3779B9u));
            }
        }
    }
}
