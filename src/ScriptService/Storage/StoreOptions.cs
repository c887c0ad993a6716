namespace ScriptService.Storage;

/// <summary>Settings of the conversation store (section "Store" of the configuration).</summary>
public sealed class StoreOptions
{
    /// <summary>"sqlite" (the embedded default, one file) or "postgres" (many replicas on one server).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For "postgres": an Npgsql connection string ("Host=…;Port=…;Username=…;Database=…").</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// For SQLite: Full (the default) fsyncs every commit, so an acknowledged answer survives a power
    /// cut; Normal (<c>synchronous=NORMAL</c> in WAL mode) survives a crash of the process but may lose
    /// the last commits on a power cut or an operating-system crash.
    /// </summary>
    public StoreDurability Durability { get; set; } = StoreDurability.Full;

    /// <summary>Folder of the SQLite file; created on first run.</summary>
    public string DataFolder { get; set; } = "data";

    public string FileName { get; set; } = "conversations.db";

    /// <summary>A conversation idle longer than this starts afresh (its statistics stay).</summary>
    public TimeSpan IdleExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many times an update re-reads and re-decides after losing a race.</summary>
    public int MaxConflictRetries { get; set; } = 50;

    /// <summary>Where the shops' day starts, for daily limits (China: +08:00).</summary>
    public TimeSpan DayUtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The shops' calendar day of a moment, e.g. "2026-11-22": the key of daily stock counts in every store.</summary>
    public string DayOf(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToOffset(DayUtcOffset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How long a writer waits for SQLite's write lock.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SQLite: how many conversations this process keeps the last committed row of (the state's
    /// text and the state object), so that their next turn reads nothing; the least recently used
    /// are dropped first. About 3 KB each at the lamp shop's state size. 0 reads every turn.
    /// </summary>
    public int CachedConversations { get; set; } = 10_000;

    /// <summary>How many distinct unmatched texts are kept per shop (the most recently seen ones).</summary>
    public int UnmatchedPerShop { get; set; } = 1000;
}

public enum StoreDurability
{
    Full,
    Normal,
}
