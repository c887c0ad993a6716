using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace ScriptService.Storage;

/// <summary>
/// The store for many replicas: every service process on one PostgreSQL database
/// (<c>--Store:Provider=postgres --Store:ConnectionString=…</c>). The same guarantees as SQLite,
/// across processes, with the same shape as the SQLite store (read, decide, write if nothing
/// changed) and two round trips per turn:
/// <list type="bullet">
/// <item>The reads (the stored answer to the request id, the state and its version, today's daily
/// stock) go in one batch without a transaction, and the connection is back in the pool before the
/// engine decides: no backend sits "idle in transaction" waiting for the service.</item>
/// <item>The writes and their commit go in a second batch, which PostgreSQL runs as one implicit
/// transaction (one Sync at its end): the state is written only if its version is still the one read
/// (optimistic concurrency per conversation across processes; an expiry that ran meanwhile counts as
/// a change), a daily stock unit is taken only while <c>used &lt; limit</c> on the latest committed
/// row (exact limits across replicas, in the same transaction as the state), and a request id
/// another replica answered meanwhile is a unique violation. Any of these makes the batch fail as a
/// whole (<c>sdsl_expect</c>, <see cref="PostgresSchema"/>): nothing is kept, and the turn is read
/// and decided again, where the stored answer, the new state or the new count is found.</item>
/// <item>Turns of one conversation in this process queue behind each other first, so only turns on
/// different replicas can race.</item>
/// <item>The write batches of turns waiting at the same moment go to the server as one batch (group
/// commit, <see cref="WriteLoopAsync"/>): one round trip, one commit and one WAL flush for many
/// turns. If that batch fails, nothing of it was kept and each turn's writes are sent again alone,
/// so a lost race or a failing statement affects only its own turn. Measured: 1,872 → 4,766 Reply/s,
/// service 284 → 113 µs and PostgreSQL 351 → 149 µs of CPU per Reply (docs/benchmarks.md).</item>
/// <item>Unlike the SQLite store, no copy of each conversation's last committed row is kept:
/// turns of one conversation alternate between replicas behind a load balancer that is not sticky,
/// so a copy would be stale on about every other turn, and its failed version check would send the
/// whole group's writes again one by one (docs/operations.md).</item>
/// <item>Round trips, not the server, were the cost of the earlier design (a transaction around the
/// reads, an advisory lock, the decision and the writes: three round trips with the backend held;
/// docs/benchmarks.md, "The PostgreSQL store's Reply path").</item>
/// </list>
/// Connection defaults (applied only when the connection string does not set them; see
/// <see cref="WithDefaults"/>): a pool sized to the machine, no reset on close, auto-prepared
/// statements (multiplexing stays off: it does not recover from terminated backends).
/// </summary>
public sealed class PostgresConversationStore : IConversationStore
{
    private readonly NpgsqlDataSource _source;
    private readonly StoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly KeyedLock<ConversationKey> _conversations = new();
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private Task[] _writers = [];

    /// <summary>Most turns one write batch carries.</summary>
    private const int MaxGroup = 64;

    /// <summary>Write batches in flight at once (each waits for its commit's WAL flush).</summary>
    private const int Writers = 4;

    /// <summary>The SqlState <c>sdsl_expect</c> raises: what a write was decided on changed since it was read.</summary>
    private const string ChangedSinceRead = "SDSL1";

    private static readonly IReadOnlyDictionary<string, int> EmptyUsage = new Dictionary<string, int>(StringComparer.Ordinal);

    private PostgresConversationStore(NpgsqlDataSource source, StoreOptions options, TimeProvider clock)
    {
        _source = source;
        _options = options;
        _clock = clock;
    }

    /// <summary>The server and database, without credentials (for logs).</summary>
    public string Description { get; private init; } = "";

    /// <summary>How long a write batch may wait for the server's answer (see <see cref="ExecuteWriteAsync"/>).</summary>
    private TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called after each commit of writes with its size (turns) and how long its round trip took (for metrics).</summary>
    public Action<int, TimeSpan>? Committed { get; set; }

