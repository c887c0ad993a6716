using Microsoft.Data.Sqlite;

namespace ScriptService.Storage;

/// <summary>
/// One open SQLite connection and the commands it has prepared, kept for reuse: SQLite compiles a
/// statement once per command, so a session that keeps its commands skips the parse and plan on
/// every call after the first (the pooled connection alone does not keep them). One user at a time.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteSession(string connectionString, string pragmas)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
        using var command = Connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
    }

    public SqliteConnection Connection { get; }

    /// <summary>The session's command for <paramref name="sql"/>, with these parameter values, inside <paramref name="transaction"/>.</summary>
    public SqliteCommand Command(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            _commands.Add(sql, command);
        }
        else
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters[name].Value = value;
            }
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// Starts a read transaction of the session's own (BEGIN DEFERRED, prepared once), for reads
    /// that must see one snapshot; <see cref="End"/> ends it. Commands run inside it with no
    /// transaction object: SQLite's transaction is the connection's, and Microsoft.Data.Sqlite only
    /// checks the ones it began itself.
    /// </summary>
    public void Begin() => Command(null, "BEGIN DEFERRED").ExecuteNonQuery();

    /// <summary>Ends the read transaction <see cref="Begin"/> started (nothing was written: COMMIT only releases the snapshot).</summary>
    public void End() => Command(null, "COMMIT").ExecuteNonQuery();

    /// <summary>Ends a read transaction after a failure, if one is open, without throwing (the session is closed next).</summary>
    public void Abandon()
    {
        try
        {
            if (Connection.Handle is { IsInvalid: false } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0)
            {
                SQLitePCL.raw.sqlite3_exec(handle, "ROLLBACK");
            }
        }
        catch (SqliteException)
        {
            // Nothing to save: the connection is disposed next.
        }
    }

    public int Execute(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters) =>
        Command(transaction, sql, parameters).ExecuteNonQuery();

    public object? Scalar(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters) =>
        Command(transaction, sql, parameters).ExecuteScalar();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
