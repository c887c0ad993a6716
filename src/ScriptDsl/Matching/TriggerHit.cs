namespace ScriptDsl.Matching;

/// <summary>One occurrence of a trigger pattern in a normalized message.</summary>
/// <param name="Payload">The value given with the pattern to <see cref="TriggerAutomatonBuilder.Add"/>.</param>
/// <param name="Start">Index of the first matched character in the normalized text.</param>
/// <param name="Length">Number of matched characters.</param>
/// <param name="PatternId">The id <see cref="TriggerAutomatonBuilder.Add"/> returned: declaration order,
/// for breaking ties between hits of equal length.</param>
public readonly record struct TriggerHit(int Payload, int Start, int Length, int PatternId)
{
    /// <summary>A hit whose pattern id is not known (−1), e.g. one made by hand in a test.</summary>
    public TriggerHit(int payload, int start, int length)
        : this(payload, start, length, -1)
    {
    }

    /// <summary>Index just past the last matched character.</summary>
    public int End => Start + Length;
}
