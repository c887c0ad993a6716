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
    private readonly Dictionary<string, RawStatement> _raw = new(StringComparer.Ordinal);

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

    /// <summary>
    /// The session's raw statement for <paramref name="sql"/> (prepared once), for the writer's
    /// statements that run on every turn; see <see cref="RawStatement"/>.
    /// </summary>
    public RawStatement Raw(string sql)
    {
        if (!_raw.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(Connection.Handle!, sql);
            _raw.Add(sql, statement);
        }

        return statement;
    }

    public void Dispose()
    {
        // Finalized before the connection goes back to the pool: a pooled handle must not keep them.
        foreach (var statement in _raw.Values)
        {
            statement.Dispose();
        }

        _raw.Clear();
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}

/// <summary>
/// One prepared statement driven through SQLitePCL's raw API: parameters bound by position, stepped
/// and reset, with no command, reader or parameter objects per call. Written by hand because
/// Microsoft.Data.Sqlite has no such path: each of its executions looks every parameter up by name
/// in native code, builds a data reader and walks its statements, about as much CPU per statement as
/// SQLite's own work for the writer's small upserts (docs/benchmarks.md, "Issue 12: the Reply path
/// decomposed"). Runs inside whatever transaction the connection is in; errors are thrown as
/// Microsoft.Data.Sqlite's own <see cref="SqliteException"/>, as from a command.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly SQLitePCL.sqlite3 _db;
    private readonly SQLitePCL.sqlite3_stmt _statement;

    public RawStatement(SQLitePCL.sqlite3 db, string sql)
    {
        _db = db;
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    public RawStatement Bind(int index, string value) => Check(SQLitePCL.raw.sqlite3_bind_text(_statement, index, value));

    public RawStatement Bind(int index, long value) => Check(SQLitePCL.raw.sqlite3_bind_int64(_statement, index, value));

    public RawStatement Bind(int index, byte[] value) => Check(SQLitePCL.raw.sqlite3_bind_blob(_statement, index, value));

    /// <summary>Runs the statement to its end; the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = SQLitePCL.raw.sqlite3_step(_statement)) == SQLitePCL.raw.SQLITE_ROW)
            {
                // Rows are skipped: these statements are run for what they change (none of them returns any).
            }

            if (rc != SQLitePCL.raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            return SQLitePCL.raw.sqlite3_changes(_db);
        }
        finally
        {
            // Reset even after a failure, so the statement holds no lock or read snapshot; the
            // bindings stay and are overwritten by the next call's.
            SQLitePCL.raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private RawStatement Check(int rc)
    {
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return this;
    }
}
