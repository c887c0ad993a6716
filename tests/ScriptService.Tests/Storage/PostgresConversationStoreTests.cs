using Npgsql;
using ScriptService.Storage;

namespace ScriptService.Tests.Storage;

/// <summary>The store contract on a real PostgreSQL server (see <see cref="PostgresServer"/>), each test in a schema of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresConversationStoreTests(PostgresServer server) : ConversationStoreContract
{
    private string? _connectionString;

    protected override async Task<IConversationStore> OpenAsync(StoreOptions options)
    {
        _connectionString ??= await server.CreateSchemaAsync();
        options.Provider = "postgres";
        options.ConnectionString = _connectionString;
        return await PostgresConversationStore.OpenAsync(options, _clock, default);
    }

    protected override Task BreakStatisticsTableAsync() => PostgresServer.ExecuteAsync(_connectionString!, "DROP TABLE usage");

    protected override Task DeleteDataAsync() => server.DropSchemaAsync(_connectionString!);

    [Fact]
    public async Task ReplicasStartingTogetherMigrateTheSchemaOnce()
    {
        var fresh = await server.CreateSchemaAsync();
        try
        {
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
                PostgresConversationStore.OpenAsync(new StoreOptions { Provider = "postgres", ConnectionString = fresh }, _clock, default))));
            await using (var connection = new NpgsqlConnection(fresh))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT count(*), max(version) FROM schema_version", connection);
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                Assert.Equal(1L, reader.GetInt64(0));
                Assert.Equal(PostgresSchema.Version, reader.GetInt32(1));
            }

            foreach (var store in stores)
            {
                Assert.True(await store.IsHealthyAsync(default));
                await store.DisposeAsync();
            }
        }
        finally
        {
            await server.DropSchemaAsync(fresh);
        }
    }

    [Fact]
    public async Task AnUnreachableServerIsReportedAsUnavailable()
    {
        var closed = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            PostgresConversationStore.OpenAsync(new StoreOptions { Provider = "postgres", ConnectionString = closed }, _clock, default));
        Assert.Contains("127.0.0.1:1", error.Message, StringComparison.Ordinal);
    }
}
