using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ScriptService.Storage;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with synchronous=FULL, so a write that
/// completed is on disk before the caller acknowledges the request.
/// <list type="bullet">
/// <item>Each update reads without a lock, lets the caller decide, then writes only if the
/// conversation's version is still the one read (optimistic concurrency); otherwise it re-reads and
/// decides again. That keeps two processes on one file correct.</item>
/// <item>Within this process, updates of one conversation queue behind each other first, so they
/// do not race only to retry.</item>
/// <item>Writes go through one writer that commits whatever is waiting in one transaction (group
/// commit): a durable commit costs an fsync (milliseconds), and sharing it between the
/// conversations that are waiting is what lets the store keep up with many chats at once.</item>
/// </list>
/// </summary>
public sealed class SqliteConversationStore : IConversationStore
{
    private const int SchemaVersion = 1;
    private const int MaxBatch = 256;

    private readonly string _connectionString;
    private readonly StoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly KeyedLock<ConversationKey> _conversations = new();
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private Task _writer = Task.CompletedTask;

    private SqliteConversationStore(string connectionString, StoreOptions options, TimeProvider clock)
    {
        _connectionString = connectionString;
        _options = options;
        _clock = clock;
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; private init; } = "";

    /// <summary>Opens (creating on first run) the database under <see cref="StoreOptions.DataFolder"/>.</summary>
    public static SqliteConversationStore Open(StoreOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var folder = Path.GetFullPath(options.DataFolder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, options.FileName);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var store = new SqliteConversationStore(builder.ToString(), options, clock) { FilePath = path };
        store.CreateSchema();
        store._writer = Task.Run(store.WriteLoopAsync);
        return store;
    }

    public async Task<UpdateResult> UpdateAsync(ConversationKey key, RequestIdentity request, Func<StoredConversation?, StateChange> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        using var turn = await _conversations.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; attempt <= _options.MaxConflictRetries; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PendingWrite pending;
            using (var connection = OpenConnection())
            {
                if (request.HasId && FindResponse(connection, null, key, request) is { } earlier)
                {
                    return earlier;
                }

                var (exists, version, state, updatedAt) = Read(connection, key);
                var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
                var expired = exists && now - updatedAt > (long)_options.IdleExpiry.TotalMilliseconds;
                var change = decide(exists && !expired ? new StoredConversation(state, version) : null);
                pending = new PendingWrite(key, request, exists, version, change, now);
            }

            if (!_writes.Writer.TryWrite(pending))
            {
                throw new ObjectDisposedException(nameof(SqliteConversationStore), "The conversation store is shut down.");
            }

            // Not cancellable once queued: the write happens or fails as a whole, and the next
            // update of this conversation must not start before it is known.
            var (outcome, replayed) = await pending.Completion.Task.ConfigureAwait(false);
            switch (outcome)
            {
                case WriteOutcome.Committed:
                    return new UpdateResult(pending.Change.Response, Replayed: false);
                case WriteOutcome.Replayed:
                    return replayed!;
                default:
                    continue; // another process wrote this conversation meanwhile: read and decide again
            }
        }

