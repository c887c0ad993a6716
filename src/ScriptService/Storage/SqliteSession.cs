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
