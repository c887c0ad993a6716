using System.Runtime.CompilerServices;

namespace ScriptDsl.Matching;

/// <summary>
/// Runs an Aho–Corasick automaton built by <see cref="TriggerAutomatonBuilder"/> over normalized
/// messages. Immutable and thread-safe once constructed; one per shop.
/// </summary>
/// <remarks>
/// The emitted tables (<see cref="TriggerAutomatonData"/>) are compact; the constructor expands two
/// of them so the per-character cost does not grow with the shop:
/// <list type="bullet">
/// <item>char → class: a two-level page table (256 pages of 256 classes, pages with no pattern
/// character share one all-zero page), two array reads per character whatever the alphabet size.
/// A shop with 10,000 CJK triggers touches about 80 pages (≈40 KB).</item>
/// <item>the root's edges — the state with thousands of CJK edges — become a dense array indexed by
/// class. Every other state has few edges (almost always 1–3) and is searched linearly, or by
/// binary search past <see cref="LinearSearchLimit"/> edges.</item>
/// </list>
/// Matching is O(text length + hits): failure transitions are amortized against the depth gained,
/// and hits are reported by walking output links that only visit states which complete a pattern.
/// </remarks>
public sealed class TriggerAutomaton
{
    private const int LinearSearchLimit = 8;

    private readonly ushort[] _pageOfHighByte;   // [256]: which page holds the classes of c >> 8
    private readonly ushort[] _classPages;       // pages of 256 classes; page 0 is all zero
    private readonly int[] _rootNext;            // [K+1]: root transition per class (0 = stay at root)
    private readonly int[] _edgeOffsets;
    private readonly int[] _edgeClasses;
    private readonly int[] _edgeTargets;
    private readonly int[] _failure;
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
        Data = data;
        _edgeOffsets = data.EdgeOffsets;
        _edgeClasses = data.EdgeClasses;
        _edgeTargets = data.EdgeTargets;
        _failure = data.Failure;
        _outputLink = data.OutputLink;
        _outputOffsets = data.OutputOffsets;
        _outputPatterns = data.OutputPatterns;
        _patternPayloads = data.PatternPayloads;
        _patternLengths = data.PatternLengths;

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

        _rootNext = new int[alphabet.Length + 1];
        for (int e = _edgeOffsets[0]; e < _edgeOffsets[1]; e++)
        {
            _rootNext[_edgeClasses[e]] = _edgeTargets[e];
        }

        int states = data.StateCount;
        _firstOutput = new int[states];
        for (int s = 0; s < states; s++)
        {
            _firstOutput[s] = _outputOffsets[s + 1] > _outputOffsets[s] ? s : _outputLink[s];
        }
    }

    /// <summary>The tables this automaton runs.</summary>
    public TriggerAutomatonData Data { get; }

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

            state = Next(state, cls);
            for (int o = _firstOutput[state]; o >= 0; o = _outputLink[o])
            {
                for (int k = _outputOffsets[o]; k < _outputOffsets[o + 1]; k++)
                {
                    int pattern = _outputPatterns[k];
                    int length = _patternLengths[pattern];
                    hits.Add(new TriggerHit(_patternPayloads[pattern], i + 1 - length, length, pattern));
                }
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

            state = Next(state, cls);
            if (_firstOutput[state] >= 0)
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ClassOf(char c) => _classPages[(_pageOfHighByte[c >> 8] << 8) | (c & 0xFF)];

    private int Next(int state, int cls)
    {
        while (state != 0)
        {
            int target = FindEdge(state, cls);
            if (target >= 0)
            {
                return target;
            }

            state = _failure[state];
        }

        return _rootNext[cls];
    }

    private int FindEdge(int state, int cls)
    {
        int start = _edgeOffsets[state];
        int end = _edgeOffsets[state + 1];
        if (end - start <= LinearSearchLimit)
        {
            for (int e = start; e < end; e++)
            {
                if (_edgeClasses[e] == cls)
                {
                    return _edgeTargets[e];
                }
            }

            return -1;
        }

        int index = Array.BinarySearch(_edgeClasses, start, end - start, cls);
        return index >= 0 ? _edgeTargets[index] : -1;
    }
}
