using System.Runtime.CompilerServices;

namespace ScriptDsl.Matching;

/// <summary>
/// Runs an Aho–Corasick automaton built by <see cref="TriggerAutomatonBuilder"/> over normalized
/// messages. Immutable and thread-safe once constructed; one per shop.
/// </summary>
/// <remarks>
/// The emitted tables (<see cref="TriggerAutomatonData"/>) are compact; the constructor expands them
/// so the per-character cost does not grow with the shop:
/// <list type="bullet">
/// <item>char → class: a two-level page table (256 pages of 256 classes, pages with no pattern
/// character share one all-zero page), two array reads per character whatever the alphabet size.
/// A shop with 10,000 CJK triggers touches about 80 pages (≈40 KB).</item>
/// <item>the root's edges — the state with thousands of CJK edges — become a dense array indexed by
/// class.</item>
/// <item>every other state's transitions are <em>resolved</em> once, failure links already
/// followed: δ(s, c) = the trie edge of s for c if there is one, else δ(failure(s), c), else the
/// root's. Only the entries that do not fall back to the root's are stored, in one open-addressing
/// hash table keyed by (state, class), 8 bytes an entry, at most half full. A transition is then
/// one hash probe (about 1.5 on a miss) plus, on a miss, one read of the dense root array: no
/// failure loop at run time and no search whose length depends on the number of edges.</item>
/// </list>
/// Memory: the resolved transitions number at most (longest trigger) × (trie edges), in practice
/// a few times the edges: for the 10,000-trigger benchmark set, 23,081 edges resolve to 203,610
/// transitions, a 4 MB table; 1,000 triggers take 128 KB. At most 2^23 states.
/// <para>
/// Matching is O(text length + hits): one transition per character, and hits are reported by
/// walking output links that only visit states which complete a pattern.
/// </para>
/// </remarks>
public sealed class TriggerAutomaton
{
    // Transition targets carry a flag: does the target state report anything (itself or through
    // its output links)? Then the common no-hit character costs no extra table read.
    private const int ReportsFlag = 1 << 23;
    private const int StateMask = ReportsFlag - 1;
    private const int MaxStates = ReportsFlag;

    private readonly ushort[] _pageOfHighByte;   // [256]: which page holds the classes of c >> 8
    private readonly ushort[] _classPages;       // pages of 256 classes; page 0 is all zero
    private readonly int[] _rootNext;            // [K+1]: flagged root transition per class (0 = stay at root)
    private readonly ulong[] _transitions;       // open addressing: state:24 | class:16 | flagged target:24, 0 = empty
    private readonly int _hashShift;
    private readonly int _hashMask;
    private readonly int[] _firstOutput;         // per state: itself if it completes a pattern, else its output link
    private readonly int[] _outputLink;
    private readonly int[] _outputOffsets;
    private readonly int[] _outputPatterns;
    private readonly int[] _patternPayloads;
    private readonly int[] _patternLengths;

    /// <summary>Prepares the runtime lookups for the given tables.</summary>
    public TriggerAutomaton(TriggerAutomatonData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.StateCount > MaxStates)
        {
            throw new ArgumentException("An automaton may have at most 2^23 states.", nameof(data));
        }

        Data = data;
        _outputLink = data.OutputLink;
        _outputOffsets = data.OutputOffsets;
        _outputPatterns = data.OutputPatterns;
        _patternPayloads = data.PatternPayloads;
        _patternLengths = data.PatternLengths;

        int states = data.StateCount;
        _firstOutput = new int[states];
        for (int s = 0; s < states; s++)
        {
            _firstOutput[s] = _outputOffsets[s + 1] > _outputOffsets[s] ? s : _outputLink[s];
        }

        char[] alphabet = data.Alphabet;
        _pageOfHighByte = new ushort[256];
        int pageCount = 1;
        for (int k = 0; k < alphabet.Length; k++)
        {
            int high = alphabet[k] >> 8;
            if (_pageOfHighByte[high] == 0)
            {
                _pageOfHighByte[high] = (ushort)pageCount++;
            }
        }

        _classPages = new ushort[pageCount * 256];
        for (int k = 0; k < alphabet.Length; k++)
        {
            char c = alphabet[k];
            _classPages[(_pageOfHighByte[c >> 8] << 8) | (c & 0xFF)] = (ushort)(k + 1);
        }

        int[] edgeOffsets = data.EdgeOffsets;
        int[] edgeClasses = data.EdgeClasses;
        int[] edgeTargets = data.EdgeTargets;
        _rootNext = new int[alphabet.Length + 1];
        for (int e = edgeOffsets[0]; e < edgeOffsets[1]; e++)
        {
            _rootNext[edgeClasses[e]] = Flagged(edgeTargets[e]);
        }

        (int[] rowOffsets, int[] row) = ResolveFailureTransitions(edgeOffsets, edgeClasses, edgeTargets, data.Failure);
        int pairs = row.Length / 2;
        ResolvedTransitionCount = pairs;
        int bits = 4;
        while ((1 << bits) < pairs * 2)
        {
            bits++;
        }

