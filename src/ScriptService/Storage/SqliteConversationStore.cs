using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ScriptService.Storage;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with synchronous=FULL (or NORMAL, see
/// <see cref="StoreOptions.Durability"/>), so a write that completed is on disk before the caller
/// acknowledges the request.
/// <list type="bullet">
/// <item>Each update reads without a lock (the request id, the state and today's stock in one
/// session), lets the caller decide, then writes only if the conversation's version is still the
/// one read (optimistic concurrency); otherwise it re-reads and decides again. That keeps two
/// processes on one file correct.</item>
/// <item>Within this process, updates of one conversation queue behind each other first, so they
/// do not race only to retry.</item>
/// <item>Writes go through one writer that commits whatever is waiting in one transaction (group
/// commit): a durable commit costs an fsync (milliseconds), and sharing it between the
/// conversations that are waiting is what lets the store keep up with many chats at once.</item>
/// <item>Every write of this process goes through that writer: conversation updates, outcomes and
/// idle expiry alike. A write on another connection would compete for SQLite's write lock, whose
/// busy handler polls with growing sleeps and no queue, so under sustained load a waiter can lose
/// every round until its timeout ("database is locked": RecordOutcome did, at 64 calls in flight).
/// The busy timeout remains for what it is for: another process on the same file.</item>
/// <item>The writer keeps one connection and its prepared statements for its whole life; readers
/// take a session (connection + prepared statements) from a pool and give it back.</item>
/// </list>
/// </summary>
public sealed class SqliteConversationStore : IConversationStore
{
    private const int MaxBatch = 256;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly StoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly KeyedLock<ConversationKey> _conversations = new();
    private readonly Channel<QueuedWrite> _writes = Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentBag<SqliteSession> _readers = new();
    private readonly CommittedStateCache _committed;
    private readonly Lock _stockLock = new();
    private volatile StockSnapshot _stock = new("", EmptyUsage);
    private Task _writer = Task.CompletedTask;

    private SqliteConversationStore(string connectionString, StoreOptions options, TimeProvider clock)
    {
        _connectionString = connectionString;
        _options = options;
        _clock = clock;
        _committed = new CommittedStateCache(options.CachedConversations);
        _pragmas = "PRAGMA synchronous = " + (options.Durability == StoreDurability.Normal ? "NORMAL" : "FULL")
            + "; PRAGMA busy_timeout = " + ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + ";";
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; private init; } = "";

    /// <summary>Called after each group commit with its size and how long the transaction took (for metrics).</summary>
    public Action<int, TimeSpan>? Committed { get; set; }

    /// <summary>Opens (creating or migrating on first run) the database under <see cref="StoreOptions.DataFolder"/>.</summary>
    /// <exception cref="StoreUnavailableException">The file cannot be opened or migrated.</exception>
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
        try
        {
            SqliteSchema.CreateOrMigrate(store.NewSession(), path);
        }
        catch (SqliteException e)
        {
            throw new StoreUnavailableException($"The conversation database '{path}' cannot be opened: {e.Message}", e);
        }

        store._writer = Task.Run(store.WriteLoopAsync);
        return store;
    }

    public async Task<UpdateResult> UpdateAsync(
        ConversationKey key,
        RequestIdentity request,
        IReadOnlyCollection<string> dailyCounters,
        Func<StoredConversation?, IReadOnlyDictionary<string, int>, StateChange> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dailyCounters);
        ArgumentNullException.ThrowIfNull(decide);
        using var turn = await _conversations.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; attempt <= _options.MaxConflictRetries; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
            var day = _options.DayOf(now);
            bool exists;
            long version, updatedAt;
            string state;
            object? decoded = null;
            IReadOnlyDictionary<string, int> used;
            if (_committed.TryGet(key, out var row) && now - row.UpdatedAt <= (long)_options.IdleExpiry.TotalMilliseconds
                && TryCachedUsage(dailyCounters, day, out used))
            {
                // A warm turn: this process committed the conversation's last row (or read it) and
                // nothing but a request id is read here. If another process wrote since, the
                // write's version check fails and the next attempt reads the row.
                if (request.HasId && row.LastResponse is { } lastResponse
                    && string.Equals(request.RequestId, row.LastRequest.RequestId, StringComparison.Ordinal))
                {
                    // A retry of the request that wrote the row (the usual retry: its answer was lost
                    // on the way back). The row, hence the request's, is still in the database: an
                    // expiry removes neither before this copy expires too.
                    return string.Equals(request.Fingerprint, row.LastRequest.Fingerprint, StringComparison.Ordinal)
                        ? new UpdateResult(lastResponse, Replayed: true)
                        : throw new RequestIdReusedException(request.RequestId);
                }

                if (request.HasId && Reading(session => FindResponse(session, null, key, request)) is { } older)
                {
                    // A retry of an older request: one look-up (no read transaction), so that a
                    // replay is never decided. The write checks the id again (another process may
                    // commit it meanwhile).
                    return older;
                }

                (exists, version, updatedAt, state, decoded) = (true, row.Version, row.UpdatedAt, row.State, row.Decoded);
            }
            else
            {
                UpdateResult? earlier;
                (earlier, exists, version, state, updatedAt, used) = Reading(session =>
                {
                    // One read transaction for the request id, the state and today's stock: they are
                    // seen at one instant, and SQLite takes its WAL read lock (an fcntl on the -shm file)
                    // and checks the WAL once per turn instead of once per statement.
                    session.Begin();
                    try
                    {
                        if (request.HasId && FindResponse(session, null, key, request) is { } found)
                        {
                            session.End();
                            return (found, false, 0L, "", 0L, (IReadOnlyDictionary<string, int>)EmptyUsage);
                        }

                        var (e, v, s, u) = Read(session, key);
                        var usage = Usage(session, null, dailyCounters, day);
                        session.End();
                        return ((UpdateResult?)null, e, v, s, u, usage);
                    }
                    catch
                    {
                        session.Abandon(); // the session is closed next; its pooled handle must not keep the snapshot
                        throw;
                    }
                });
                if (earlier is not null)
                {
                    return earlier;
                }

                RememberUsage(day, dailyCounters, used);
            }

            var expired = exists && now - updatedAt > (long)_options.IdleExpiry.TotalMilliseconds;
            var change = decide(exists && !expired ? new StoredConversation(state, version) { Decoded = decoded } : null, used);
            var pending = new PendingWrite(key, request, exists, version, change, now, day);
            Enqueue(pending);

            // Not cancellable once queued: the write happens or fails as a whole, and the next
            // update of this conversation must not start before it is known.
            WriteOutcome outcome;
            UpdateResult? replayed;
            try
            {
                (outcome, replayed) = await pending.Completion.Task.ConfigureAwait(false);
            }
            catch (StoreUnavailableException)
            {
                _committed.Remove(key); // nothing was written, but read the row afresh after a failure
                throw;
            }

            switch (outcome)
            {
                case WriteOutcome.Committed:
                    _committed.Set(key, new CommittedStateCache.Row(exists ? version + 1 : 1, now, change.State, change.Decoded,
                        request, request.HasId ? change.Response : null));
                    if (pending.StockAfter is { } taken)
                    {
                        RememberTaken(day, taken);
                    }

                    return new UpdateResult(pending.Change.Response, Replayed: false);
                case WriteOutcome.Replayed:
                    return replayed!;
                default:
                    // Another process wrote this conversation (or took the stock) meanwhile: read and decide again.
                    _committed.Remove(key);
                    continue;
            }
        }

        throw new ConcurrencyConflictException(key, _options.MaxConflictRetries);
    }

    public Task<StoredConversation?> ReadAsync(ConversationKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var (exists, version, state, updatedAt) = Reading(session => Read(session, key));
        var live = exists && now - updatedAt <= (long)_options.IdleExpiry.TotalMilliseconds;
        return Task.FromResult(live ? new StoredConversation(state, version) : null);
    }

    public async Task RecordOutcomeAsync(ConversationKey key, ConversationOutcome outcome, long paidTotalMinor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (ordered, paid, left) = outcome switch
        {
            ConversationOutcome.Ordered => (1, 0, 0),
            ConversationOutcome.Paid => (1, 1, 0), // a paid conversation was ordered first
            ConversationOutcome.Left => (0, 0, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
        };

        // Through the writer's group commit like every other write (see the class remarks).
        var write = new PendingStatement((session, transaction) => session.Execute(transaction,
            "INSERT INTO outcomes(shop_id, conversation_id, ordered, paid, left_shop, paid_total) VALUES ($s, $c, $o, $p, $l, $t) "
            + "ON CONFLICT(shop_id, conversation_id) DO UPDATE SET ordered = max(ordered, $o), paid = max(paid, $p), left_shop = max(left_shop, $l), "
            + "paid_total = CASE WHEN $p = 1 THEN $t ELSE paid_total END",
            ("$s", key.ShopId), ("$c", key.ConversationId), ("$o", ordered), ("$p", paid), ("$l", left), ("$t", paid == 1 ? paidTotalMinor : 0L)));
        Enqueue(write);
        await write.Completion.Task.ConfigureAwait(false);
    }

    public Task<bool> ExistsAsync(ConversationKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Reading(session => session.Scalar(null,
            "SELECT 1 FROM conversation_log WHERE shop_id = $s AND conversation_id = $c",
            ("$s", key.ShopId), ("$c", key.ConversationId)) is not null));
    }

    public Task<ShopStatistics> GetStatisticsAsync(string shopId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Reading(session =>
        {
            long conversations, ordered, paid, paidTotal;
            using (var reader = session.Command(null,
                "SELECT (SELECT count(*) FROM conversation_log WHERE shop_id = $s), "
                + "coalesce(sum(ordered), 0), coalesce(sum(paid), 0), coalesce(sum(CASE WHEN paid = 1 THEN paid_total ELSE 0 END), 0) "
                + "FROM outcomes WHERE shop_id = $s",
                ("$s", shopId)).ExecuteReader())
            {
                reader.Read();
                conversations = reader.GetInt64(0);
                ordered = reader.GetInt64(1);
                paid = reader.GetInt64(2);
                paidTotal = reader.GetInt64(3);
            }

            return new ShopStatistics(
                conversations, ordered, paid, paidTotal,
                KeyUsage(session, shopId, StatisticKind.Variant),
                KeyUsage(session, shopId, StatisticKind.PolicyStep));
        }));
    }

    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var cutoff = _clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.IdleExpiry.TotalMilliseconds;
        var write = new PendingStatement((session, transaction) =>
        {
            session.Execute(transaction,
                "DELETE FROM requests WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.shop_id = requests.shop_id "
                + "AND c.conversation_id = requests.conversation_id AND c.updated_at < $cut)",
                ("$cut", cutoff));
            return session.Execute(transaction, "DELETE FROM conversations WHERE updated_at < $cut", ("$cut", cutoff));
        });
        Enqueue(write);
        var expired = await write.Completion.Task.ConfigureAwait(false);
        _committed.RemoveOlderThan(cutoff);
        return expired;
    }

    public Task<IReadOnlyDictionary<string, int>> DailyUsageAsync(IReadOnlyCollection<string> counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counters);
        cancellationToken.ThrowIfCancellationRequested();
        var day = _options.DayOf(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        return Task.FromResult(Reading(session => Usage(session, null, counters, day)));
    }

    public Task<IReadOnlyList<UnmatchedEntry>> ListUnmatchedAsync(string shopId, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Reading(session =>
        {
            var result = new List<UnmatchedEntry>();
            using var reader = session.Command(null,
                "SELECT text, count, first_seen, last_seen, kind, options FROM unmatched WHERE shop_id = $s "
                + "ORDER BY count DESC, last_seen DESC, text LIMIT $n",
                ("$s", shopId), ("$n", limit)).ExecuteReader();
            while (reader.Read())
            {
                result.Add(new UnmatchedEntry(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                    (UnmatchedKind)reader.GetInt32(4), UnmatchedOptions.Split(reader.GetString(5))));
            }

            return (IReadOnlyList<UnmatchedEntry>)result;
        }));
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Reading(session =>
                Convert.ToInt64(session.Scalar(null, "SELECT count(*) FROM schema_version"), CultureInfo.InvariantCulture) == 1));
        }
        catch (StoreUnavailableException)
        {
            return Task.FromResult(false);
        }
    }

    /// <summary>SQLite's synchronous mode on this store's connections (2 = FULL, 1 = NORMAL).</summary>
    public long SynchronousMode() =>
        Reading(session => Convert.ToInt64(session.Scalar(null, "PRAGMA synchronous"), CultureInfo.InvariantCulture));

    /// <summary>Runs SQLite's own integrity check; "ok" when the file is intact.</summary>
    public string IntegrityCheck() =>
        Reading(session => Convert.ToString(session.Scalar(null, "PRAGMA integrity_check"), CultureInfo.InvariantCulture) ?? "");

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        while (_readers.TryTake(out var session))
        {
            session.Dispose();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>How many conversations this process keeps the last committed row of (for tests and metrics).</summary>
    public int CachedConversations => _committed.Count;

    /// <summary>
    /// Today's use of the daily-limited stocks as this process last saw it: each count was exact
    /// at some instant today (read in a turn's read transaction, or returned by this process's own
    /// increment) and counts only grow within a day, so a count here is never above the database's;
    /// it is below when another process took stock since. A decision on a count too low is caught
    /// by the write's own check (the stock ran out: conflict, read again, decide again).
    /// </summary>
    private sealed record StockSnapshot(string Day, IReadOnlyDictionary<string, int> Used);

    /// <summary>Today's counts for <paramref name="counters"/> without reading, when every one of them is known.</summary>
    private bool TryCachedUsage(IReadOnlyCollection<string> counters, string day, out IReadOnlyDictionary<string, int> used)
    {
        if (counters.Count == 0)
        {
            used = EmptyUsage;
            return true;
        }

        var snapshot = _stock;
        used = snapshot.Used;
        if (!string.Equals(snapshot.Day, day, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var counter in counters)
        {
            if (!snapshot.Used.ContainsKey(counter))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keeps the counts a read transaction saw (absent = 0), never lowering a count already kept.</summary>
    private void RememberUsage(string day, IReadOnlyCollection<string> counters, IReadOnlyDictionary<string, int> read)
    {
        if (counters.Count > 0)
        {
            Remember(day, counters.Select(counter => (counter, read.GetValueOrDefault(counter))), mayStartDay: true);
        }
    }

    /// <summary>Keeps the counts this process's committed write left (exact right after it), never lowering one.</summary>
    private void RememberTaken(string day, List<(string Counter, int Used)> taken) => Remember(day, taken, mayStartDay: false);

    /// <summary>
    /// Raises the kept counts of <paramref name="day"/> to <paramref name="counts"/> (never lowering
    /// one). Counts of another day replace the kept ones only when <paramref name="mayStartDay"/>
    /// and the day is later (a read just before midnight, kept after it, leaves the new day's counts);
    /// otherwise they are ignored and the next turn reads them.
    /// </summary>
    private void Remember(string day, IEnumerable<(string Counter, int Used)> counts, bool mayStartDay)
    {
        if (!_committed.Enabled)
        {
            return;
        }

        lock (_stockLock)
        {
            var current = _stock;
            var sameDay = string.Equals(current.Day, day, StringComparison.Ordinal);
            if (!sameDay && (!mayStartDay || string.CompareOrdinal(day, current.Day) < 0))
            {
                return;
            }

            var next = sameDay ? new Dictionary<string, int>(current.Used, StringComparer.Ordinal) : new Dictionary<string, int>(StringComparer.Ordinal);
            var changed = !sameDay;
            foreach (var (counter, count) in counts)
            {
                if (!next.TryGetValue(counter, out var kept) || count > kept)
                {
                    next[counter] = count;
                    changed = true;
                }
            }

            if (changed)
            {
                _stock = new StockSnapshot(day, next);
            }
        }
    }

    private static readonly IReadOnlyDictionary<string, int> EmptyUsage = new Dictionary<string, int>(StringComparer.Ordinal);

    private SqliteSession NewSession() => new(_connectionString, _pragmas);

    /// <exception cref="StoreUnavailableException">The store is shutting down: nothing was written.</exception>
    private void Enqueue(QueuedWrite write)
    {
        if (!_writes.Writer.TryWrite(write))
        {
            throw new StoreUnavailableException($"The conversation database '{FilePath}' is shut down.",
                new ObjectDisposedException(nameof(SqliteConversationStore)));
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a pooled session; a session that failed is closed, not
    /// returned; an engine failure becomes <see cref="StoreUnavailableException"/>.
    /// </summary>
    private T Reading<T>(Func<SqliteSession, T> read)
    {
        SqliteSession? session = null;
        try
        {
            if (!_readers.TryTake(out session))
            {
                session = NewSession();
            }

            var result = read(session);
            _readers.Add(session);
            return result;
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException)
        {
            // InvalidOperationException: Microsoft.Data.Sqlite's own refusals (a connection it cannot use).
            session?.Dispose();
            throw new StoreUnavailableException($"The conversation database '{FilePath}' failed: {e.Message}", e);
        }
        catch
        {
            session?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The single writer: takes every write waiting (up to <see cref="MaxBatch"/>) and commits them
    /// in one transaction on its own connection, then tells each caller what happened to its write.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var batch = new List<QueuedWrite>(MaxBatch);
        SqliteSession? session = null;
        try
        {
            while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                var started = _clock.GetTimestamp();
                try
                {
                    session ??= NewSession();
                    using var transaction = session.Connection.BeginTransaction(deferred: false);
                    foreach (var write in batch)
                    {
                        write.Run(this, session, transaction);
                    }

                    transaction.Commit();
                }
                catch (Exception e)
                {
                    // Nothing of this batch was committed: every caller in it learns so. The
                    // session may be broken: the next batch opens a new one.
                    session?.Dispose();
                    session = null;
                    // Only storage runs here (every decision was made before its write was queued),
                    // so whatever failed, the callers learn it as the store's own exception.
                    var failure = new StoreUnavailableException($"The conversation database '{FilePath}' failed to commit: {e.Message}", e);
                    foreach (var write in batch)
                    {
                        write.Fail(failure);
                    }

                    continue;
                }

                Committed?.Invoke(batch.Count, _clock.GetElapsedTime(started));
                foreach (var write in batch)
                {
                    write.Complete();
                }
            }
        }
        finally
        {
            session?.Dispose();
        }
    }

    /// <summary>One caller's write inside the batch's transaction.</summary>
    private (WriteOutcome, UpdateResult?) Apply(SqliteSession session, SqliteTransaction transaction, PendingWrite write)
    {
        var key = write.Key;
        if (write.Request.HasId)
        {
            // The request id first: its row is the write's claim on the id (unique key). Taken, it
            // was committed before (by this process or another, maybe since it was read): answer
            // that. Taken or not, one statement where a look-up then an insert took two.
            if (session.Raw("INSERT INTO requests(shop_id, conversation_id, request_id, fingerprint, response, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")
                    .Bind(1, key.ShopId).Bind(2, key.ConversationId).Bind(3, write.Request.RequestId).Bind(4, write.Request.Fingerprint)
                    .Bind(5, write.Change.Response).Bind(6, write.Now).Execute() == 0)
            {
                try
                {
                    return FindResponse(session, transaction, key, write.Request) is { } raced
                        ? (WriteOutcome.Replayed, raced)
                        : throw new InvalidOperationException($"Request id '{write.Request.RequestId}' was neither inserted nor found.");
                }
                catch (RequestIdReusedException)
                {
                    return (WriteOutcome.Reused, null);
                }
            }
        }

        var day = write.Day;
        foreach (var use in write.Change.Stock ?? [])
        {
            // A stock that ran out since the decision was made: decide again with the new count.
            if (session.Scalar(transaction, "SELECT used FROM daily_stock WHERE counter = $c AND day = $d", ("$c", use.Counter), ("$d", day)) is long used
                && used >= use.DailyLimit)
            {
                return Conflict(session, transaction, write);
            }
        }

        if (!Write(session, key, write.Exists, write.Version, write.Change.State, write.Now))
        {
            return Conflict(session, transaction, write);
        }

        foreach (var use in write.Change.Stock ?? [])
        {
            // RETURNING: the count after this write, exact at this instant, for this process's copy of today's stock.
            var after = session.Scalar(transaction,
                "INSERT INTO daily_stock(counter, day, used) VALUES ($c, $d, 1) ON CONFLICT(counter, day) DO UPDATE SET used = used + 1 RETURNING used",
                ("$c", use.Counter), ("$d", day));
            (write.StockAfter ??= []).Add((use.Counter, Convert.ToInt32(after, CultureInfo.InvariantCulture)));
        }

        if (!write.Exists)
        {
            // A conversation's first turn logs its start; a row in conversations was logged by the
            // turn that created it (the log outlives expiry), so later turns skip the statement.
            session.Raw("INSERT INTO conversation_log(shop_id, conversation_id, started_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .Bind(1, key.ShopId).Bind(2, key.ConversationId).Bind(3, write.Now).Execute();
        }

        foreach (var e in write.Change.Events)
        {
            session.Raw("INSERT INTO usage(shop_id, conversation_id, kind, grp, name, used) VALUES (?1, ?2, ?3, ?4, ?5, 1) "
                    + "ON CONFLICT(shop_id, conversation_id, kind, grp, name) DO UPDATE SET used = used + 1")
                .Bind(1, key.ShopId).Bind(2, key.ConversationId).Bind(3, (int)e.Kind).Bind(4, e.Group).Bind(5, e.Name).Execute();
        }

        if (write.Change.Unmatched is { } unmatched)
        {
            var count = session.Scalar(transaction,
                "INSERT INTO unmatched(shop_id, text, count, first_seen, last_seen, kind, options) VALUES ($s, $t, 1, $now, $now, $k, $o) "
                + "ON CONFLICT(shop_id, text) DO UPDATE SET count = count + 1, last_seen = $now, kind = $k, options = $o RETURNING count",
                ("$s", key.ShopId), ("$t", unmatched.Text), ("$now", write.Now), ("$k", (int)unmatched.Kind), ("$o", UnmatchedOptions.Join(unmatched.ClarifyOptions)));
            if (count is long c && c == 1)
            {
                // A new distinct text: keep only the most recently seen ones of the shop.
                session.Execute(transaction,
                    "DELETE FROM unmatched WHERE shop_id = $s AND text IN "
                    + "(SELECT text FROM unmatched WHERE shop_id = $s ORDER BY last_seen DESC, text LIMIT -1 OFFSET $cap)",
                    ("$s", key.ShopId), ("$cap", _options.UnmatchedPerShop));
            }
        }

        return (WriteOutcome.Committed, null);
    }


    /// <summary>
    /// The write lost a race after its request id's row was inserted: a compensating DELETE takes
    /// that row back (nothing else of the write ran yet), so the id stays free for the decision
    /// made again. Chosen over a SAVEPOINT per write, which would cost two statements on every
    /// turn for what happens only on a conflict.
    /// </summary>
    private static (WriteOutcome, UpdateResult?) Conflict(SqliteSession session, SqliteTransaction transaction, PendingWrite write)
    {
        if (write.Request.HasId)
        {
            session.Execute(transaction,
                "DELETE FROM requests WHERE shop_id = $s AND conversation_id = $c AND request_id = $r",
                ("$s", write.Key.ShopId), ("$c", write.Key.ConversationId), ("$r", write.Request.RequestId));
        }

        return (WriteOutcome.Conflict, null);
    }

    private enum WriteOutcome
    {
        Committed,
        Replayed,
        Reused,
        Conflict,
    }

    /// <summary>A write waiting for the writer's next group commit.</summary>
    private abstract record QueuedWrite
    {
        /// <summary>Runs its statements inside the batch's transaction and keeps what they answered.</summary>
        public abstract void Run(SqliteConversationStore store, SqliteSession session, SqliteTransaction transaction);

        /// <summary>The batch it was in was committed: tells its caller what <see cref="Run"/> answered.</summary>
        public abstract void Complete();

        /// <summary>The batch it was in was not committed.</summary>
        public abstract void Fail(Exception failure);
    }

    /// <summary>A conversation update: written only if the conversation is still at the version read.</summary>
    private sealed record PendingWrite(ConversationKey Key, RequestIdentity Request, bool Exists, long Version, StateChange Change, long Now, string Day) : QueuedWrite
    {
        /// <summary>Each stock counter this write took from and its count right after (set by the writer, read once committed).</summary>
        public List<(string Counter, int Used)>? StockAfter { get; set; }

        private (WriteOutcome Outcome, UpdateResult? Replayed) _result;

        public TaskCompletionSource<(WriteOutcome, UpdateResult?)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(SqliteConversationStore store, SqliteSession session, SqliteTransaction transaction) =>
            _result = store.Apply(session, transaction, this);

        public override void Complete()
        {
            if (_result.Outcome == WriteOutcome.Reused)
            {
                Completion.TrySetException(new RequestIdReusedException(Request.RequestId));
            }
            else
            {
                Completion.TrySetResult(_result);
            }
        }

        public override void Fail(Exception failure) => Completion.TrySetException(failure);
    }

    /// <summary>Any other write (an outcome, expiry): statements run in the batch's transaction, answering a count.</summary>
    private sealed record PendingStatement(Func<SqliteSession, SqliteTransaction, int> Statements) : QueuedWrite
    {
        private int _count;

        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(SqliteConversationStore store, SqliteSession session, SqliteTransaction transaction) =>
            _count = Statements(session, transaction);

        public override void Complete() => Completion.TrySetResult(_count);

        public override void Fail(Exception failure) => Completion.TrySetException(failure);
    }

    private static IReadOnlyDictionary<string, int> Usage(SqliteSession session, SqliteTransaction? transaction, IReadOnlyCollection<string> counters, string day)
    {
        if (counters.Count == 0)
        {
            return EmptyUsage;
        }

        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var counter in counters)
        {
            if (session.Scalar(transaction, "SELECT used FROM daily_stock WHERE counter = $c AND day = $d", ("$c", counter), ("$d", day)) is long count)
            {
                used[counter] = (int)count;
            }
        }

        return used;
    }

    private static UpdateResult? FindResponse(SqliteSession session, SqliteTransaction? transaction, ConversationKey key, RequestIdentity request)
    {
        using var reader = session.Command(transaction,
            "SELECT fingerprint, response FROM requests WHERE shop_id = $s AND conversation_id = $c AND request_id = $r",
            ("$s", key.ShopId), ("$c", key.ConversationId), ("$r", request.RequestId)).ExecuteReader();
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

    private static (bool Exists, long Version, string State, long UpdatedAt) Read(SqliteSession session, ConversationKey key)
    {
        using var reader = session.Command(null,
            "SELECT version, state, updated_at FROM conversations WHERE shop_id = $s AND conversation_id = $c",
            ("$s", key.ShopId), ("$c", key.ConversationId)).ExecuteReader();
        return reader.Read() ? (true, reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)) : (false, 0, "", 0);
    }

    /// <summary>Writes the new state if nobody else did since it was read. False when the race was lost.</summary>
    private static bool Write(SqliteSession session, ConversationKey key, bool exists, long version, string state, long now)
    {
        if (exists)
        {
            return session.Raw("UPDATE conversations SET version = version + 1, state = ?1, updated_at = ?2 WHERE shop_id = ?3 AND conversation_id = ?4 AND version = ?5")
                .Bind(1, state).Bind(2, now).Bind(3, key.ShopId).Bind(4, key.ConversationId).Bind(5, version).Execute() == 1;
        }

        return session.Raw("INSERT INTO conversations(shop_id, conversation_id, version, state, updated_at) VALUES (?1, ?2, 1, ?3, ?4) ON CONFLICT DO NOTHING")
            .Bind(1, key.ShopId).Bind(2, key.ConversationId).Bind(3, state).Bind(4, now).Execute() == 1;
    }

    private static IReadOnlyList<KeyStatistics> KeyUsage(SqliteSession session, string shopId, StatisticKind kind)
    {
        using var reader = session.Command(null,
            "SELECT u.grp, u.name, sum(u.used), count(DISTINCT CASE WHEN o.ordered = 1 THEN u.conversation_id END) "
            + "FROM usage u LEFT JOIN outcomes o ON o.shop_id = u.shop_id AND o.conversation_id = u.conversation_id "
            + "WHERE u.shop_id = $s AND u.kind = $k GROUP BY u.grp, u.name ORDER BY u.grp, u.name",
            ("$s", shopId), ("$k", (int)kind)).ExecuteReader();
        var result = new List<KeyStatistics>();
        while (reader.Read())
        {
            result.Add(new KeyStatistics(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return result;
    }
}

/// <summary>The clarification options of an unmatched text, kept in one column (joined by U+001F, which buyer text never holds after normalization).</summary>
internal static class UnmatchedOptions
{
    private const char Separator = '\u001f';

    public static string Join(IReadOnlyList<string> options) => string.Join(Separator, options);

    public static IReadOnlyList<string> Split(string stored) =>
        stored.Length == 0 ? [] : stored.Split(Separator);
}
