namespace ScriptDsl.Matching;

/// <summary>One occurrence of a trigger pattern in a normalized message.</summary>
/// <param name="Payload">The value given with the pattern to <see cref="TriggerAutomatonBuilder.Add"/>.</param>
/// <param name="Start">Index of the first matched character in the normalized text.</param>
/// <param name="Length">Number of matched characters.</param>
/// <param name="PatternId">The id <see cref="TriggerAutomatonBuilder.Add"/> returned: declaration order,
/// for breaking ties between hits of equal length.</param>
public readonly record struct TriggerHit(int Payload, int Start, int Length, int PatternId)
{
    /// <summary>Index just past the last matched character.</summary>
    public int End => Start + Length;
}
