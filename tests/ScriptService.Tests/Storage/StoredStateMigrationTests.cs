using Microsoft.Data.Sqlite;
using ScriptDsl.Protocol.V1;

namespace ScriptService.Tests.Storage;

/// <summary>
/// Conversation rows written by earlier versions of the service (state layouts 1 and 2, the literal
/// samples of tests/ScriptDsl.Tests/Engine/StateSamples) in a real SQLite file: the next Reply loads
/// them and its save rewrites the row in the current layout (migration on write; the column stays
/// TEXT, so the file's schema does not change).
/// </summary>
public sealed class StoredStateMigrationTests
{
    [Theory]
    [InlineData("lamp-v1.json")]
    [InlineData("lamp-v2.json")]
    public async Task AnOlderRowLoadsAndIsRewrittenInTheCurrentLayoutOnTheNextSave(string sample)
    {
        var stored = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "StateSamples", sample));
        var folder = ServiceServer.NewDataFolder();
        try
        {
            await using var server = await ServiceServer.StartAsync(folder);
            var database = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "conversations.db"), Pooling = false }.ToString();
            await using (var connection = new SqliteConnection(database))
            {
                await connection.OpenAsync();
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO conversations(shop_id, conversation_id, version, state, updated_at) VALUES ('lamp_shop', 'old', 1, $state, $now)";
                insert.Parameters.AddWithValue("$state", stored);
                insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                Assert.Equal(1, await insert.ExecuteNonQueryAsync());
            }

            var reply = await server.ReplyAsync(new ReplyRequest { ShopId = "lamp_shop", ConversationId = "old", Message = "发什么快递" });
            Assert.Equal("shipping", reply.Intent);
            Assert.Equal("卧室", reply.Slots["room"]);
            Assert.Equal("北欧", reply.Slots["style"]);

            await using (var connection = new SqliteConnection(database))
            {
                await connection.OpenAsync();
                await using var select = connection.CreateCommand();
                select.CommandText = "SELECT version, state FROM conversations WHERE shop_id = 'lamp_shop' AND conversation_id = 'old'";
                await using var row = await select.ExecuteReaderAsync();
                Assert.True(await row.ReadAsync());
                Assert.Equal(2, row.GetInt64(0));
                var rewritten = row.GetString(1);
                Assert.StartsWith($"{{\"version\":{ScriptDsl.Engine.ConversationState.CurrentVersion},", rewritten);
                Assert.Contains("\"room\":\"卧室\"", rewritten);
                Assert.Contains("\"turn\":7", rewritten);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            ServiceServer.DeleteFolder(folder);
        }
    }
}
