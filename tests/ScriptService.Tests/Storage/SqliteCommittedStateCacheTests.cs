using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ScriptService.Storage;

namespace ScriptService.Tests.Storage;

/// <summary>
/// What the SQLite store's copy of each conversation's last committed row could break: another
/// process writing between two turns, retries (after eviction, while the first is still being
/// written, of an older request), expiry, and daily limits with two processes on one file.
/// </summary>
public sealed class SqliteCommittedStateCacheTests : IAsyncLifetime
{
    private const string Counter = "lamp_shop/bargain/台灯";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sdsl-cache-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly List<SqliteConversationStore> _opened = [];

    private static readonly ConversationKey Key = new("lamp_shop", "c-1");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A store on this test's file: each call is another process on it.</summary>
    private SqliteConversationStore Open(int cached = 10_000)
    {
        var store = SqliteConversationStore.Open(new StoreOptions { DataFolder = _folder, IdleExpiry = TimeSpan.FromHours(1), CachedConversations = cached }, _clock);
        _opened.Add(store);
        return store;
    }

    private static StateChange Change(string state, string response) => new(state, Encoding.UTF8.GetBytes(response), []);

    private static string Text(UpdateResult result) => Encoding.UTF8.GetString(result.Response);

    /// <summary>Overwrites a row's state behind every store's back, keeping its version (no store would write so).</summary>
    private void OverwriteStateKeepingVersion(ConversationKey key, string state)
    {
        using var connection = new SqliteConnection("Data Source=" + Path.Combine(_folder, "conversations.db") + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE conversations SET state = $state WHERE shop_id = $s AND conversation_id = $c";
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$s", key.ShopId);
        command.Parameters.AddWithValue("$c", key.ConversationId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public async Task AWarmTurnDecidesOnTheStateThisProcessCommittedWithoutReadingIt()
    {
        // The version is what makes the copy safe; the state text itself is not read again. A
        // store with the cache off reads the row every turn.
        var warm = Open();
        var cold = Open(cached: 0);
        await warm.UpdateAsync(Key, RequestIdentity.None, _ => Change("s1", "r1"), default);
        await cold.UpdateAsync(Key with { ConversationId = "c-2" }, RequestIdentity.None, _ => Change("s1", "r1"), default);
        OverwriteStateKeepingVersion(Key, "edited");
        OverwriteStateKeepingVersion(Key with { ConversationId = "c-2" }, "edited");

        string? seenWarm = null, seenCold = null;
        await warm.UpdateAsync(Key, RequestIdentity.None, s => { seenWarm = s!.State; return Change("s2", "r2"); }, default);
        await cold.UpdateAsync(Key with { ConversationId = "c-2" }, RequestIdentity.None, s => { seenCold = s!.State; return Change("s2", "r2"); }, default);
        Assert.Equal("s1", seenWarm);
        Assert.Equal("edited", seenCold);
        Assert.Equal(1, warm.CachedConversations);
        Assert.Equal(0, cold.CachedConversations);
    }

    /// <summary>Two processes on one file; the first's copy of <see cref="Key"/> is stale (state "1", the row "1+second").</summary>
    private async Task<(SqliteConversationStore First, SqliteConversationStore Second)> StaleCopyAsync()
    {
        var first = Open();
        var second = Open();
        await first.UpdateAsync(Key, RequestIdentity.None, _ => Change("1", "r"), default);
        await second.UpdateAsync(Key, RequestIdentity.None, s => Change(s!.State + "+second", "r"), default);
        return (first, second);
    }

    [Fact]
    public async Task AnotherProcessWritingBetweenTwoTurnsIsSeenByTheNextTurn()
    {
        var (first, second) = await StaleCopyAsync();

        // The first store's copy is stale: its write loses the version check, it reads and decides again.
        var seen = new List<string>();
        await first.UpdateAsync(Key, RequestIdentity.None, s => { seen.Add(s!.State); return Change(s.State + "+first", "r"); }, default);
        Assert.Equal("1+second", seen[^1]);
        Assert.Equal(new StoredConversation("1+second+first", 3), await second.ReadAsync(Key, default));

        // And the copy it keeps now is the row it wrote: a turn of the second store sees it too.
        await second.UpdateAsync(Key, RequestIdentity.None, s => Change(s!.State + "+second", "r"), default);
        await first.UpdateAsync(Key, RequestIdentity.None, s => Change(s!.State + "+first", "r"), default);
        Assert.Equal(new StoredConversation("1+second+first+second+first", 5), await first.ReadAsync(Key, default));
    }

    [Fact]
    public async Task AWriteThatLosesTheVersionCheckGivesItsRequestIdBackForTheDecisionMadeAgain()
    {
        // The request id's row is the write's first statement; when the write then loses the
        // version check (a stale copy), that row must be taken back, or the decision made again
        // would find the id taken and answer the discarded first decision without writing anything.
        var (first, second) = await StaleCopyAsync();

        var decisions = 0;
        var answer = await first.UpdateAsync(Key, new RequestIdentity("req-x", "f"), s =>
        {
            decisions++;
            return Change(s!.State + "+first", "answer " + decisions.ToString(CultureInfo.InvariantCulture));
        }, default);
        Assert.Equal(2, decisions);
        Assert.Equal("answer 2", Text(answer));
        Assert.Equal(new StoredConversation("1+second+first", 3), await second.ReadAsync(Key, default));

        // Its retry, on either process, gets that answer and changes nothing.
        Assert.Equal("answer 2", Text(await second.UpdateAsync(Key, new RequestIdentity("req-x", "f"), _ => throw new InvalidOperationException("a replay was decided"), default)));
        Assert.Equal("answer 2", Text(await first.UpdateAsync(Key, new RequestIdentity("req-x", "f"), _ => throw new InvalidOperationException("a replay was decided"), default)));
        Assert.Equal(new StoredConversation("1+second+first", 3), await first.ReadAsync(Key, default));
    }

    [Fact]
    public async Task ARetryAfterItsConversationWasEvictedGetsTheFirstAnswerWithoutADecision()
    {
        var store = Open(cached: 2);
        await store.UpdateAsync(Key, new RequestIdentity("r1", "f"), _ => Change("s1", "first"), default);
        await store.UpdateAsync(Key with { ConversationId = "c-2" }, RequestIdentity.None, _ => Change("x", "x"), default);
        await store.UpdateAsync(Key with { ConversationId = "c-3" }, RequestIdentity.None, _ => Change("x", "x"), default);
        Assert.Equal(2, store.CachedConversations); // c-1 went first

        var retry = await store.UpdateAsync(Key, new RequestIdentity("r1", "f"), _ => throw new InvalidOperationException("must not decide"), default);
        Assert.True(retry.Replayed);
        Assert.Equal("first", Text(retry));
        await Assert.ThrowsAsync<RequestIdReusedException>(() =>
            store.UpdateAsync(Key, new RequestIdentity("r1", "other"), _ => Change("s2", "second"), default));
        Assert.Equal(new StoredConversation("s1", 1), await store.ReadAsync(Key, default));
    }

    [Fact]
    public async Task ARetryOfAnOlderRequestOnAWarmConversationGetsItsFirstAnswerAndChangesNothing()
    {
        var store = Open();
        await store.UpdateAsync(Key, new RequestIdentity("r1", "f1"), _ => Change("s1", "first"), default);
        await store.UpdateAsync(Key, new RequestIdentity("r2", "f2"), _ => Change("s2", "second"), default);

        // The last request's retry is answered from the copy, an older one from the table; neither is decided.
        var last = await store.UpdateAsync(Key, new RequestIdentity("r2", "f2"), _ => throw new InvalidOperationException("must not decide"), default);
        Assert.Equal(("second", true), (Text(last), last.Replayed));
        var older = await store.UpdateAsync(Key, new RequestIdentity("r1", "f1"), _ => throw new InvalidOperationException("must not decide"), default);
        Assert.Equal(("first", true), (Text(older), older.Replayed));
        await Assert.ThrowsAsync<RequestIdReusedException>(() =>
            store.UpdateAsync(Key, new RequestIdentity("r1", "changed"), _ => Change("s3", "third"), default));
        Assert.Equal(new StoredConversation("s2", 2), await store.ReadAsync(Key, default));

        // Nothing was written by the retries: the next request goes on from s2.
        StoredConversation? seen = null;
        var next = await store.UpdateAsync(Key, new RequestIdentity("r3", "f3"), s => { seen = s; return Change("s3", "third"); }, default);
        Assert.False(next.Replayed);
        Assert.Equal("s2", seen?.State);
        Assert.Equal(3, (await store.ReadAsync(Key, default))!.Version);
    }

    [Fact]
    public async Task ARetryArrivingWhileItsFirstIsStillBeingDecidedGetsTheFirstAnswer()
    {
        var store = Open();
        var other = Open();
        await store.UpdateAsync(Key, RequestIdentity.None, _ => Change("0", "warm"), default);
        await other.UpdateAsync(Key with { ConversationId = "c-2" }, RequestIdentity.None, _ => Change("0", "warm"), default);

        // In one process: the retry queues behind its first and is answered from the copy.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var decisions = 0;
        var firstCall = Task.Run(() => store.UpdateAsync(Key, new RequestIdentity("r", "f"), s =>
        {
            gate.Task.Wait();
            return Change("1", "answer " + Interlocked.Increment(ref decisions).ToString(CultureInfo.InvariantCulture));
        }, default));
        var retry = Task.Run(() => store.UpdateAsync(Key, new RequestIdentity("r", "f"), _ =>
            Change("1", "answer " + Interlocked.Increment(ref decisions).ToString(CultureInfo.InvariantCulture)), default));
        await Task.Delay(100);
        gate.SetResult();
        var answers = await Task.WhenAll(firstCall, retry);
        Assert.Equal(["answer 1", "answer 1"], answers.Select(Text));
        Assert.Equal(1, answers.Count(a => a.Replayed));
        Assert.Equal(1, decisions);

        // Across processes: the retry lands on the other store while the first is still deciding;
        // whichever writes second finds the request id taken and answers with the first's answer.
        var key2 = Key with { ConversationId = "c-2" };
        var gate2 = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = Task.Run(() => store.UpdateAsync(key2, new RequestIdentity("r", "f"), s =>
        {
            gate2.Task.Wait();
            return Change(s!.State + "+slow", "slow");
        }, default));
        await Task.Delay(100);
        var fast = await other.UpdateAsync(key2, new RequestIdentity("r", "f"), s => Change(s!.State + "+fast", "fast"), default);
        gate2.SetResult();
        var slowAnswer = await slow;
        Assert.Equal(("fast", false), (Text(fast), fast.Replayed));
        Assert.Equal(("fast", true), (Text(slowAnswer), slowAnswer.Replayed));
        Assert.Equal(new StoredConversation("0+fast", 2), await other.ReadAsync(key2, default));
    }

    [Fact]
    public async Task ACachedConversationExpiresLikeAStoredOne()
    {
        var store = Open();
        var other = Open();
        await store.UpdateAsync(Key, new RequestIdentity("r", "f"), _ => Change("old", "old"), default);
        _clock.Advance(TimeSpan.FromHours(2));

        // Another process removes it; this one still has the copy, which has expired too.
        Assert.Equal(1, await other.ExpireAsync(default));
        StoredConversation? seen = new("x", 0);
        var again = await store.UpdateAsync(Key, new RequestIdentity("r", "f"), s => { seen = s; return Change("new", "new"); }, default);
        Assert.Null(seen);
        Assert.Equal(("new", false), (Text(again), again.Replayed)); // the expired request id is a new request now
        Assert.Equal(new StoredConversation("new", 1), await other.ReadAsync(Key, default));

        // This process's own expiry drops its copies of what it removed.
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await store.ExpireAsync(default));
        Assert.Equal(0, store.CachedConversations);
        await store.UpdateAsync(Key, RequestIdentity.None, s => { seen = s; return Change("newer", "r"); }, default);
        Assert.Null(seen);
    }

    [Fact]
    public async Task AStockCountKeptLowIsCaughtByTheWriteAndDecidedAgain()
    {
        var store = Open();
        var other = Open();
        StateChange TakeOneOf3(IReadOnlyDictionary<string, int> used) =>
            used.GetValueOrDefault(Counter) < 3
                ? new StateChange("s", Encoding.UTF8.GetBytes("granted"), [], [new StockUse(Counter, 3)])
                : new StateChange("s", Encoding.UTF8.GetBytes("none left"), []);

        // The store keeps today's count (0) from its first turn; the other process then takes all 3.
        await store.UpdateAsync(Key, RequestIdentity.None, [Counter], (_, _) => Change("s", "no gift asked"), default);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("granted", Text(await other.UpdateAsync(new ConversationKey("lamp_shop", "o-" + i.ToString(CultureInfo.InvariantCulture)), RequestIdentity.None, [Counter], (_, used) => TakeOneOf3(used), default)));
        }

        var seen = new List<int>();
        var answer = await store.UpdateAsync(Key, RequestIdentity.None, [Counter], (_, used) => { seen.Add(used.GetValueOrDefault(Counter)); return TakeOneOf3(used); }, default);
        Assert.Equal("none left", Text(answer));
        Assert.Equal([0, 3], seen); // decided on the kept count, refused by the write, decided again on the read one
        Assert.Equal(3, (await store.DailyUsageAsync([Counter], default))[Counter]);
    }

    [Fact]
    public async Task ADailyLimitIsExactWithTwoProcessesTakingFromWarmConversations()
    {
        var stores = new[] { Open(), Open() };
        var keys = Enumerable.Range(0, 16).Select(i => new ConversationKey("lamp_shop", "buyer-" + i.ToString(CultureInfo.InvariantCulture))).ToArray();

        // Every conversation warm in its store, today's count kept at 0 by both.
        for (var i = 0; i < keys.Length; i++)
        {
            await stores[i % 2].UpdateAsync(keys[i], RequestIdentity.None, [Counter], (_, _) => Change("0", "hello"), default);
        }

        var granted = 0;
        await Task.WhenAll(keys.Select((key, i) => Task.Run(async () =>
        {
            for (var turn = 0; turn < 4; turn++)
            {
                var answer = await stores[i % 2].UpdateAsync(key, RequestIdentity.None, [Counter], (s, used) =>
                    used.GetValueOrDefault(Counter) < 20
                        ? new StateChange(s!.State, Encoding.UTF8.GetBytes("granted"), [], [new StockUse(Counter, 20)])
                        : new StateChange(s!.State, Encoding.UTF8.GetBytes("none left"), []), default);
                if (Text(answer) == "granted")
                {
                    Interlocked.Increment(ref granted);
                }
            }
        })));
        Assert.Equal(20, granted);
        Assert.Equal(20, (await stores[0].DailyUsageAsync([Counter], default))[Counter]);
    }
}
