using System.Collections;
using System.Text;

namespace ScriptService.Grpc.Protocol;

/// <summary>
/// Custom metadata (headers or trailers) as an ordered list of entries (mirrors Grpc.Core.Metadata).
/// Keys are lower-case ASCII; keys ending in "-bin" carry bytes, sent base64-encoded on the wire.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    public const string BinarySuffix = "-bin";
    private readonly List<Entry> _entries = new();

    public void Add(string key, string value) => _entries.Add(new Entry(key, value));
    public void Add(string key, byte[] valueBytes) => _entries.Add(new Entry(key, valueBytes));

    /// <summary>The first entry with this key, or null.</summary>
    public Entry? Get(string key)
    {
        // Stored keys are lower case; comparing ignoring case spares normalizing the argument on every lookup.
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }
        return null;
    }

    public string? GetValue(string key) => Get(key)?.Value;
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

    public Entry this[int index] { get => _entries[index]; set => _entries[index] = value; }
    public int Count => _entries.Count;
    public bool IsReadOnly => false;
    public void Add(Entry item) => _entries.Add(item);
    public void Clear() => _entries.Clear();
    public bool Contains(Entry item) => _entries.Contains(item);
    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();
    public int IndexOf(Entry item) => _entries.IndexOf(item);
    public void Insert(int index, Entry item) => _entries.Insert(index, item);
    public bool Remove(Entry item) => _entries.Remove(item);
    public void RemoveAt(int index) => _entries.RemoveAt(index);
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry: an ASCII value, or bytes for a "-bin" key.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        private Entry(string key, string? value, byte[]? valueBytes)
        {
            Key = key;
            _value = value;
            _valueBytes = valueBytes;
        }

        /// <summary>For keys already checked with <see cref="IsValidKey"/> and lower-cased (the server's header reader).</summary>
        internal static Entry Trusted(string lowerKey, string value) => new(lowerKey, value, null);

        internal static Entry Trusted(string lowerKey, byte[] valueBytes) => new(lowerKey, null, valueBytes);

        public static bool IsValidKey(string key)
        {
            if (string.IsNullOrEmpty(key))
            {
                return false;
            }
            foreach (var c in key)
            {
                if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.'))
                {
                    return false;
                }
            }
            return true;
        }

        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException("Key ending in -bin requires a byte[] value.", nameof(key));
            }
            _value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException("A byte[] value requires a key ending in -bin.", nameof(key));
            }
            _valueBytes = valueBytes ?? throw new ArgumentNullException(nameof(valueBytes));
        }

        public string Key { get; }
        public bool IsBinary => _valueBytes is not null;

        /// <summary>The text value; for a binary entry, its base64 form.</summary>
        public string Value => _value ?? Convert.ToBase64String(_valueBytes!);

        /// <summary>The bytes; for a text entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => _valueBytes ?? Encoding.ASCII.GetBytes(_value!);

        internal static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            if (!IsValidKey(key))
            {
                throw new ArgumentException($"Metadata key '{key}' has a character outside [a-z0-9-_.].", nameof(key));
            }
            return key.ToLowerInvariant();
        }

        public override string ToString() => $"[Entry: key={Key}, value={Value}]";
    }
}
