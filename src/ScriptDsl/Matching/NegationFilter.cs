using ScriptDsl.Text;

namespace ScriptDsl.Matching;

/// <summary>
/// Decides whether a trigger hit is negated ("不贵" is not a price objection), for one concept's
/// declared negation prefixes.
/// </summary>
/// <remarks>
/// The rule, on normalized text: a hit starting at index s is negated when a declared prefix ends
/// at s − k, where the k characters between (0 ≤ k ≤ <see cref="MaxIntervening"/>) are all degree
/// adverbs from <see cref="InterveningCharacters"/>. With the defaults:
/// "不贵", "不太贵" (k = 1), "不是很贵" (k = 2), "也不算贵" (k = 1), "没那么贵" (k = 2) and
/// "不是特别贵" (k = 3) are negated; "不, 贵" is not (the separator is never an adverb, so a
/// negation never reaches across a clause), nor is "不觉得贵" (觉得 is not an adverb: declare
/// "不觉得" as a prefix if the script wants it). Double negation ("不是不贵") is not resolved: the
/// nearer 不 negates the hit. Prefixes are normalized like the text; matching is ordinal.
/// </remarks>
public sealed class NegationFilter
{
    /// <summary>Degree adverbs that may stand between a negation and the word it negates.</summary>
    public const string DefaultInterveningCharacters = "很太算是那这么怎咋大够特别非常真";

    /// <summary>The default for how many adverb characters may stand between.</summary>
    public const int DefaultMaxIntervening = 3;

    private readonly string[] _prefixes;

    /// <summary>A filter with the default adverbs and gap.</summary>
    public NegationFilter(IEnumerable<string> prefixes)
        : this(prefixes, DefaultInterveningCharacters, DefaultMaxIntervening)
    {
    }

    /// <summary>A filter with explicit adverbs (characters) and a maximum gap.</summary>
    public NegationFilter(IEnumerable<string> prefixes, string interveningCharacters, int maxIntervening)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(interveningCharacters);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIntervening);
        if (interveningCharacters.Contains(TextNormalizer.Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException("A separator can never stand between a negation and its word.", nameof(interveningCharacters));
        }

        var normalized = new List<string>();
        foreach (string prefix in prefixes)
        {
            string p = TextNormalizer.Normalize(prefix ?? throw new ArgumentException("A negation prefix is null.", nameof(prefixes)));
            if (p.Length > 0 && !normalized.Contains(p))
            {
                normalized.Add(p);
            }
        }

        _prefixes = normalized.ToArray();
        InterveningCharacters = interveningCharacters;
        MaxIntervening = maxIntervening;
    }

    /// <summary>The normalized prefixes, in declaration order, duplicates removed.</summary>
    public IReadOnlyList<string> Prefixes => _prefixes;

    /// <summary>Characters allowed between a prefix and the hit.</summary>
    public string InterveningCharacters { get; }

    /// <summary>How many of them may stand between.</summary>
    public int MaxIntervening { get; }

    /// <summary>True when the hit at <paramref name="hitStart"/> is negated.</summary>
    public bool IsNegated(ReadOnlySpan<char> normalizedText, int hitStart)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hitStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hitStart, normalizedText.Length);
        for (int gap = 0; gap <= MaxIntervening && gap <= hitStart; gap++)
        {
            if (gap > 0 && InterveningCharacters.IndexOf(normalizedText[hitStart - gap]) < 0)
            {
                return false;
            }

            ReadOnlySpan<char> before = normalizedText[..(hitStart - gap)];
            foreach (string prefix in _prefixes)
            {
                if (before.EndsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="hit"/> is negated.</summary>
    public bool IsNegated(ReadOnlySpan<char> normalizedText, TriggerHit hit) => IsNegated(normalizedText, hit.Start);
}
