using System.Globalization;
using System.Text;
using ScriptService.Storage;

namespace ScriptService.Tests.Storage;

/// <summary>
/// What every conversation store promises, run unchanged against each store: SQLite
/// (<see cref="SqliteConversationStoreTests"/>) and a real PostgreSQL server
/// (<see cref="PostgresConversationStoreTests"/>). A subclass opens a store on fresh, empty data
/// and can open a second store on the same data (a second process).
/// </summary>
public abstract class ConversationStoreContract : IAsyncLifetime
{
    protected readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    protected IConversationStore _store = null!;

    protected static readonly ConversationKey Key = new("lamp_shop", "c-1");

    /// <summary>A store on this test's data (the same data each call: another process on it).</summary>
    protected abstract Task<IConversationStore> OpenAsync(StoreOptions options);

    /// <summary>Makes the storage engine fail the next write (drops the table of statistics).</summary>
    protected abstract Task BreakStatisticsTableAsync();

    protected abstract Task DeleteDataAsync();

    protected static StoreOptions Options(TimeSpan? expiry = null, int unmatchedPerShop = 1000) =>
        new() { IdleExpiry = expiry ?? TimeSpan.FromHours(1), UnmatchedPerShop = unmatchedPerShop };

    public async Task InitializeAsync() => _store = await OpenAsync(Options());

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await DeleteDataAsync();
    }

    private static StateChange Change(string state, string response, params StatisticEvent[] events) =>
        new(state, Encoding.UTF8.GetBytes(response), events);

    private static RequestIdentity Request(string id, string fingerprint = "f") => new(id, fingerprint);

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
        _store = await OpenAsync(Options());
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
        await using var other = await OpenAsync(Options());
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
            Encoding.UTF8.GetString((await _store.UpdateAsync(new ConversationKey("lamp_shop", conversation), RequestIdentity.None, [counter], (_, used) =>
            {
                // Like the service: decide from today's usage as the store read it, take one unit if any is left.
                var left = 3 - used.GetValueOrDefault(counter);
                return left > 0
                    ? new StateChange("s", Encoding.UTF8.GetBytes("granted"), [], [new StockUse(counter, 3)])
                    : new StateChange("s", Encoding.UTF8.GetBytes("none left"), []);
            }, default)).Response) == "granted";

        var granted = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => TryTake("stock-" + i))));
        Assert.Equal(3, granted.Count(g => g));
        Assert.Equal(3, (await _store.DailyUsageAsync([counter], default))[counter]);

        // The shops' day starts at midnight UTC+8 (16:00 UTC): the clock starts at 08:00 UTC.
        _clock.Advance(TimeSpan.FromHours(8));
        Assert.Empty(await _store.DailyUsageAsync([counter], default));
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

    [Fact]
    public async Task ReadReturnsTheCurrentStateAndNothingForANewOrIdleConversation()
    {
        Assert.Null(await _store.ReadAsync(Key, default));
        await _store.UpdateAsync(Key, RequestIdentity.None, _ => Change("s1", "r1"), default);
        await _store.UpdateAsync(Key, RequestIdentity.None, _ => Change("s2", "r2"), default);
        Assert.Equal(new StoredConversation("s2", 2), await _store.ReadAsync(Key, default));
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await _store.ReadAsync(Key, default));
    }

    [Fact]
    public async Task UnmatchedMessagesAreCountedPerShopMostFrequentFirst()
    {
        async Task Say(string shop, string conversation, string text, UnmatchedKind kind = UnmatchedKind.Fallback, params string[] options) =>
            await _store.UpdateAsync(new ConversationKey(shop, conversation), RequestIdentity.None,
                _ => new StateChange("s", [1], [], null, new UnmatchedText(text, kind, options)), default);

        await Say("lamp_shop", "a", "灯装上不亮怎么回事");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Say("lamp_shop", "b", "一般几天能到啊");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Say("lamp_shop", "c", "一般几天能到啊");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Say("lamp_shop", "d", "能开发票吗", UnmatchedKind.Clarifying, "发货时间和快递", "退换货");
        await Say("other_shop", "a", "一般几天能到啊");
        await _store.UpdateAsync(new ConversationKey("lamp_shop", "e"), RequestIdentity.None, _ => Change("s", "understood"), default);

        var listed = await _store.ListUnmatchedAsync("lamp_shop", 10, default);
        Assert.Equal(["一般几天能到啊", "能开发票吗", "灯装上不亮怎么回事"], listed.Select(u => u.Text));
        var top = listed[0];
        Assert.Equal(2, top.Count);
        var start = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal(start + 60_000, top.FirstSeenUnixMs);
        Assert.Equal(start + 120_000, top.LastSeenUnixMs);
        Assert.Equal(UnmatchedKind.Fallback, top.Kind);
        Assert.Equal(UnmatchedKind.Clarifying, listed[1].Kind);
        Assert.Equal(["发货时间和快递", "退换货"], listed[1].ClarifyOptions);
        Assert.Empty(listed[2].ClarifyOptions);
        Assert.Single(await _store.ListUnmatchedAsync("lamp_shop", 1, default));
        Assert.Equal(1, Assert.Single(await _store.ListUnmatchedAsync("other_shop", 10, default)).Count);
    }

    [Fact]
    public async Task UnmatchedMessagesAreBoundedToTheMostRecentPerShop()
    {
        await using var bounded = await OpenAsync(Options(unmatchedPerShop: 3));
        for (var i = 0; i < 6; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await bounded.UpdateAsync(new ConversationKey("lamp_shop", "u" + i), RequestIdentity.None,
                _ => new StateChange("s", [1], [], null, new UnmatchedText("问题" + i.ToString(CultureInfo.InvariantCulture), UnmatchedKind.Fallback, [])), default);
        }

        var kept = await bounded.ListUnmatchedAsync("lamp_shop", 100, default);
        Assert.Equal(["问题3", "问题4", "问题5"], kept.Select(u => u.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFailingStorageEngineIsReportedAsUnavailableAndWritesNothing()
    {
        await _store.UpdateAsync(Key, RequestIdentity.None, _ => Change("s1", "r1"), default);
        await BreakStatisticsTableAsync();
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            _store.UpdateAsync(Key, Request("after"), _ => Change("s2", "r2", new StatisticEvent(StatisticKind.Variant, "greet", "greet/1")), default));
        Assert.NotNull(error.InnerException);
        Assert.Equal(new StoredConversation("s1", 1), await _store.ReadAsync(Key, default));

        // The store keeps serving what does not need the broken table.
        await _store.UpdateAsync(Key, RequestIdentity.None, _ => Change("s3", "r3"), default);
        Assert.Equal(new StoredConversation("s3", 2), await _store.ReadAsync(Key, default));
    }

    [Fact]
    public async Task ADailyLimitIsExactAcrossTwoStoresOnOneDatabase()
    {
        // Two processes (replicas) on the same data: 30 buyers, 20 gifts a day.
        await using var other = await OpenAsync(Options());
        const string counter = "lamp_shop/bargain/台灯";
        var granted = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(async () =>
            Encoding.UTF8.GetString((await (i % 2 == 0 ? _store : other).UpdateAsync(
                new ConversationKey("lamp_shop", "buyer-" + i.ToString(CultureInfo.InvariantCulture)), Request("g"), [counter], (_, used) =>
                    used.GetValueOrDefault(counter) < 20
                        ? new StateChange("s", Encoding.UTF8.GetBytes("granted"), [], [new StockUse(counter, 20)])
                        : new StateChange("s", Encoding.UTF8.GetBytes("none left"), []), default)).Response) == "granted")));
        Assert.Equal(20, granted.Count(g => g));
        Assert.Equal(20, (await other.DailyUsageAsync([counter], default))[counter]);
    }

    [Fact]
    public async Task AnEmptyAnswerIsKeptForItsRequestIdAsEmptyNotAsNothing()
    {
        // A zero-length answer is still an answer: its retry gets it back (the column is NOT NULL,
        // and an empty blob must not be bound as NULL).
        var first = await _store.UpdateAsync(Key, Request("empty"), _ => new StateChange("s1", [], []), default);
        Assert.False(first.Replayed);
        var decisions = 0;
        StateChange Decide(StoredConversation? _)
        {
            decisions++;
            return new StateChange("s2", [1], []);
        }

        var retry = await _store.UpdateAsync(Key, Request("empty"), Decide, default);
        Assert.True(retry.Replayed);
        Assert.Empty(retry.Response);

        // From the database too, not only from this store's copy of the last row.
        await using var other = await OpenAsync(Options());
        var elsewhere = await other.UpdateAsync(Key, Request("empty"), Decide, default);
        Assert.True(elsewhere.Replayed);
        Assert.Empty(elsewhere.Response);
        Assert.Equal(0, decisions);
        Assert.Equal(new StoredConversation("s1", 1), await _store.ReadAsync(Key, default));
    }

    [Fact]
    public async Task ARetryThatLandsOnAnotherStoreGetsTheFirstAnswer()
    {
        await using var other = await OpenAsync(Options());
        var decisions = 0;
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            (i % 2 == 0 ? _store : other).UpdateAsync(Key, Request("same-request"), s =>
            {
                var n = Interlocked.Increment(ref decisions);
                return Change("s", "answer " + n.ToString(CultureInfo.InvariantCulture));
            }, default))));
        var first = Assert.Single(answers.Select(a => Encoding.UTF8.GetString(a.Response)).Distinct(StringComparer.Ordinal));
        Assert.Equal(1, answers.Count(a => !a.Replayed));
        Assert.Equal(1, (await _store.ReadAsync(Key, default))!.Version);
        Assert.StartsWith("answer ", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiryRunBySeveralStoresAtOnceRemovesEachConversationOnce()
    {
        await using var other = await OpenAsync(Options());
        for (var i = 0; i < 20; i++)
        {
            await _store.UpdateAsync(new ConversationKey("lamp_shop", "idle-" + i.ToString(CultureInfo.InvariantCulture)), Request("r"), _ => Change("s", "r"), default);
        }

        _clock.Advance(TimeSpan.FromHours(2));
        await _store.UpdateAsync(new ConversationKey("lamp_shop", "fresh"), RequestIdentity.None, _ => Change("s", "r"), default);
        var removed = await Task.WhenAll(Task.Run(() => _store.ExpireAsync(default)), Task.Run(() => other.ExpireAsync(default)));
        Assert.Equal(20, removed.Sum());
        Assert.NotNull(await _store.ReadAsync(new ConversationKey("lamp_shop", "fresh"), default));

        // Expired request ids went with their conversations: the same id is a new request now.
        var again = await other.UpdateAsync(new ConversationKey("lamp_shop", "idle-3"), Request("r"), _ => Change("new", "new"), default);
        Assert.False(again.Replayed);
        Assert.Equal(21, (await _store.GetStatisticsAsync("lamp_shop", default)).Conversations);
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
