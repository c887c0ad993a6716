using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ScriptService.Storage;

/// <summary>
/// The SQLite file's schema, as numbered migrations: a new file runs them all, an older file runs
/// the ones it lacks, each in the same immediate transaction as the version bump (two processes
/// opening one file at once: the second waits for the first's write lock, then finds nothing to do).
/// </summary>
public static class SqliteSchema
{
    /// <summary>The migrations by version; migration i brings the file from version i to i + 1.</summary>
    private static readonly string[] Migrations =
    [
        // 1: conversations, request ids, statistics, daily stock, outcomes.
        """
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
        """,

        // 2: messages no rule understood, per shop, without buyer ids.
        """
        CREATE TABLE IF NOT EXISTS unmatched(
            shop_id TEXT NOT NULL, text TEXT NOT NULL, count INTEGER NOT NULL,
            first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, kind INTEGER NOT NULL, options TEXT NOT NULL,
            PRIMARY KEY(shop_id, text)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS unmatched_recent ON unmatched(shop_id, last_seen);
        """,
    ];

    public static int Version => Migrations.Length;

    /// <summary>Brings the file to <see cref="Version"/>; disposes <paramref name="session"/>.</summary>
    internal static void CreateOrMigrate(SqliteSession session, string path)
    {
        using (session)
        {
            session.Execute(null, "PRAGMA journal_mode = WAL");
            using var transaction = session.Connection.BeginTransaction(deferred: false);
            session.Execute(transaction, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
            var current = Convert.ToInt64(session.Scalar(transaction, "SELECT coalesce(max(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
            if (current > Version)
            {
                throw new InvalidOperationException($"The database '{path}' has schema version {current}, newer than this service's {Version}.");
            }

            for (var v = (int)current; v < Version; v++)
            {
                using var migrate = session.Connection.CreateCommand();
                migrate.Transaction = transaction;
                migrate.CommandText = Migrations[v];
                migrate.ExecuteNonQuery();
            }

            if (current < Version)
            {
                session.Execute(transaction, "DELETE FROM schema_version");
                session.Execute(transaction, "INSERT INTO schema_version(version) VALUES ($v)", ("$v", Version));
            }

            transaction.Commit();
        }
    }

    /// <summary>The version recorded in an open file (for tests and the operations page).</summary>
    public static long RecordedVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(version) FROM schema_version";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
