// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0).
// Only primitive arrays, so the generator can emit an automaton as static data:
//   new global::ScriptDsl.Matching.TriggerAutomaton(new global::ScriptDsl.Matching.TriggerAutomatonData(
//       new char[] { ... }, new int[] { ... }, ...))
using System;
using System.Collections.Generic;

namespace ScriptDsl.Matching;

/// <summary>
/// The tables of an Aho–Corasick automaton built by <see cref="TriggerAutomatonBuilder"/>.
/// </summary>
/// <remarks>
/// Layout (S = number of states, state 0 is the root; states are numbered in breadth-first order,
/// so <c>Failure[s] &lt; s</c> for every s &gt; 0; K = alphabet size; P = number of patterns):
/// <list type="table">
/// <item><term><see cref="Alphabet"/> [K]</term><description>the distinct characters of all patterns,
/// sorted ordinally. Character <c>Alphabet[k]</c> has class <c>k + 1</c>; any other character has
/// class 0, which no edge carries (it always sends the automaton back to the root).</description></item>
/// <item><term><see cref="EdgeOffsets"/> [S+1]</term><description>the trie edges of state s are
/// <c>EdgeOffsets[s] .. EdgeOffsets[s+1]-1</c> in the two arrays below, sorted by class.</description></item>
/// <item><term><see cref="EdgeClasses"/>, <see cref="EdgeTargets"/> [S−1]</term><description>class
/// and target state of each edge (every state but the root has exactly one incoming edge).</description></item>
/// <item><term><see cref="Failure"/> [S]</term><description>the state of the longest proper suffix of
/// this state's string that is also a trie prefix; 0 for the root.</description></item>
/// <item><term><see cref="OutputLink"/> [S]</term><description>the nearest state on the failure chain
/// (excluding this one) that completes at least one pattern, or −1.</description></item>
/// <item><term><see cref="OutputOffsets"/> [S+1], <see cref="OutputPatterns"/></term><description>the
/// patterns completed exactly at state s (not via the failure chain), ascending by pattern id.</description></item>
/// <item><term><see cref="PatternPayloads"/>, <see cref="PatternLengths"/> [P]</term><description>per
/// pattern id (the value <see cref="TriggerAutomatonBuilder.Add"/> returned): the caller's payload and
/// the pattern's length in characters.</description></item>
/// </list>
/// The runtime (<see cref="TriggerAutomaton"/>, not shared) turns the alphabet into a paged
/// char→class lookup and the root's edges into a dense array, so the per-character cost does not
/// depend on how many patterns or characters the shop has.
/// </remarks>
public sealed class TriggerAutomatonData
{
    /// <summary>Wraps the tables; checks that their lengths agree with each other.</summary>
    public TriggerAutomatonData(
        char[] alphabet,
        int[] edgeOffsets,
        int[] edgeClasses,
        int[] edgeTargets,
        int[] failure,
        int[] outputLink,
        int[] outputOffsets,
        int[] outputPatterns,
        int[] patternPayloads,
        int[] patternLengths)
    {
        Alphabet = alphabet ?? throw new ArgumentNullException(nameof(alphabet));
        EdgeOffsets = edgeOffsets ?? throw new ArgumentNullException(nameof(edgeOffsets));
        EdgeClasses = edgeClasses ?? throw new ArgumentNullException(nameof(edgeClasses));
        EdgeTargets = edgeTargets ?? throw new ArgumentNullException(nameof(edgeTargets));
        Failure = failure ?? throw new ArgumentNullException(nameof(failure));
        OutputLink = outputLink ?? throw new ArgumentNullException(nameof(outputLink));
        OutputOffsets = outputOffsets ?? throw new ArgumentNullException(nameof(outputOffsets));
        OutputPatterns = outputPatterns ?? throw new ArgumentNullException(nameof(outputPatterns));
        PatternPayloads = patternPayloads ?? throw new ArgumentNullException(nameof(patternPayloads));
        PatternLengths = patternLengths ?? throw new ArgumentNullException(nameof(patternLengths));

        int states = failure.Length;
        if (states < 1
            || edgeOffsets.Length != states + 1
            || outputLink.Length != states
            || outputOffsets.Length != states + 1
            || edgeClasses.Length != edgeTargets.Length
            || edgeOffsets[states] != edgeClasses.Length
            || outputOffsets[states] != outputPatterns.Length
            || patternPayloads.Length != patternLengths.Length
            || alphabet.Length > char.MaxValue)
        {
            throw new ArgumentException("The automaton tables do not fit together.");
        }
    }

    /// <summary>Distinct pattern characters, ordinal order; class of <c>Alphabet[k]</c> is k + 1.</summary>
    public char[] Alphabet { get; }

    /// <summary>Per state: start of its edges; one extra entry at the end.</summary>
    public int[] EdgeOffsets { get; }

    /// <summary>Per edge: the character class it is labelled with.</summary>
    public int[] EdgeClasses { get; }

    /// <summary>Per edge: the state it leads to.</summary>
    public int[] EdgeTargets { get; }

    /// <summary>Per state: the failure link.</summary>
    public int[] Failure { get; }

    /// <summary>Per state: the next state on the failure chain that completes a pattern, or −1.</summary>
    public int[] OutputLink { get; }

    /// <summary>Per state: start of its own completed patterns; one extra entry at the end.</summary>
    public int[] OutputOffsets { get; }

    /// <summary>Pattern ids completed at each state, grouped by <see cref="OutputOffsets"/>.</summary>
    public int[] OutputPatterns { get; }

    /// <summary>Per pattern id: the payload given to <see cref="TriggerAutomatonBuilder.Add"/>.</summary>
    public int[] PatternPayloads { get; }

    /// <summary>Per pattern id: its length in characters.</summary>
    public int[] PatternLengths { get; }

    /// <summary>Number of states, the root included.</summary>
    public int StateCount => Failure.Length;

    /// <summary>Number of patterns added.</summary>
    public int PatternCount => PatternPayloads.Length;
}
