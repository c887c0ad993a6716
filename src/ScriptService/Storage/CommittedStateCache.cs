namespace ScriptService.Storage;

/// <summary>
/// This process's copy of the last committed row of recently active conversations (version,
/// updated_at, the state's text and, when the caller handed it over, the state object it was
/// serialized from), so that a turn of a conversation this process wrote last neither reads the
/// database nor parses the state again. Bounded: at most <c>capacity</c> entries, the least
/// recently used evicted first. A copy is only a guess at the row: the write that follows still
/// checks the version in the database, and a conflict (another process wrote, or expired the row)
/// makes the store drop the entry and read the row again. Thread-safe; one short lock per call.
/// </summary>
internal sealed class CommittedStateCache
{
    private readonly int _capacity;
    private readonly Dictionary<ConversationKey, LinkedListNode<Entry>> _entries;
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly Lock _lock = new();

    public CommittedStateCache(int capacity)
    {
        _capacity = Math.Max(0, capacity);
        _entries = new Dictionary<ConversationKey, LinkedListNode<Entry>>(Math.Min(_capacity, 1024));
    }

    public bool Enabled => _capacity > 0;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(ConversationKey key, out Row row)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                row = node.Value.Row;
                return true;
            }
        }

        row = default;
        return false;
    }

    /// <summary>Keeps <paramref name="row"/> as the conversation's last committed row (only after its commit).</summary>
    public void Set(ConversationKey key, Row row)
    {
        if (_capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                node.Value.Row = row;
                _recency.Remove(node);
                _recency.AddFirst(node);
                return;
            }

            if (_entries.Count >= _capacity)
            {
                // Evict the least recently used, reusing its node.
                node = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(node.Value.Key);
                node.Value.Key = key;
                node.Value.Row = row;
            }
            else
            {
                node = new LinkedListNode<Entry>(new Entry { Key = key, Row = row });
            }

            _recency.AddFirst(node);
            _entries.Add(key, node);
        }
    }

    public void Remove(ConversationKey key)
    {
        lock (_lock)
        {
            if (_entries.Remove(key, out var node))
            {
                _recency.Remove(node);
            }
        }
    }

    /// <summary>Drops the entries last written before <paramref name="cutoffUnixMs"/> (idle expiry).</summary>
    public void RemoveOlderThan(long cutoffUnixMs)
    {
        lock (_lock)
        {
            var node = _recency.Last;
            while (node is not null)
            {
                var previous = node.Previous;
                if (node.Value.Row.UpdatedAt < cutoffUnixMs)
                {
                    _recency.Remove(node);
                    _entries.Remove(node.Value.Key);
                }

                node = previous;
            }
        }
    }

    /// <summary>
    /// A committed row: its version, when it was written (Unix ms), the state's text, the object it
    /// was serialized from (or null), and the request id of the write that left it with that
    /// write's response (none when the row was read, or written without an id), so that a retry
    /// of the last request is answered without a decision.
    /// </summary>
    public readonly record struct Row(long Version, long UpdatedAt, string State, object? Decoded, RequestIdentity LastRequest, byte[]? LastResponse);

    private sealed class Entry
    {
        public ConversationKey Key;
        public Row Row;
    }
}