        throw new ConcurrencyConflictException(key, _options.MaxConflictRetries);
    }

    public Task RecordOutcomeAsync(ConversationKey key, ConversationOutcome outcome, long paidTotalMinor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var (ordered, paid, left) = outcome switch
        {
            ConversationOutcome.Ordered => (1, 0, 0),
            ConversationOutcome.Paid => (1, 1, 0), // a paid conversation was ordered first
            ConversationOutcome.Left => (0, 0, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
        };
        Execute(connection, transaction,
            "INSERT INTO outcomes(shop_id, conversation_id, ordered, paid, left_shop, paid_total) VALUES ($s, $c, $o, $p, $l, $t) "
            + "ON CONFLICT(shop_id, conversation_id) DO UPDATE SET ordered = max(ordered, $o), paid = max(paid, $p), left_shop = max(left_shop, $l), "
            + "paid_total = CASE WHEN $p = 1 THEN $t ELSE paid_total END",
            ("$s", key.ShopId), ("$c", key.ConversationId), ("$o", ordered), ("$p", paid), ("$l", left), ("$t", paid == 1 ? paidTotalMinor : 0L));
        transaction.Commit();
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(ConversationKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenConnection();
        using var command = Command(connection, null,
            "SELECT 1 FROM conversation_log WHERE shop_id = $s AND conversation_id = $c",
            ("$s", key.ShopId), ("$c", key.ConversationId));
        return Task.FromResult(command.ExecuteScalar() is not null);
    }

    public Task<ShopStatistics> GetStatisticsAsync(string shopId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenConnection();
        using var totals = Command(connection, null,
            "SELECT (SELECT count(*) FROM conversation_log WHERE shop_id = $s), "
            + "coalesce(sum(ordered), 0), coalesce(sum(paid), 0), coalesce(sum(CASE WHEN paid = 1 THEN paid_total ELSE 0 END), 0) "
            + "FROM outcomes WHERE shop_id = $s",
            ("$s", shopId));
        using var reader = totals.ExecuteReader();
        reader.Read();
        var conversations = reader.GetInt64(0);
        var ordered = reader.GetInt64(1);
        var paid = reader.GetInt64(2);
        var paidTotal = reader.GetInt64(3);
        return Task.FromResult(new ShopStatistics(
            conversations, ordered, paid, paidTotal,
            Usage(connection, shopId, StatisticKind.Variant),
            Usage(connection, shopId, StatisticKind.PolicyStep)));
    }

    public Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var cutoff = _clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.IdleExpiry.TotalMilliseconds;
        Execute(connection, transaction,
            "DELETE FROM requests WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.shop_id = requests.shop_id "
            + "AND c.conversation_id = requests.conversation_id AND c.updated_at < $cut)",
            ("$cut", cutoff));
        var removed = Execute(connection, transaction, "DELETE FROM conversations WHERE updated_at < $cut", ("$cut", cutoff));
        transaction.Commit();
        return Task.FromResult(removed);
    }

    public IReadOnlyDictionary<string, int> DailyUsage(IReadOnlyCollection<string> counters)
    {
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        if (counters.Count == 0)
        {
            return used;
        }

        var day = Day(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        using var connection = OpenConnection();
        foreach (var counter in counters)
        {
            using var command = Command(connection, null, "SELECT used FROM daily_stock WHERE counter = $c AND day = $d", ("$c", counter), ("$d", day));
            if (command.ExecuteScalar() is long count)
            {
                used[counter] = (int)count;
            }
        }

        return used;
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var connection = OpenConnection();
            using var command = Command(connection, null, "SELECT count(*) FROM schema_version");
            return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1);
        }
        catch (SqliteException)
        {
            return Task.FromResult(false);
        }
    }

    /// <summary>Runs SQLite's own integrity check; "ok" when the file is intact.</summary>
    public string IntegrityCheck()
    {
        using var connection = OpenConnection();
        using var command = Command(connection, null, "PRAGMA integrity_check");
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// The single writer: takes every write waiting (up to <see cref="MaxBatch"/>) and commits them
    /// in one transaction, then tells each caller what happened to its own write.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            var results = new (WriteOutcome, UpdateResult?)[batch.Count];
            try
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: false);
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = Apply(connection, transaction, batch[i]);
                }

                transaction.Commit();
            }
            catch (Exception e)
            {
                // Nothing of this batch was committed: every caller in it learns so.
                foreach (var write in batch)
                {
                    write.Completion.TrySetException(e);
                }

                continue;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                if (results[i].Item1 == WriteOutcome.Reused)
                {
                    batch[i].Completion.TrySetException(new RequestIdReusedException(batch[i].Request.RequestId));
                }
                else
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
        }
    }

    /// <summary>One caller's write inside the batch's transaction.</summary>
    private (WriteOutcome, UpdateResult?) Apply(SqliteConnection connection, SqliteTransaction transaction, PendingWrite write)
    {
        var key = write.Key;
        if (write.Request.HasId)
        {
            // The same request id may have been committed by another process since it was read.
            try
            {
                if (FindResponse(connection, transaction, key, write.Request) is { } raced)
                {
                    return (WriteOutcome.Replayed, raced);
                }
            }
            catch (RequestIdReusedException)
            {
                return (WriteOutcome.Reused, null);
            }
        }

        var day = Day(write.Now);
        foreach (var use in write.Change.Stock ?? [])
        {
            // A stock that ran out since the decision was made: decide again with the new count.
            using var check = Command(connection, transaction, "SELECT used FROM daily_stock WHERE counter = $c AND day = $d", ("$c", use.Counter), ("$d", day));
            if (check.ExecuteScalar() is long used && used >= use.DailyLimit)
            {
                return (WriteOutcome.Conflict, null);
            }
        }

        if (!Write(connection, transaction, key, write.Exists, write.Version, write.Change.State, write.Now))
        {
            return (WriteOutcome.Conflict, null);
        }

        foreach (var use in write.Change.Stock ?? [])
        {
            Execute(connection, transaction,
                "INSERT INTO daily_stock(counter, day, used) VALUES ($c, $d, 1) ON CONFLICT(counter, day) DO UPDATE SET used = used + 1",
                ("$c", use.Counter), ("$d", day));
        }

        Execute(connection, transaction,
            "INSERT INTO conversation_log(shop_id, conversation_id, started_at) VALUES ($s, $c, $now) ON CONFLICT DO NOTHING",
            ("$s", key.ShopId), ("$c", key.ConversationId), ("$now", write.Now));
        if (write.Request.HasId)
        {
            Execute(connection, transaction,
                "INSERT INTO requests(shop_id, conversation_id, request_id, fingerprint, response, created_at) VALUES ($s, $c, $r, $f, $body, $now)",
                ("$s", key.ShopId), ("$c", key.ConversationId), ("$r", write.Request.RequestId), ("$f", write.Request.Fingerprint), ("$body", write.Change.Response), ("$now", write.Now));
        }

        foreach (var e in write.Change.Events)
        {
            Execute(connection, transaction,
                "INSERT INTO usage(shop_id, conversation_id, kind, grp, name, used) VALUES ($s, $c, $k, $g, $n, 1) "
                + "ON CONFLICT(shop_id, conversation_id, kind, grp, name) DO UPDATE SET used = used + 1",
                ("$s", key.ShopId), ("$c", key.ConversationId), ("$k", (int)e.Kind), ("$g", e.Group), ("$n", e.Name));
        }

        return (WriteOutcome.Committed, null);
    }

    /// <summary>The shops' calendar day of a moment, e.g. "2026-11-22".</summary>
    private string Day(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToOffset(_options.DayUtcOffset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private enum WriteOutcome
    {
        Committed,
        Replayed,
        Reused,
        Conflict,
    }

    private sealed record PendingWrite(ConversationKey Key, RequestIdentity Request, bool Exists, long Version, StateChange Change, long Now)
    {
        public TaskCompletionSource<(WriteOutcome, UpdateResult?)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void CreateSchema()
    {
        using var connection = OpenConnection();
        using var wal = Command(connection, null, "PRAGMA journal_mode = WAL");
        wal.ExecuteNonQuery();
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS conversations(
                shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
                version INTEGER NOT NULL, state TEXT NOT NULL, updated_at INTEGER NOT NULL,
                PRIMARY KEY(shop_id, conversation_id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS conversations_updated ON conversations(updated_at);
            CREATE TABLE IF NOT EXISTS requests(
                shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, request_id TEXT NOT NULL,
                fingerprint TEXT NOT NULL, response BLOB NOT NULL, created_at INTEGER NOT NULL,
                PRIMARY KEY(shop_id, conversation_id, request_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS conversation_log(
                shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, started_at INTEGER NOT NULL,
                PRIMARY KEY(shop_id, conversation_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS usage(
                shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, kind INTEGER NOT NULL,
                grp TEXT NOT NULL, name TEXT NOT NULL, used INTEGER NOT NULL,
                PRIMARY KEY(shop_id, conversation_id, kind, grp, name)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS daily_stock(
                counter TEXT NOT NULL, day TEXT NOT NULL, used INTEGER NOT NULL,
                PRIMARY KEY(counter, day)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS outcomes(
                shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
                ordered INTEGER NOT NULL, paid INTEGER NOT NULL, left_shop INTEGER NOT NULL, paid_total INTEGER NOT NULL,
                PRIMARY KEY(shop_id, conversation_id)) WITHOUT ROWID;
            """);
        using var count = Command(connection, transaction, "SELECT count(*), max(version) FROM schema_version");
        using var reader = count.ExecuteReader();
        reader.Read();
        var rows = reader.GetInt64(0);
        var version = rows == 0 ? 0 : reader.GetInt64(1);
        reader.Close();
        if (rows == 0)
        {
            Execute(connection, transaction, "INSERT INTO schema_version(version) VALUES ($v)", ("$v", SchemaVersion));
        }
        else if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The database '{FilePath}' has schema version {version}, newer than this service's {SchemaVersion}.");
        }

        transaction.Commit();
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = "
            + ((long)_options.BusyTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) + ";";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private static UpdateResult? FindResponse(SqliteConnection connection, SqliteTransaction? transaction, ConversationKey key, RequestIdentity request)
    {
        using var command = Command(connection, transaction,
            "SELECT fingerprint, response FROM requests WHERE shop_id = $s AND conversation_id = $c AND request_id = $r",
            ("$s", key.ShopId), ("$c", key.ConversationId), ("$r", request.RequestId));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        if (!string.Equals(reader.GetString(0), request.Fingerprint, StringComparison.Ordinal))
        {
            throw new RequestIdReusedException(request.RequestId);
        }

        return new UpdateResult((byte[])reader.GetValue(1), Replayed: true);
    }

    private static (bool Exists, long Version, string State, long UpdatedAt) Read(SqliteConnection connection, ConversationKey key)
    {
        using var command = Command(connection, null,
            "SELECT version, state, updated_at FROM conversations WHERE shop_id = $s AND conversation_id = $c",
            ("$s", key.ShopId), ("$c", key.ConversationId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (true, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)) : (false, 0, "", 0);
    }

    /// <summary>Writes the new state if nobody else did since it was read. False when the race was lost.</summary>
    private static bool Write(SqliteConnection connection, SqliteTransaction transaction, ConversationKey key, bool exists, long version, string state, long now)
    {
        if (exists)
        {
            return Execute(connection, transaction,
                "UPDATE conversations SET version = version + 1, state = $state, updated_at = $now "
                + "WHERE shop_id = $s AND conversation_id = $c AND version = $v",
                ("$state", state), ("$now", now), ("$s", key.ShopId), ("$c", key.ConversationId), ("$v", version)) == 1;
        }

        return Execute(connection, transaction,
            "INSERT INTO conversations(shop_id, conversation_id, version, state, updated_at) VALUES ($s, $c, 1, $state, $now) ON CONFLICT DO NOTHING",
            ("$s", key.ShopId), ("$c", key.ConversationId), ("$state", state), ("$now", now)) == 1;
    }

    private static IReadOnlyList<KeyStatistics> Usage(SqliteConnection connection, string shopId, StatisticKind kind)
    {
        using var command = Command(connection, null,
            "SELECT u.grp, u.name, sum(u.used), count(DISTINCT CASE WHEN o.ordered = 1 THEN u.conversation_id END) "
            + "FROM usage u LEFT JOIN outcomes o ON o.shop_id = u.shop_id AND o.conversation_id = u.conversation_id "
            + "WHERE u.shop_id = $s AND u.kind = $k GROUP BY u.grp, u.name ORDER BY u.grp, u.name",
            ("$s", shopId), ("$k", (int)kind));
        using var reader = command.ExecuteReader();
        var result = new List<KeyStatistics>();
        while (reader.Read())
        {
            result.Add(new KeyStatistics(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return result;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