        _transitions = new ulong[1 << bits];
        _hashShift = 64 - bits;
        _hashMask = (1 << bits) - 1;
        for (int s = 1; s < data.StateCount; s++)
        {
            for (int e = rowOffsets[s]; e < rowOffsets[s + 1]; e += 2)
            {
                ulong key = Key(s, row[e]);
                int i = Slot(key);
                while (_transitions[i] != 0)
                {
                    i = (i + 1) & _hashMask;
                }

                _transitions[i] = (key << 24) | (uint)Flagged(row[e + 1]);
            }
        }

    }

    /// <summary>The tables this automaton runs.</summary>
    public TriggerAutomatonData Data { get; }

    /// <summary>Size of the expanded transition rows (non-root states), for memory accounting.</summary>
    public int ResolvedTransitionCount { get; }

    /// <summary>
    /// Appends every occurrence of every pattern in <paramref name="normalizedText"/> to
    /// <paramref name="hits"/>, overlapping ones included. Order: by end position; at the same end,
    /// longest first; for the same phrase, by pattern id.
    /// </summary>
    public void FindAll(ReadOnlySpan<char> normalizedText, List<TriggerHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        int state = 0;
        for (int i = 0; i < normalizedText.Length; i++)
        {
            int cls = ClassOf(normalizedText[i]);
            if (cls == 0)
            {
                state = 0;
                continue;
            }

            int next = Next(state, cls);
            state = next & StateMask;
            if (next >= ReportsFlag)
            {
                Report(state, i + 1, hits);
            }
        }
    }

    private void Report(int state, int end, List<TriggerHit> hits)
    {
        for (int o = _firstOutput[state]; o >= 0; o = _outputLink[o])
        {
            for (int k = _outputOffsets[o]; k < _outputOffsets[o + 1]; k++)
            {
                int pattern = _outputPatterns[k];
                int length = _patternLengths[pattern];
                hits.Add(new TriggerHit(_patternPayloads[pattern], end - length, length, pattern));
            }
        }
    }

    /// <summary>Convenience form of <see cref="FindAll(ReadOnlySpan{char}, List{TriggerHit})"/>.</summary>
    public List<TriggerHit> FindAll(string normalizedText)
    {
        ArgumentNullException.ThrowIfNull(normalizedText);
        var hits = new List<TriggerHit>();
        FindAll(normalizedText.AsSpan(), hits);
        return hits;
    }

    /// <summary>True as soon as any pattern occurs; stops at the first hit.</summary>
    public bool ContainsAny(ReadOnlySpan<char> normalizedText)
    {
        int state = 0;
        for (int i = 0; i < normalizedText.Length; i++)
        {
            int cls = ClassOf(normalizedText[i]);
            if (cls == 0)
            {
                state = 0;
                continue;
            }

            int next = Next(state, cls);
            if (next >= ReportsFlag)
            {
                return true;
            }

            state = next;
        }

        return false;
    }

    private int Flagged(int state) => _firstOutput[state] >= 0 ? state | ReportsFlag : state;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ClassOf(char c) => _classPages[(_pageOfHighByte[c >> 8] << 8) | (c & 0xFF)];

    // Returns the flagged target. One hash probe per character, no failure loop: the table holds every transition of a
    // non-root state that does not fall back to the root's. Linear probing; the table is at most
    // half full, so a miss ends at an empty slot after about 1.5 probes on average.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Next(int state, int cls)
    {
        if (state != 0)
        {
            ulong key = Key(state, cls);
            ulong[] table = _transitions;
            for (int i = Slot(key); ; i = (i + 1) & _hashMask)
            {
                ulong entry = table[i];
                if ((entry >> 24) == key)
                {
                    return (int)(entry & 0xFFFFFF);
                }

                if (entry == 0)
                {
                    break;
                }
            }
        }

        return _rootNext[cls];
    }

    // state:24 | class:16. Never 0 for a stored transition: the root's are not stored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(int state, int cls) => ((ulong)(uint)state << 16) | (uint)cls;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _hashShift);

    // Row(s) = the trie edges of s, plus Row(failure(s)) for the classes s has no edge for; the
    // root's row is empty because its transitions are the dense _rootNext. Then δ(s, c) is the row
    // entry for c, or _rootNext[c] when there is none: exactly the Aho–Corasick transition with the
    // failure links already followed. States come in breadth-first order, so failure(s) < s is done.
    private static (int[] Offsets, int[] Row) ResolveFailureTransitions(int[] edgeOffsets, int[] edgeClasses, int[] edgeTargets, int[] failure)
    {
        int states = failure.Length;
        var offsets = new int[states + 1];
        var row = new List<int>(edgeClasses.Length * 4);
        for (int s = 0; s < states; s++)
        {
            offsets[s] = row.Count;
            if (s == 0)
            {
                continue;
            }

            int e = edgeOffsets[s];
            int eEnd = edgeOffsets[s + 1];
            int f = offsets[failure[s]];
            int fEnd = failure[s] == 0 ? f : offsets[failure[s] + 1];
            while (e < eEnd || f < fEnd)
            {
                // Merge of two class-sorted lists; the state's own edge wins over the inherited one.
                if (f >= fEnd || (e < eEnd && edgeClasses[e] <= row[f]))
                {
                    if (f < fEnd && edgeClasses[e] == row[f])
                    {
                        f += 2;
                    }

                    row.Add(edgeClasses[e]);
                    row.Add(edgeTargets[e]);
                    e++;
                }
                else
                {
                    row.Add(row[f]);
                    row.Add(row[f + 1]);
                    f += 2;
                }
            }
        }

        offsets[states] = row.Count;
        return (offsets, row.ToArray());
    }
}
