// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0),
// which builds every shop's automaton at build time and emits the tables as static data.
using System;
using System.Collections.Generic;
using ScriptDsl.Text;

namespace ScriptDsl.Matching;

/// <summary>
/// Collects normalized trigger phrases and builds the Aho–Corasick tables that find all of them
/// in one left-to-right pass over a message.
/// </summary>
/// <remarks>
/// Deterministic: the same patterns added in the same order give identical tables (states are
/// numbered breadth-first, children in class order), so generated code is stable across builds.
/// </remarks>
public sealed class TriggerAutomatonBuilder
{
    private readonly List<string> _patterns = new List<string>();
    private readonly List<int> _payloads = new List<int>();

    /// <summary>Number of patterns added so far.</summary>
    public int Count => _patterns.Count;

    /// <summary>
    /// Adds a pattern and returns its pattern id (0, 1, 2, … in the order of the calls), which is
    /// also the declaration order the engine breaks ties with.
    /// </summary>
    /// <param name="normalizedPattern">A phrase already passed through <see cref="TextNormalizer.Normalize"/>;
    /// anything else is rejected, because it could never match a normalized message.</param>
    /// <param name="payload">The caller's value reported with each hit (e.g. a trigger id). The same
    /// phrase may be added with several payloads; each is reported.</param>
    public int Add(string normalizedPattern, int payload)
    {
        if (normalizedPattern is null)
        {
            throw new ArgumentNullException(nameof(normalizedPattern));
        }

        if (normalizedPattern.Length == 0)
        {
            throw new ArgumentException("A trigger pattern must not be empty.", nameof(normalizedPattern));
        }

        if (!string.Equals(TextNormalizer.Normalize(normalizedPattern), normalizedPattern, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "The trigger pattern \"" + normalizedPattern + "\" is not normalized; pass it through TextNormalizer.Normalize first.",
                nameof(normalizedPattern));
        }

        _patterns.Add(normalizedPattern);
        _payloads.Add(payload);
        return _patterns.Count - 1;
    }

    /// <summary>Builds the tables for all patterns added so far. The builder can be reused.</summary>
    public TriggerAutomatonData Build()
    {
        char[] alphabet = BuildAlphabet(out Dictionary<char, int> classOf);

        // 1. The trie, with temporary state numbers in creation order.
        var children = new List<SortedDictionary<int, int>> { new SortedDictionary<int, int>() };
        var outputs = new List<List<int>?> { null };
        for (int p = 0; p < _patterns.Count; p++)
        {
            int state = 0;
            foreach (char c in _patterns[p])
            {
                int cls = classOf[c];
                if (!children[state].TryGetValue(cls, out int next))
                {
                    next = children.Count;
                    children.Add(new SortedDictionary<int, int>());
                    outputs.Add(null);
                    children[state].Add(cls, next);
                }

                state = next;
            }

            List<int>? list = outputs[state];
            if (list == null)
            {
                list = new List<int>();
                outputs[state] = list;
            }

            list.Add(p); // ascending, since p only grows
        }

        // 2. Breadth-first renumbering: order[newId] = oldId.
        int stateCount = children.Count;
        var order = new int[stateCount];
        var newIdOf = new int[stateCount];
        int head = 0;
        int tail = 1;
        order[0] = 0;
        while (head < tail)
        {
            int old = order[head++];
            foreach (KeyValuePair<int, int> edge in children[old])
            {
                order[tail++] = edge.Value;
            }
        }

        for (int id = 0; id < stateCount; id++)
        {
            newIdOf[order[id]] = id;
        }

        // 3. Edges in the new numbering.
        var edgeOffsets = new int[stateCount + 1];
        var edgeClasses = new int[stateCount - 1];
        var edgeTargets = new int[stateCount - 1];
        int edgeCount = 0;
        for (int id = 0; id < stateCount; id++)
        {
            edgeOffsets[id] = edgeCount;
            foreach (KeyValuePair<int, int> edge in children[order[id]])
            {
                edgeClasses[edgeCount] = edge.Key;
                edgeTargets[edgeCount] = newIdOf[edge.Value];
                edgeCount++;
            }
        }

        edgeOffsets[stateCount] = edgeCount;

        // 4. Failure and output links, breadth-first so a state's parent and failure are done first.
        var failure = new int[stateCount];
        var outputLink = new int[stateCount];
        outputLink[0] = -1;
        for (int id = 0; id < stateCount; id++)
        {
            for (int e = edgeOffsets[id]; e < edgeOffsets[id + 1]; e++)
            {
                int cls = edgeClasses[e];
                int child = edgeTargets[e];
                int f = 0;
                if (id != 0)
                {
                    f = failure[id];
                    while (true)
                    {
                        int t = FindEdge(edgeOffsets, edgeClasses, edgeTargets, f, cls);
                        if (t >= 0)
                        {
                            f = t;
                            break;
                        }

                        if (f == 0)
                        {
                            break;
                        }

                        f = failure[f];
                    }
                }

                failure[child] = f;
                outputLink[child] = outputs[order[f]] != null ? f : outputLink[f];
            }
        }

        // 5. Outputs in the new numbering.
        var outputOffsets = new int[stateCount + 1];
        var outputPatterns = new int[_patterns.Count];
        int outputCount = 0;
        for (int id = 0; id < stateCount; id++)
        {
            outputOffsets[id] = outputCount;
            List<int>? list = outputs[order[id]];
            if (list != null)
            {
                foreach (int p in list)
                {
                    outputPatterns[outputCount++] = p;
                }
            }
        }

        outputOffsets[stateCount] = outputCount;

        var lengths = new int[_patterns.Count];
        for (int p = 0; p < _patterns.Count; p++)
        {
            lengths[p] = _patterns[p].Length;
        }

        return new TriggerAutomatonData(
            alphabet, edgeOffsets, edgeClasses, edgeTargets, failure, outputLink,
            outputOffsets, outputPatterns, _payloads.ToArray(), lengths);
    }

    private char[] BuildAlphabet(out Dictionary<char, int> classOf)
    {
        var distinct = new HashSet<char>();
        foreach (string pattern in _patterns)
        {
            foreach (char c in pattern)
            {
                distinct.Add(c);
            }
        }

        var alphabet = new char[distinct.Count];
        distinct.CopyTo(alphabet);
        Array.Sort(alphabet); // char's default comparison is ordinal
        classOf = new Dictionary<char, int>(alphabet.Length);
        for (int k = 0; k < alphabet.Length; k++)
        {
            classOf.Add(alphabet[k], k + 1);
        }

        return alphabet;
    }

    private static int FindEdge(int[] offsets, int[] classes, int[] targets, int state, int cls)
    {
        int index = Array.BinarySearch(classes, offsets[state], offsets[state + 1] - offsets[state], cls);
        return index >= 0 ? targets[index] : -1;
    }
}