    /// <summary>Connects and creates or migrates the schema (safe when several replicas start together).</summary>
    /// <exception cref="StoreUnavailableException">The server cannot be reached or the schema cannot be migrated.</exception>
    public static async Task<PostgresConversationStore> OpenAsync(StoreOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("Store:ConnectionString is required for Store:Provider=postgres (e.g. \"Host=127.0.0.1;Port=5432;Username=sdsl;Database=sdsl\").", nameof(options));
        }

        var builder = WithDefaults(options.ConnectionString);
        var description = $"PostgreSQL {builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database}"
            + (string.IsNullOrEmpty(builder.SearchPath) ? "" : " (schema " + builder.SearchPath + ")");
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await PostgresSchema.CreateOrMigrateAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw new StoreUnavailableException($"The conversation database {description} cannot be opened: {e.Message}", e);
        }

        var store = new PostgresConversationStore(source, options, clock)
        {
            Description = description,
            // Npgsql's Command Timeout (30 s unless the connection string says otherwise; 0 means none).
            WriteTimeout = builder.CommandTimeout > 0 ? TimeSpan.FromSeconds(builder.CommandTimeout) : Timeout.InfiniteTimeSpan,
        };
        store._writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(store.WriteLoopAsync))];
        return store;
    }

    /// <summary>
    /// The connection string with this store's defaults for what it does not set itself:
    /// <list type="bullet">
    /// <item><c>Maximum Pool Size</c>: <see cref="DefaultPoolSize"/> (Npgsql's default is 100). A
    /// turn holds a connection for one round trip at a time, so a few connections per core keep the
    /// server busy; more only add backends competing for the same cores (measured:
    /// docs/benchmarks.md).</item>
    /// <item><c>No Reset On Close=true</c>: Npgsql otherwise resets every connection taken from the
    /// pool (<c>DISCARD ALL</c> or its equivalent, sent with the next command), which costs the
    /// server work on every round trip. This store leaves no session state behind: no <c>SET</c>,
    /// no temporary tables, no session-level advisory locks (the migration's lock is
    /// transaction-scoped), nothing listened to.</item>
    /// <item><c>Max Auto Prepare</c>: <see cref="DefaultAutoPrepare"/>: the Reply path's dozen
    /// statements are prepared on each connection after a few uses and then sent without their text
    /// and planned once (Npgsql's default is 0, no preparation).</item>
    /// <item><c>Multiplexing</c> is left as Npgsql has it (off). It was this store's default for a
    /// while (fewer sends and backend wake-ups per turn, measured in docs/benchmarks.md), until the
    /// test <c>BackendsKilledUnderLoadLoseNoAcknowledgedTurnAndApplyNoTurnTwice</c> showed that with
    /// it a store whose backends are terminated under load (a database restart, a failover) does not
    /// recover: 60 of 480 turns never got an answer after the kills stopped, while without it every
    /// turn was answered within seconds. A connection string may still set it.</item>
    /// </list>
    /// A setting present in the connection string, under any of Npgsql's names for it, is kept as given.
    /// </summary>
    public static NpgsqlConnectionStringBuilder WithDefaults(string connectionString)
    {
        // Npgsql's builder reports every keyword it knows as present, so the user's own keys are
        // read with the base builder, which keeps only what the string holds.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (string k in given.Keys)
        {
            keys.Add(k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("MAXIMUMPOOLSIZE") && !keys.Contains("MAXPOOLSIZE"))
        {
            builder.MaxPoolSize = DefaultPoolSize;
        }

        if (!keys.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        if (!keys.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = DefaultAutoPrepare;
        }

        return builder;
    }

    /// <summary>The pool size when the connection string sets none: 8 connections per core, at least 16.</summary>
    public static int DefaultPoolSize => Math.Max(16, 8 * Environment.ProcessorCount);

    /// <summary>Statements auto-prepared per connection when the connection string sets none (the store has about 20).</summary>
    public const int DefaultAutoPrepare = 32;

    public async Task<UpdateResult> UpdateAsync(
        ConversationKey key,
        RequestIdentity request,
        IReadOnlyCollection<string> dailyCounters,
        Func<StoredConversation?, IReadOnlyDictionary<string, int>, StateChange> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dailyCounters);
        ArgumentNullException.ThrowIfNull(decide);

        // Turns of one conversation in this process queue here first rather than racing to retry.
        using var turn = await _conversations.AcquireAsync(key, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; attempt <= _options.MaxConflictRetries; attempt++)
        {
            var outcome = await Unavailable(() => TryUpdateAsync(key, request, dailyCounters, decide, cancellationToken)).ConfigureAwait(false);
            if (outcome is not null)
            {
                return outcome;
            }
        }

        throw new ConcurrencyConflictException(key, _options.MaxConflictRetries);
    }

    /// <summary>
    /// One attempt: the result, or null when the write lost a race and must be decided again. Two
    /// round trips, and no backend held while the engine decides (see the class remarks).
    /// </summary>
    private async Task<UpdateResult?> TryUpdateAsync(
        ConversationKey key,
        RequestIdentity request,
        IReadOnlyCollection<string> dailyCounters,
        Func<StoredConversation?, IReadOnlyDictionary<string, int>, StateChange> decide,
        CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var day = _options.DayOf(now);

        // 1. The reads, in one round trip and without a transaction: the stored answer to this
        // request id, the state and its version, today's stock. The connection goes back to the
        // pool when the reader is disposed, before the decision.
        bool exists = false;
        long version = 0, updatedAt = 0;
        string state = "";
        var used = dailyCounters.Count == 0 ? EmptyUsage : new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var reads = _source.CreateBatch())
        {
            if (request.HasId)
            {
                reads.BatchCommands.Add(Command(
                    "SELECT fingerprint, response FROM requests WHERE shop_id = $1 AND conversation_id = $2 AND request_id = $3",
                    Text(key.ShopId), Text(key.ConversationId), Text(request.RequestId)));
            }

            reads.BatchCommands.Add(Command(
                "SELECT version, state, updated_at FROM conversations WHERE shop_id = $1 AND conversation_id = $2",
                Text(key.ShopId), Text(key.ConversationId)));
            if (dailyCounters.Count > 0)
            {
                reads.BatchCommands.Add(Command(
                    "SELECT counter, used FROM daily_stock WHERE day = $1 AND counter = ANY($2)",
                    Text(day), new NpgsqlParameter<string[]> { TypedValue = [.. dailyCounters], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }));
            }

            await using var reader = await reads.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (request.HasId)
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!string.Equals(reader.GetString(0), request.Fingerprint, StringComparison.Ordinal))
                    {
                        throw new RequestIdReusedException(request.RequestId);
                    }

                    return new UpdateResult(reader.GetFieldValue<byte[]>(1), Replayed: true);
                }

                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }

            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                exists = true;
                version = reader.GetInt64(0);
                state = reader.GetString(1);
                updatedAt = reader.GetInt64(2);
            }

            if (dailyCounters.Count > 0)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ((Dictionary<string, int>)used)[reader.GetString(0)] = (int)reader.GetInt64(1);
                }
            }
        }

        // 2. The decision, with no connection held.
        var expired = exists && now - updatedAt > (long)_options.IdleExpiry.TotalMilliseconds;
        var change = decide(exists && !expired ? new StoredConversation(state, version) : null, used);

        // 3. The writes and their commit, in one round trip (shared with the other turns waiting
        // to be written, see WriteLoopAsync): without an explicit transaction the
        // batch is one implicit transaction (Npgsql sends one Sync after its last statement), so a
        // statement that fails rolls back the statements before it and skips the ones after. The
        // checks are made in SQL (sdsl_expect raises SqlState SDSL1 when a conversation's version
        // or a daily stock changed since the read); the answer is returned only after the commit.
        var write = new PendingWrite(key, Shared: change.Stock is { Count: > 0 } || change.Unmatched is not null,
            batch => AddWrites(batch, key, request, exists, version, change, now, day));
        if (!_writes.Writer.TryWrite(write))
        {
            throw new StoreUnavailableException($"The conversation database {Description} is shut down.", new ObjectDisposedException(nameof(PostgresConversationStore)));
        }

        // Not cancellable once queued: the write commits or fails as a whole, and the next turn of
        // this conversation must not start before its outcome is known.
        return await write.Completion.Task.ConfigureAwait(false) ? new UpdateResult(change.Response, Replayed: false) : null;
    }

    /// <summary>One turn's statements, in the order their checks must run (see <see cref="TryUpdateAsync"/>).</summary>
    private void AddWrites(NpgsqlBatch batch, ConversationKey key, RequestIdentity request, bool exists, long version, StateChange change, long now, string day)
    {
        batch.BatchCommands.Add(exists
            ? Command("WITH w AS (UPDATE conversations SET version = version + 1, state = $1, updated_at = $2 "
                + "WHERE shop_id = $3 AND conversation_id = $4 AND version = $5 RETURNING 1) SELECT sdsl_expect(count(*) = 1) FROM w",
                Text(change.State), Long(now), Text(key.ShopId), Text(key.ConversationId), Long(version))
            : Command("WITH w AS (INSERT INTO conversations(shop_id, conversation_id, version, state, updated_at) VALUES ($1, $2, 1, $3, $4) "
                + "ON CONFLICT DO NOTHING RETURNING 1) SELECT sdsl_expect(count(*) = 1) FROM w",
                Text(key.ShopId), Text(key.ConversationId), Text(change.State), Long(now)));
        if (change.Stock is { Count: > 0 } stock)
        {
            // In one order (by counter) in every transaction, so two turns taking the same two
            // stocks cannot deadlock. A unit is taken only while used < limit, evaluated by
            // PostgreSQL on the latest committed row: the limit is exact across replicas.
            foreach (var use in stock.OrderBy(u => u.Counter, StringComparer.Ordinal))
            {
                batch.BatchCommands.Add(Command(
                    "WITH t AS (INSERT INTO daily_stock(counter, day, used) VALUES ($1, $2, 1) ON CONFLICT(counter, day) "
                    + "DO UPDATE SET used = daily_stock.used + 1 WHERE daily_stock.used < $3 RETURNING 1) SELECT sdsl_expect(count(*) = 1) FROM t",
                    Text(use.Counter), Text(day), Long(use.DailyLimit)));
            }
        }

        if (!exists)
        {
            // A conversation's first turn logs its start; a row in conversations was logged by the
            // turn that created it (the log outlives expiry), so later turns skip the statement.
            batch.BatchCommands.Add(Command(
                "INSERT INTO conversation_log(shop_id, conversation_id, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                Text(key.ShopId), Text(key.ConversationId), Long(now)));
        }

        if (request.HasId)
        {
            // A unique violation here: another replica committed the same request id since the read.
            batch.BatchCommands.Add(Command(
                "INSERT INTO requests(shop_id, conversation_id, request_id, fingerprint, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                Text(key.ShopId), Text(key.ConversationId), Text(request.RequestId), Text(request.Fingerprint),
                new NpgsqlParameter<byte[]> { TypedValue = change.Response, NpgsqlDbType = NpgsqlDbType.Bytea }, Long(now)));
        }

        foreach (var e in change.Events)
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO usage(shop_id, conversation_id, kind, grp, name, used) VALUES ($1, $2, $3, $4, $5, 1) "
                + "ON CONFLICT(shop_id, conversation_id, kind, grp, name) DO UPDATE SET used = usage.used + 1",
                Text(key.ShopId), Text(key.ConversationId), Int((int)e.Kind), Text(e.Group), Text(e.Name)));
        }

        if (change.Unmatched is { } unmatched)
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO unmatched(shop_id, text, count, first_seen, last_seen, kind, options) VALUES ($1, $2, 1, $3, $3, $4, $5) "
                + "ON CONFLICT(shop_id, text) DO UPDATE SET count = unmatched.count + 1, last_seen = $3, kind = $4, options = $5",
                Text(key.ShopId), Text(unmatched.Text), Long(now), Int((int)unmatched.Kind), Text(UnmatchedOptions.Join(unmatched.ClarifyOptions))));

            // A new distinct text (its count is 1): keep only the most recently seen texts of the shop.
            batch.BatchCommands.Add(Command(
                "DELETE FROM unmatched WHERE shop_id = $1 AND EXISTS (SELECT 1 FROM unmatched WHERE shop_id = $1 AND text = $2 AND count = 1) "
                + "AND text IN (SELECT text FROM unmatched WHERE shop_id = $1 ORDER BY last_seen DESC, text OFFSET $3)",
                Text(key.ShopId), Text(unmatched.Text), Long(_options.UnmatchedPerShop)));
        }

    }

    /// <summary>
    /// A writer: takes every write waiting (up to <see cref="MaxGroup"/>) and sends them as one batch,
    /// so that their statements commit together in one implicit transaction (group commit: one
    /// round trip, one commit and one WAL flush for many turns, as the SQLite store's writer does).
    /// A turn that writes rows other conversations share (a daily stock, the shop's unmatched list)
    /// goes in a batch of its own instead, and the group's turns go in the order of their
    /// conversations, so two groups (on two replicas) never lock the same rows in opposite orders.
    /// When PostgreSQL reports an error for the group, nothing of it was kept, and each write is sent
    /// again alone, so that only the turns whose own check failed are decided again and only the
    /// statements that fail on their own are reported as failures; any other failure is reported to
    /// every turn of the group (see <see cref="WriteGroupAsync"/>). Several writers run at once
    /// (<see cref="Writers"/>), each batch on a pooled connection of its own.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var group = new List<PendingWrite>(MaxGroup);
        while (await _writes.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroup && _writes.Reader.TryRead(out var next))
            {
                group.Add(next);
            }

            if (group.Count == 0)
            {
                continue;
            }

            // A turn that writes rows other conversations share (a daily stock, the shop's unmatched
            // list) is written alone, and the others in the order of their conversations: then two
            // groups, on two replicas, lock rows in the same order, and cannot deadlock on them.
            var alone = group.Where(w => w.Shared).ToList();
            group.RemoveAll(w => w.Shared);
            group.Sort(static (a, b) =>
            {
                var byShop = string.CompareOrdinal(a.Key.ShopId, b.Key.ShopId);
                return byShop != 0 ? byShop : string.CompareOrdinal(a.Key.ConversationId, b.Key.ConversationId);
            });
            var aloneWritten = alone.Count == 0 ? Task.CompletedTask : Task.WhenAll(alone.Select(WriteAloneAsync));
            await WriteGroupAsync(group).ConfigureAwait(false);
            await aloneWritten.ConfigureAwait(false);
        }
    }

    /// <summary>Turns that write only their own conversation's rows, in one batch and one commit (see <see cref="WriteLoopAsync"/>).</summary>
    private async Task WriteGroupAsync(List<PendingWrite> group)
    {
        if (group.Count > 1)
        {
            var started = _clock.GetTimestamp();
            try
            {
                await using var batch = _source.CreateBatch();
                foreach (var write in group)
                {
                    write.AddTo(batch);
                }

                await ExecuteWriteAsync(batch).ConfigureAwait(false);
                Committed?.Invoke(group.Count, _clock.GetElapsedTime(started));
                foreach (var write in group)
                {
                    write.Completion.TrySetResult(true);
                }

                return;
            }
            catch (PostgresException)
            {
                // The server reported an error, so it rolled the group's implicit transaction
                // back: nothing of it was kept. Each write alone below, where each learns its
                // own outcome (a writer must never stop with writes waiting on it).
            }
            catch (Exception e)
            {
                // Anything else (the connection broke, a timeout) may have come after the
                // commit: whether the group was kept is unknown. Writing a turn again would
                // then apply it twice (its version check fails, so it would be decided again
                // on a state that already holds it), so every caller learns the failure as it
                // is, like a failed commit of a turn written alone; a retry with its request
                // id gets the stored answer if the commit did happen.
                foreach (var write in group)
                {
                    write.Completion.TrySetException(e);
                }

                return;
            }
        }

        await Task.WhenAll(group.Select(WriteAloneAsync)).ConfigureAwait(false);
    }

    /// <summary>One turn's writes in a batch of their own: committed, lost a race (false), or failed.</summary>
    private async Task WriteAloneAsync(PendingWrite write)
    {
        var started = _clock.GetTimestamp();
        try
        {
            await using var batch = _source.CreateBatch();
            write.AddTo(batch);
            await ExecuteWriteAsync(batch).ConfigureAwait(false);
            Committed?.Invoke(1, _clock.GetElapsedTime(started));
            write.Completion.TrySetResult(true);
        }
        catch (PostgresException e) when (e.SqlState is ChangedSinceRead or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            // Nothing was kept: the conversation changed (another replica's turn, or expiry), a
            // stock ran out, or the request id was answered meanwhile. Read and decide again.
            write.Completion.TrySetResult(false);
        }
        catch (Exception e)
        {
            write.Completion.TrySetException(e);
        }
    }

    /// <summary>
    /// Sends a write batch and waits for its answer at most <see cref="WriteTimeout"/>. A turn's caller
    /// waits for its write without a way to give up (see <see cref="TryUpdateAsync"/>), and a writer
    /// serves many turns, so neither may wait for ever on a connection that will never answer (with
    /// multiplexing on, <c>BackendsKilledUnderLoadLoseNoAcknowledgedTurnAndApplyNoTurnTwice</c> left
    /// turns waiting for good; this bound alone did not cure that, turning multiplexing off did, see
    /// <see cref="WithDefaults"/>). When the time is up the batch is cancelled and, should Npgsql not
    /// end it, abandoned; either way it fails as an
    /// <see cref="NpgsqlException"/> whose outcome is unknown, which every caller of the batch gets as
    /// "unavailable" (a retry with its request id gets the stored answer if the commit happened).
    /// </summary>
    private async Task ExecuteWriteAsync(NpgsqlBatch batch)
    {
        using var timeout = new CancellationTokenSource(WriteTimeout);
        try
        {
            await batch.ExecuteNonQueryAsync(timeout.Token)
                .WaitAsync(WriteTimeout == Timeout.InfiniteTimeSpan ? WriteTimeout : WriteTimeout + WriteTimeout)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && timeout.IsCancellationRequested))
        {
            throw new NpgsqlException($"The database did not answer a write within {WriteTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; whether it was kept is unknown.", e);
        }
    }

    /// <summary>A turn's writes waiting for a writer: a way to add its statements to a batch, and its outcome (true: committed).</summary>
    /// <param name="Shared">The turn writes rows other conversations share (a daily stock, the unmatched list): written alone.</param>
    private sealed record PendingWrite(ConversationKey Key, bool Shared, Action<NpgsqlBatch> AddTo)
    {
        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task<StoredConversation?> ReadAsync(ConversationKey key, CancellationToken cancellationToken) => Unavailable(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT version, state, updated_at FROM conversations WHERE shop_id = $1 AND conversation_id = $2", connection);
        command.Parameters.Add(Text(key.ShopId));
        command.Parameters.Add(Text(key.ConversationId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var live = _clock.GetUtcNow().ToUnixTimeMilliseconds() - reader.GetInt64(2) <= (long)_options.IdleExpiry.TotalMilliseconds;
        return live ? new StoredConversation(reader.GetString(1), reader.GetInt64(0)) : null;
    });

    public Task RecordOutcomeAsync(ConversationKey key, ConversationOutcome outcome, long paidTotalMinor, CancellationToken cancellationToken)
    {
        var (ordered, paid, left) = outcome switch
        {
            ConversationOutcome.Ordered => (1, 0, 0),
            ConversationOutcome.Paid => (1, 1, 0), // a paid conversation was ordered first
            ConversationOutcome.Left => (0, 0, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
        };
        return Unavailable(() => ExecuteAsync(
            "INSERT INTO outcomes(shop_id, conversation_id, ordered, paid, left_shop, paid_total) VALUES ($1, $2, $3, $4, $5, $6) "
            + "ON CONFLICT(shop_id, conversation_id) DO UPDATE SET ordered = GREATEST(outcomes.ordered, $3), paid = GREATEST(outcomes.paid, $4), "
            + "left_shop = GREATEST(outcomes.left_shop, $5), paid_total = CASE WHEN $4 = 1 THEN $6 ELSE outcomes.paid_total END",
            cancellationToken,
            Text(key.ShopId), Text(key.ConversationId), Int(ordered), Int(paid), Int(left), Long(paid == 1 ? paidTotalMinor : 0L)));
    }

    public Task<bool> ExistsAsync(ConversationKey key, CancellationToken cancellationToken) => Unavailable(async () =>
        await ScalarAsync("SELECT 1 FROM conversation_log WHERE shop_id = $1 AND conversation_id = $2", cancellationToken,
            Text(key.ShopId), Text(key.ConversationId)).ConfigureAwait(false) is not null);

    public Task<ShopStatistics> GetStatisticsAsync(string shopId, CancellationToken cancellationToken) => Unavailable(async () =>
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long conversations, ordered, paid, paidTotal;
        await using (var totals = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM conversation_log WHERE shop_id = $1), "
            + "coalesce(sum(ordered), 0)::bigint, coalesce(sum(paid), 0)::bigint, coalesce(sum(CASE WHEN paid = 1 THEN paid_total ELSE 0 END), 0)::bigint "
            + "FROM outcomes WHERE shop_id = $1", connection))
        {
            totals.Parameters.Add(Text(shopId));
            await using var reader = await totals.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            conversations = reader.GetInt64(0);
            ordered = reader.GetInt64(1);
            paid = reader.GetInt64(2);
            paidTotal = reader.GetInt64(3);
        }

        return new ShopStatistics(conversations, ordered, paid, paidTotal,
            await KeyUsageAsync(connection, shopId, StatisticKind.Variant, cancellationToken).ConfigureAwait(false),
            await KeyUsageAsync(connection, shopId, StatisticKind.PolicyStep, cancellationToken).ConfigureAwait(false));
    });

    /// <summary>
    /// Drops idle conversations and their request ids in one statement. Several replicas may run it
    /// at once: a row another replica deleted is simply not counted twice, and a conversation that
    /// a turn is updating right now is re-checked after the turn commits (it is then no longer idle).
    /// </summary>
    public Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var cutoff = _clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)_options.IdleExpiry.TotalMilliseconds;
        return Unavailable(async () => Convert.ToInt32(await ScalarAsync(
            "WITH gone AS (DELETE FROM conversations WHERE updated_at < $1 RETURNING shop_id, conversation_id), "
            + "dropped AS (DELETE FROM requests r USING gone g WHERE r.shop_id = g.shop_id AND r.conversation_id = g.conversation_id) "
            + "SELECT count(*) FROM gone",
            cancellationToken, Long(cutoff)).ConfigureAwait(false), CultureInfo.InvariantCulture));
    }

    public Task<IReadOnlyDictionary<string, int>> DailyUsageAsync(IReadOnlyCollection<string> counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var day = _options.DayOf(_clock.GetUtcNow().ToUnixTimeMilliseconds());
        return Unavailable(async () =>
        {
            var used = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT counter, used FROM daily_stock WHERE day = $1 AND counter = ANY($2)", connection);
            command.Parameters.Add(Text(day));
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. counters], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                used[reader.GetString(0)] = (int)reader.GetInt64(1);
            }

            return (IReadOnlyDictionary<string, int>)used;
        });
    }

    public Task<IReadOnlyList<UnmatchedEntry>> ListUnmatchedAsync(string shopId, int limit, CancellationToken cancellationToken) => Unavailable(async () =>
    {
        var result = new List<UnmatchedEntry>();
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT text, count, first_seen, last_seen, kind, options FROM unmatched WHERE shop_id = $1 "
            + "ORDER BY count DESC, last_seen DESC, text COLLATE \"C\" LIMIT $2", connection);
        command.Parameters.Add(Text(shopId));
        command.Parameters.Add(Long(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new UnmatchedEntry(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                (UnmatchedKind)reader.GetInt32(4), UnmatchedOptions.Split(reader.GetString(5))));
        }

        return (IReadOnlyList<UnmatchedEntry>)result;
    });

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Convert.ToInt64(await ScalarAsync("SELECT count(*) FROM schema_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
    }


    /// <summary>Runs a store call; a failure of the server or the connection becomes <see cref="StoreUnavailableException"/>.</summary>
    private async Task<T> Unavailable<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new StoreUnavailableException($"The conversation database {Description} failed: {e.Message}", e);
        }
    }

    private async Task Unavailable(Func<Task> call) =>
        await Unavailable(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<KeyStatistics>> KeyUsageAsync(NpgsqlConnection connection, string shopId, StatisticKind kind, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT u.grp, u.name, sum(u.used)::bigint, count(DISTINCT CASE WHEN o.ordered = 1 THEN u.conversation_id END) "
            + "FROM usage u LEFT JOIN outcomes o ON o.shop_id = u.shop_id AND o.conversation_id = u.conversation_id "
            + "WHERE u.shop_id = $1 AND u.kind = $2 GROUP BY u.grp, u.name ORDER BY u.grp COLLATE \"C\", u.name COLLATE \"C\"", connection);
        command.Parameters.Add(Text(shopId));
        command.Parameters.Add(Int((int)kind));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<KeyStatistics>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new KeyStatistics(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return result;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<long> Long(long value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter<int> Int(int value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Integer };
}
