namespace ScriptService.Storage;

/// <summary>Settings of the conversation store (section "Store" of the configuration).</summary>
public sealed class StoreOptions
{
    /// <summary>Folder of the SQLite file; created on first run.</summary>
    public string DataFolder { get; set; } = "data";

    public string FileName { get; set; } = "conversations.db";

    /// <summary>A conversation idle longer than this starts afresh (its statistics stay).</summary>
    public TimeSpan IdleExpiry { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many times an update re-reads and re-decides after losing a race.</summary>
    public int MaxConflictRetries { get; set; } = 50;

    /// <summary>Where the shops' day starts, for daily limits (China: +08:00).</summary>
    public TimeSpan DayUtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a writer waits for SQLite's write lock.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
