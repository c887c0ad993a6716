using Microsoft.Data.Sqlite;
using ScriptService.Storage;

namespace ScriptService.Tests.Storage;

/// <summary>The store contract on a real SQLite file in a temporary folder, plus what only SQLite has (the file, WAL, migration of old files).</summary>
public sealed class SqliteConversationStoreTests : ConversationStoreContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sdsl-store-" + Guid.NewGuid().ToString("N"));

    protected override Task<IConversationStore> OpenAsync(StoreOptions options)
    {
        options.DataFolder = _folder;
        return Task.FromResult<IConversationStore>(SqliteConversationStore.Open(options, _clock));
    }

    protected override Task BreakStatisticsTableAsync()
    {
        using var connection = new SqliteConnection("Data Source=" + Path.Combine(_folder, "conversations.db") + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TABLE usage";
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    protected override Task DeleteDataAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public void TheDatabaseFileIsCreatedOnFirstRunInWalMode()
    {
        var store = (SqliteConversationStore)_store;
        Assert.True(File.Exists(Path.Combine(_folder, "conversations.db")));
        Assert.Equal("ok", store.IntegrityCheck());
        using var connection = new SqliteConnection("Data Source=" + store.FilePath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        Assert.Equal(SqliteSchema.Version, SqliteSchema.RecordedVersion(connection));
    }

    [Theory]
    [InlineData(StoreDurability.Full, 2L)]
    [InlineData(StoreDurability.Normal, 1L)]
    public async Task DurabilitySetsSqlitesSynchronousMode(StoreDurability durability, long expected)
    {
        await using var store = (SqliteConversationStore)await OpenAsync(new StoreOptions { Durability = durability });
        Assert.Equal(expected, store.SynchronousMode());
    }

    [Fact]
    public async Task AFileOfSchemaVersionOneIsMigratedAndKeepsItsConversations()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sdsl-store-v1-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using (var connection = new SqliteConnection("Data Source=" + Path.Combine(folder, "conversations.db") + ";Pooling=False"))
            {
                // The schema the service wrote before unmatched messages were recorded.
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE schema_version(version INTEGER NOT NULL);
                    INSERT INTO schema_version VALUES (1);
                    CREATE TABLE conversations(shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY(shop_id, conversation_id)) WITHOUT ROWID;
                    CREATE INDEX conversations_updated ON conversations(updated_at);
                    CREATE TABLE requests(shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, request_id TEXT NOT NULL, fingerprint TEXT NOT NULL, response BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY(shop_id, conversation_id, request_id)) WITHOUT ROWID;
                    CREATE TABLE conversation_log(shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, started_at INTEGER NOT NULL, PRIMARY KEY(shop_id, conversation_id)) WITHOUT ROWID;
                    CREATE TABLE usage(shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, kind INTEGER NOT NULL, grp TEXT NOT NULL, name TEXT NOT NULL, used INTEGER NOT NULL, PRIMARY KEY(shop_id, conversation_id, kind, grp, name)) WITHOUT ROWID;
                    CREATE TABLE daily_stock(counter TEXT NOT NULL, day TEXT NOT NULL, used INTEGER NOT NULL, PRIMARY KEY(counter, day)) WITHOUT ROWID;
                    CREATE TABLE outcomes(shop_id TEXT NOT NULL, conversation_id TEXT NOT NULL, ordered INTEGER NOT NULL, paid INTEGER NOT NULL, left_shop INTEGER NOT NULL, paid_total INTEGER NOT NULL, PRIMARY KEY(shop_id, conversation_id)) WITHOUT ROWID;
                    INSERT INTO conversations VALUES ('lamp_shop', 'old', 4, 'old state', 1795334400000);
                    """;
                command.ExecuteNonQuery();
            }

            await using (var store = SqliteConversationStore.Open(new StoreOptions { DataFolder = folder, IdleExpiry = TimeSpan.FromDays(3650) }, _clock))
            {
                Assert.Equal(new StoredConversation("old state", 4), await store.ReadAsync(new ConversationKey("lamp_shop", "old"), default));
                await store.UpdateAsync(new ConversationKey("lamp_shop", "new"), RequestIdentity.None,
                    _ => new StateChange("s", [1], [], null, new UnmatchedText("在不在", UnmatchedKind.Fallback, [])), default);
                Assert.Equal("在不在", Assert.Single(await store.ListUnmatchedAsync("lamp_shop", 5, default)).Text);
            }

            using var check = new SqliteConnection("Data Source=" + Path.Combine(folder, "conversations.db") + ";Pooling=False");
            check.Open();
            Assert.Equal(SqliteSchema.Version, SqliteSchema.RecordedVersion(check));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
