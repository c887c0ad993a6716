using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace ScriptService.Storage;

/// <summary>
/// The store for many replicas: every service process on one PostgreSQL database
/// (<c>--Store:Provider=postgres --Store:ConnectionString=…</c>). The same guarantees as SQLite,
/// across processes:
/// <list type="bullet">
/// <item>An update runs in one transaction that first takes a transaction-scoped advisory lock on
/// the conversation (<c>pg_advisory_xact_lock</c> on a hash of its key), so the turns of one
/// conversation are serialized across replicas; the state write still checks the version read
/// (optimistic concurrency), so an expiry that ran meanwhile is noticed and decided again.</item>
/// <item>Request-id idempotency: the stored answer is found under the same lock, so a retry that
/// lands on another replica gets the first answer.</item>
/// <item>Daily stock: read in the same transaction and taken with a conditional increment
/// (<c>… DO UPDATE SET used = used + 1 WHERE used &lt; limit</c>), which PostgreSQL evaluates
/// on the latest committed row; when it takes nothing the transaction rolls back and the turn is
/// decided again, so a limit is exact across replicas.</item>
/// <item>Each transaction needs two round trips (a batch of reads under the lock, a batch of writes
/// and the commit); concurrency comes from the server, not from a single writer.</item>
/// </list>
/// </summary>
public sealed class PostgresConversationStore : IConversationStore
{
    private readonly NpgsqlDataSource _source;
    private readonly StoreOptions _options;
    private readonly TimeProvider _clock;
    private readonly KeyedLock<ConversationKey> _conversations = new();

    private PostgresConversationStore(NpgsqlDataSource source, StoreOptions options, TimeProvider clock)
    {
        _source = source;
        _options = options;
        _clock = clock;
    }

    /// <summary>The server and database, without credentials (for logs).</summary>
    public string Description { get; private init; } = "";

    /// <summary>Called after each commit of an update with its size (1) and how long the transaction took (for metrics).</summary>
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

        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
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

        return new PostgresConversationStore(source, options, clock) { Description = description };
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

        // Turns of one conversation in this process queue here first rather than on the server's lock.
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

