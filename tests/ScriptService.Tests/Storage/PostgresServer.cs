using System.Diagnostics;
using Npgsql;

namespace ScriptService.Tests.Storage;

/// <summary>
/// A real PostgreSQL server for the tests. <c>tests/run-all.sh</c> starts one and passes its
/// connection string in SDSL_TEST_POSTGRES; without it (a plain <c>dotnet test</c>) this fixture
/// starts its own with <c>tests/postgres/start.sh</c> (installing Debian's postgresql when missing)
/// and stops and removes it at the end. Each test gets a schema of its own, dropped afterwards.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _ownedFolder;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("SDSL_TEST_POSTGRES");
        if (!string.IsNullOrEmpty(given))
        {
            ConnectionString = given;
            return;
        }

        var output = await RunScriptAsync("start.sh", "");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var value = line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim('\'');
            if (line.StartsWith("export SDSL_TEST_POSTGRES=", StringComparison.Ordinal))
            {
                ConnectionString = value;
            }
            else if (line.StartsWith("export SDSL_TEST_POSTGRES_DIR=", StringComparison.Ordinal))
            {
                _ownedFolder = value;
            }
        }

        Assert.False(string.IsNullOrEmpty(ConnectionString), "tests/postgres/start.sh printed no connection string:\n" + output);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_ownedFolder is not null)
        {
            await RunScriptAsync("stop.sh", _ownedFolder);
        }
    }

    /// <summary>A new empty schema; the returned connection string puts it first on the search path.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE SCHEMA " + schema, connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema, MaxPoolSize = 40 }.ConnectionString;
    }

    public async Task DropSchemaAsync(string connectionString)
    {
        var schema = new NpgsqlConnectionStringBuilder(connectionString).SearchPath!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DROP SCHEMA " + schema + " CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> RunScriptAsync(string script, string argument)
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "postgres", script);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        if (argument.Length > 0)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // includes apt-get on a fresh machine
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in 10 minutes:\n{await stderr}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}:\n{await stderr}");
        }

        return await stdout;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScriptDsl.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ScriptDsl.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
