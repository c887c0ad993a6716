using System.Text;
using ScriptService.Storage;

namespace ScriptService.Tests.Storage;

public sealed class SqliteConversationStoreTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sdsl-store-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private SqliteConversationStore _store = null!;

    private static readonly ConversationKey Key = new("lamp_shop", "c-1");

    public Task InitializeAsync()
    {
        _store = Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private SqliteConversationStore Open(TimeSpan? expiry = null) =>
        SqliteConversationStore.Open(new StoreOptions { DataFolder = _folder, IdleExpiry = expiry ?? TimeSpan.FromHours(1) }, _clock);

    private static StateChange Change(string state, string response, params StatisticEvent[] events) =>
        new(state, Encoding.UTF8.GetBytes(response), events);

    private static RequestIdentity Request(string id, string fingerprint = "f") => new(id, fingerprint);

    [Fact]
    public void TheDatabaseFileIsCreatedOnFirstRunInWalMode()
    {
        Assert.True(File.Exists(Path.Combine(_folder, "conversations.db")));
        Assert.Equal("ok", _store.IntegrityCheck());
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + _store.FilePath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task ANewConversationStartsEmptyAndKeepsItsState()
    {
        StoredConversation? seen = new("x", -1);
        await _store.UpdateAsync(Key, RequestIdentity.None, s => { seen = s; return Change("s1", "r1"); }, default);
        Assert.Null(seen);

        await _store.UpdateAsync(Key, RequestIdentity.None, s => { seen = s; return Change("s2", "r2"); }, default);
        Assert.Equal(new StoredConversation("s1", 1), seen);

        await _store.UpdateAsync(Key, RequestIdentity.None, s => { seen = s; return Change("s3", "r3"); }, default);
        Assert.Equal(new StoredConversation("s2", 2), seen);
    }

    [Fact]
    public async Task StateSurvivesReopeningTheFile()
    {
        await _store.UpdateAsync(Key, Request("a"), _ => Change("kept", "r"), default);
        await _store.DisposeAsync();
        _store = Open();
        StoredConversation? seen = null;
        await _store.UpdateAsync(Key, RequestIdentity.None, s => { seen = s; return Change("next", "r"); }, default);
        Assert.Equal("kept", seen?.State);
        var replay = await _store.UpdateAsync(Key, Request("a"), _ => throw new InvalidOperationException("must not decide"), default);
        Assert.True(replay.Replayed);
    }

    [Fact]
    public async Task ARetriedRequestIdReturnsTheFirstAnswerAndChangesNothing()
    {
        var first = await _store.UpdateAsync(Key, Request("req-1"), _ => Change("s1", "first"), default);
        var calls = 0;
        var retry = await _store.UpdateAsync(Key, Request("req-1"), _ => { calls++; return Change("s2", "second"); }, default);

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal("first", Encoding.UTF8.GetString(retry.Response));
        Assert.Equal(0, calls);

        StoredConversation? seen = null;
        await _store.UpdateAsync(Key, RequestIdentity.None, s => { seen = s; return Change("s3", "r"); }, default);
        Assert.Equal(new StoredConversation("s1", 1), seen);
    }

    [Fact]
    public async Task TheSameRequestIdWithADifferentRequestIsRefused()
    {
        await _store.UpdateAsync(Key, Request("req-1", "hash-a"), _ => Change("s1", "first"), default);
        var error = await Assert.ThrowsAsync<RequestIdReusedException>(() =>
            _store.UpdateAsync(Key, Request("req-1", "hash-b"), _ => Change("s2", "second"), default));
        Assert.Contains("req-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestIdsAreScopedToTheirConversation()
    {
        await _store.UpdateAsync(Key, Request("same"), _ => Change("a", "a"), default);
        var other = await _store.UpdateAsync(Key with { ConversationId = "c-2" }, Request("same"), _ => Change("b", "b"), default);
        Assert.False(other.Replayed);
    }

    [Fact]
    public async Task ADecisionThatThrowsWritesNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.UpdateAsync(Key, Request("r"), _ => throw new ArgumentException("bad"), default));
        Assert.False(await _store.ExistsAsync(Key, default));
        var after = await _store.UpdateAsync(Key, Request("r"), _ => Change("s", "ok"), default);
        Assert.False(after.Replayed);
    }

    [Fact]
    public async Task ConcurrentUpdatesOfOneConversationNeverLoseAWrite()
    {
        const int writers = 40;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(() =>
            _store.UpdateAsync(Key, Request("r" + i), s =>
            {
                var count = s is null ? 0 : int.Parse(s.State, System.Globalization.CultureInfo.InvariantCulture);
                return Change((count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "ok");
            }, default))));

        StoredConversation? final = null;
        await _store.UpdateAsync(Key, RequestIdentity.None, s => { final = s; return Change(s!.State, "r"); }, default);
        Assert.Equal(writers.ToString(System.Globalization.CultureInfo.InvariantCulture), final!.State);
        Assert.Equal(writers, final.Version);
    }

    [Fact]
    public async Task TwoStoresOnOneFileLoseNoWrite()
    {
        // Two processes on one file: only the version check keeps them from overwriting each other.
        await using var other = Open();
        const int writers = 30;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _store : other).UpdateAsync(Key, Request("two-" + i), s =>
            {
                var count = s is null ? 0 : int.Parse(s.State, System.Globalization.CultureInfo.InvariantCulture);
                return Change((count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "ok");
            }, default))));

        StoredConversation? final = null;
        await _store.UpdateAsync(Key, RequestIdentity.None, s => { final = s; return Change(s!.State, "r"); }, default);
        Assert.Equal(writers.ToString(System.Globalization.CultureInfo.InvariantCulture), final!.State);
    }

    [Fact]
    public async Task ManyConversationsAtOnceAreAllWritten()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            _store.UpdateAsync(new ConversationKey("lamp_shop", "many-" + i), Request("m" + i), _ => Change("s" + i, "r" + i), default))));
        for (var i = 0; i < 200; i += 37)
        {
            var replay = await _store.UpdateAsync(new ConversationKey("lamp_shop", "many-" + i), Request("m" + i), _ => throw new InvalidOperationException(), default);
            Assert.Equal("r" + i, Encoding.UTF8.GetString(replay.Response));
        }

        Assert.Equal(200, (await _store.GetStatisticsAsync("lamp_shop", default)).Conversations);
    }

    [Fact]
    public async Task ADailyStockIsNeverExceededAndRefillsTheNextDay()
    {
        const string counter = "lamp_shop/bargain/阳台灯";
        async Task<bool> TryTake(string conversation) =>
            Encoding.UTF8.GetString((await _store.UpdateAsync(new ConversationKey("lamp_shop", conversation), RequestIdentity.None, _ =>
            {
                // Like the service: decide from today's usage, take one unit if any is left.
                var left = 3 - _store.DailyUsage([counter]).GetValueOrDefault(counter);
                return left > 0
                    ? new StateChange("s", Encoding.UTF8.GetBytes("granted"), [], [new StockUse(counter, 3)])
                    : new StateChange("s", Encoding.UTF8.GetBytes("none left"), []);
            }, default)).Response) == "granted";

        var granted = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => TryTake("stock-" + i))));
        Assert.Equal(3, granted.Count(g => g));
        Assert.Equal(3, _store.DailyUsage([counter])[counter]);

        // The shops' day starts at midnight UTC+8 (16:00 UTC): the clock starts at 08:00 UTC.
        _clock.Advance(TimeSpan.FromHours(8));
        Assert.Empty(_store.DailyUsage([counter]));
        Assert.True(await TryTake("next-day"));
    }

    [Fact]
    public async Task ConcurrentRequestsNeverBothGrantTheSameGift()
    {
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() =>
            _store.UpdateAsync(Key, Request("g" + i), s =>
            {
                var already = s?.State == "gift-granted";
                return Change("gift-granted", already ? "hold" : "gift");
            }, default).ContinueWith(t =>
            {
                if (Encoding.UTF8.GetString(t.Result.Response) == "gift")
                {
                    Interlocked.Increment(ref granted);
                }
            }))));
        Assert.Equal(1, granted);
    }

    [Fact]
    public async Task AnIdleConversationStartsAfreshButItsStatisticsStay()
    {
        await _store.UpdateAsync(Key, Request("a"), _ => Change("old", "r", new StatisticEvent(StatisticKind.Variant, "greet", "greet/1")), default);
        _clock.Advance(TimeSpan.FromHours(2));

        StoredConversation? seen = new("x", 0);
        await _store.UpdateAsync(Key, Request("b"), s => { seen = s; return Change("new", "r"); }, default);
        Assert.Null(seen);

        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await _store.ExpireAsync(default));
        var stats = await _store.GetStatisticsAsync("lamp_shop", default);
        Assert.Equal(1, stats.Conversations);
        Assert.Equal(1, Assert.Single(stats.Variants).Used);
    }

    [Fact]
    public async Task StatisticsCountVariantsStepsAndOutcomes()
    {
        var greet = new StatisticEvent(StatisticKind.Variant, "greet", "greet/1");
        var gift = new StatisticEvent(StatisticKind.PolicyStep, "bargain", "gift");
        await _store.UpdateAsync(new("lamp_shop", "a"), RequestIdentity.None, _ => Change("s", "r", greet, gift), default);
        await _store.UpdateAsync(new("lamp_shop", "a"), RequestIdentity.None, _ => Change("s", "r", greet), default);
        await _store.UpdateAsync(new("lamp_shop", "b"), RequestIdentity.None, _ => Change("s", "r", greet), default);
        await _store.UpdateAsync(new("lamp_shop", "c"), RequestIdentity.None, _ => Change("s", "r"), default);
        await _store.UpdateAsync(new("other_shop", "a"), RequestIdentity.None, _ => Change("s", "r", greet), default);

        await _store.RecordOutcomeAsync(new("lamp_shop", "a"), ConversationOutcome.Ordered, 0, default);
        await _store.RecordOutcomeAsync(new("lamp_shop", "a"), ConversationOutcome.Paid, 78500, default);
        await _store.RecordOutcomeAsync(new("lamp_shop", "a"), ConversationOutcome.Paid, 78500, default);
        await _store.RecordOutcomeAsync(new("lamp_shop", "b"), ConversationOutcome.Left, 0, default);

        var stats = await _store.GetStatisticsAsync("lamp_shop", default);
        Assert.Equal(3, stats.Conversations);
        Assert.Equal(1, stats.Ordered);
        Assert.Equal(1, stats.Paid);
        Assert.Equal(78500, stats.PaidTotalMinor);
        Assert.Equal(new KeyStatistics("greet", "greet/1", 3, 1), Assert.Single(stats.Variants));
        Assert.Equal(new KeyStatistics("bargain", "gift", 1, 1), Assert.Single(stats.PolicySteps));
    }

    [Fact]
    public async Task HealthIsReportedFromARealRoundTrip()
    {
        Assert.True(await _store.IsHealthyAsync(default));
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
