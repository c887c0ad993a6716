using System.Globalization;
using Npgsql;

namespace ScriptService.Storage;

/// <summary>
/// The PostgreSQL schema, as numbered migrations run by the service at start. Replicas that start
/// together serialize on one transaction-scoped advisory lock taken first in the migration's
/// transaction: the first migrates, the others then find the version current and do nothing. Each
/// migration and its version bump commit together. (Transaction-scoped, so that no pooled
/// connection can keep it: the store's connections are not reset when they go back to the pool.)
/// Tables go into the connection's search path (<c>Search Path=…</c> in the connection string
/// picks a schema; the default is <c>public</c>).
/// </summary>
public static class PostgresSchema
{
    /// <summary>The advisory lock key of migrations ("SDSL" in ASCII).</summary>
    private const long MigrationLock = 0x5344534C;

    private static readonly string[] Migrations =
    [
        // 1: conversations, request ids, statistics, daily stock, outcomes.
        """
        CREATE TABLE IF NOT EXISTS conversations(
            shop_id text NOT NULL, conversation_id text NOT NULL,
            version bigint NOT NULL, state text NOT NULL, updated_at bigint NOT NULL,
            PRIMARY KEY(shop_id, conversation_id));
        CREATE INDEX IF NOT EXISTS conversations_updated ON conversations(updated_at);
        CREATE TABLE IF NOT EXISTS requests(
            shop_id text NOT NULL, conversation_id text NOT NULL, request_id text NOT NULL,
            fingerprint text NOT NULL, response bytea NOT NULL, created_at bigint NOT NULL,
            PRIMARY KEY(shop_id, conversation_id, request_id));
        CREATE TABLE IF NOT EXISTS conversation_log(
            shop_id text NOT NULL, conversation_id text NOT NULL, started_at bigint NOT NULL,
            PRIMARY KEY(shop_id, conversation_id));
        CREATE TABLE IF NOT EXISTS usage(
            shop_id text NOT NULL, conversation_id text NOT NULL, kind integer NOT NULL,
            grp text NOT NULL, name text NOT NULL, used bigint NOT NULL,
            PRIMARY KEY(shop_id, conversation_id, kind, grp, name));
        CREATE TABLE IF NOT EXISTS daily_stock(
            counter text NOT NULL, day text NOT NULL, used bigint NOT NULL,
            PRIMARY KEY(counter, day));
        CREATE TABLE IF NOT EXISTS outcomes(
            shop_id text NOT NULL, conversation_id text NOT NULL,
            ordered integer NOT NULL, paid integer NOT NULL, left_shop integer NOT NULL, paid_total bigint NOT NULL,
            PRIMARY KEY(shop_id, conversation_id));
        """,

        // 2: messages no rule understood, per shop, without buyer ids.
        """
        CREATE TABLE IF NOT EXISTS unmatched(
            shop_id text NOT NULL, text text NOT NULL, count bigint NOT NULL,
            first_seen bigint NOT NULL, last_seen bigint NOT NULL, kind integer NOT NULL, options text NOT NULL,
            PRIMARY KEY(shop_id, text));
        CREATE INDEX IF NOT EXISTS unmatched_recent ON unmatched(shop_id, last_seen);
        """,

        // 3: the check a turn's write batch makes in SQL: when what the turn was decided on changed
        // since it was read (the conversation's version, a daily stock), the statement fails with
        // SqlState SDSL1, which rolls back the whole batch (one implicit transaction), and the store
        // reads and decides again (PostgresConversationStore.TryUpdateAsync).
        """
        CREATE OR REPLACE FUNCTION sdsl_expect(ok boolean) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT ok THEN
                RAISE EXCEPTION 'sdsl: the conversation or a daily stock changed since it was read' USING ERRCODE = 'SDSL1';
            END IF;
        END
        $$;
        """,
    ];

    public static int Version => Migrations.Length;

    internal static async Task CreateOrMigrateAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, MigrationLock).ConfigureAwait(false);
        await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version(version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(await Execute(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > Version)
        {
            throw new InvalidOperationException($"The PostgreSQL database has schema version {current}, newer than this service's {Version}.");
        }

        for (var v = current; v < Version; v++)
        {
            await Execute(connection, transaction, Migrations[v], cancellationToken).ConfigureAwait(false);
        }

        if (current < Version)
        {
            await Execute(connection, transaction, "DELETE FROM schema_version", cancellationToken).ConfigureAwait(false);
            await Execute(connection, transaction, "INSERT INTO schema_version(version) VALUES ($1)", cancellationToken, Version).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