    /// <summary>One attempt: the result, or null when the write lost a race and must be decided again.</summary>
    private async Task<UpdateResult?> TryUpdateAsync(
        ConversationKey key,
        RequestIdentity request,
        IReadOnlyCollection<string> dailyCounters,
        Func<StoredConversation?, IReadOnlyDictionary<string, int>, StateChange> decide,
        CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var day = Day(now);
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        bool exists = false;
        long version = 0, updatedAt = 0;
        string state = "";
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var reads = new NpgsqlBatch(connection, transaction))
        {
            reads.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Text(LockName(key))));
            reads.BatchCommands.Add(Command(
                "SELECT fingerprint, response FROM requests WHERE shop_id = $1 AND conversation_id = $2 AND request_id = $3",
                Text(key.ShopId), Text(key.ConversationId), Text(request.RequestId)));
            reads.BatchCommands.Add(Command(
                "SELECT version, state, updated_at FROM conversations WHERE shop_id = $1 AND conversation_id = $2",
                Text(key.ShopId), Text(key.ConversationId)));
            reads.BatchCommands.Add(Command(
                "SELECT counter, used FROM daily_stock WHERE day = $1 AND counter = ANY($2)",
                Text(day), new NpgsqlParameter<string[]> { TypedValue = [.. dailyCounters], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }));
            await using var reader = await reads.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // the lock's empty result
            if (request.HasId && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!string.Equals(reader.GetString(0), request.Fingerprint, StringComparison.Ordinal))
                {
                    throw new RequestIdReusedException(request.RequestId);
                }

                return new UpdateResult(reader.GetFieldValue<byte[]>(1), Replayed: true);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                exists = true;
                version = reader.GetInt64(0);
                state = reader.GetString(1);
                updatedAt = reader.GetInt64(2);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                used[reader.GetString(0)] = (int)reader.GetInt64(1);
            }
        }

        var expired = exists && now - updatedAt > (long)_options.IdleExpiry.TotalMilliseconds;
        var change = decide(exists && !expired ? new StoredConversation(state, version) : null, used);

        await using (var writes = new NpgsqlBatch(connection, transaction))
        {
            var checkedCommands = new List<NpgsqlBatchCommand>();
            writes.BatchCommands.Add(exists
                ? Command("UPDATE conversations SET version = version + 1, state = $1, updated_at = $2 WHERE shop_id = $3 AND conversation_id = $4 AND version = $5",
                    Text(change.State), Long(now), Text(key.ShopId), Text(key.ConversationId), Long(version))
                : Command("INSERT INTO conversations(shop_id, conversation_id, version, state, updated_at) VALUES ($1, $2, 1, $3, $4) ON CONFLICT DO NOTHING",
                    Text(key.ShopId), Text(key.ConversationId), Text(change.State), Long(now)));
            checkedCommands.Add(writes.BatchCommands[^1]);
            foreach (var use in change.Stock ?? [])
            {
                writes.BatchCommands.Add(Command(
                    "INSERT INTO daily_stock(counter, day, used) VALUES ($1, $2, 1) ON CONFLICT(counter, day) DO UPDATE SET used = daily_stock.used + 1 WHERE daily_stock.used < $3",
                    Text(use.Counter), Text(day), Long(use.DailyLimit)));
                checkedCommands.Add(writes.BatchCommands[^1]);
            }

            writes.BatchCommands.Add(Command(
                "INSERT INTO conversation_log(shop_id, conversation_id, started_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                Text(key.ShopId), Text(key.ConversationId), Long(now)));
            if (request.HasId)
            {
                writes.BatchCommands.Add(Command(
                    "INSERT INTO requests(shop_id, conversation_id, request_id, fingerprint, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    Text(key.ShopId), Text(key.ConversationId), Text(request.RequestId), Text(request.Fingerprint),
                    new NpgsqlParameter<byte[]> { TypedValue = change.Response, NpgsqlDbType = NpgsqlDbType.Bytea }, Long(now)));
            }

            foreach (var e in change.Events)
            {
                writes.BatchCommands.Add(Command(
                    "INSERT INTO usage(shop_id, conversation_id, kind, grp, name, used) VALUES ($1, $2, $3, $4, $5, 1) "
                    + "ON CONFLICT(shop_id, conversation_id, kind, grp, name) DO UPDATE SET used = usage.used + 1",
                    Text(key.ShopId), Text(key.ConversationId), Int((int)e.Kind), Text(e.Group), Text(e.Name)));
            }

            if (change.Unmatched is { } unmatched)
            {
                writes.BatchCommands.Add(Command(
                    "INSERT INTO unmatched(shop_id, text, count, first_seen, last_seen, kind, options) VALUES ($1, $2, 1, $3, $3, $4, $5) "
                    + "ON CONFLICT(shop_id, text) DO UPDATE SET count = unmatched.count + 1, last_seen = $3, kind = $4, options = $5",
                    Text(key.ShopId), Text(unmatched.Text), Long(now), Int((int)unmatched.Kind), Text(UnmatchedOptions.Join(unmatched.ClarifyOptions))));

                // Keep only the most recently seen texts of the shop.
                writes.BatchCommands.Add(Command(
                    "DELETE FROM unmatched WHERE shop_id = $1 AND text IN "
                    + "(SELECT text FROM unmatched WHERE shop_id = $1 ORDER BY last_seen DESC, text OFFSET $2)",
                    Text(key.ShopId), Long(_options.UnmatchedPerShop)));
            }

            try
            {
                await writes.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                return null; // written meanwhile by a process that does not take the lock: read again
            }

            foreach (var command in checkedCommands)
            {
                if (command.RecordsAffected != 1)
                {
                    // The conversation changed (expired) or a stock ran out since the read: nothing is kept.
                    await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    return null;
                }
            }
        }

        // Not cancellable: once the commit is sent its outcome must be known.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        Committed?.Invoke(1, _clock.GetElapsedTime(started));
        return new UpdateResult(change.Response, Replayed: false);
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
        var day = Day(_clock.GetUtcNow().ToUnixTimeMilliseconds());
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

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <summary>The advisory lock's key text: one per conversation (a hash collision only serializes two conversations).</summary>
    private static string LockName(ConversationKey key) => key.ShopId + "\u001f" + key.ConversationId;

    private string Day(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToOffset(_options.DayUtcOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

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
