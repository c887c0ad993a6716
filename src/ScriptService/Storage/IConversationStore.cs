namespace ScriptService.Storage;

/// <summary>
/// Where conversations live between calls. The store knows nothing of shops or the engine: it keeps
/// an opaque state per conversation, the first answer to each request id, and counters for the
/// statistics. Implementations must make <see cref="UpdateAsync"/> atomic per conversation.
/// </summary>
public interface IConversationStore : IAsyncDisposable
{
    /// <summary>
    /// Runs one request against a conversation: loads its state (null when new or expired), asks
    /// <paramref name="decide"/> for the new state and the response, and saves both atomically.
    /// Two concurrent updates of one conversation never both commit on the same version: the loser
    /// re-reads and decides again. A request id seen before returns the stored first response without
    /// calling <paramref name="decide"/> (unless the first commits during the retry's decision, in
    /// another process: then the decision is discarded); the same id with a different request is refused.
    /// </summary>
    /// <param name="dailyCounters">The daily-limited stocks the decision may take from; their use today is read in the same
    /// transaction as the state and handed to <paramref name="decide"/> (counter name → units used today; absent = none).</param>
    /// <exception cref="StoreUnavailableException">The storage engine failed; nothing was written.</exception>
    Task<UpdateResult> UpdateAsync(
        ConversationKey key,
        RequestIdentity request,
        IReadOnlyCollection<string> dailyCounters,
        Func<StoredConversation?, IReadOnlyDictionary<string, int>, StateChange> decide,
        CancellationToken cancellationToken);

    /// <summary>The conversation's current state (null when new or expired), e.g. to report it beside a replayed answer.</summary>
    Task<StoredConversation?> ReadAsync(ConversationKey key, CancellationToken cancellationToken);

    /// <summary>Records what finally happened in a conversation (ordered, paid, left); idempotent.</summary>
    Task RecordOutcomeAsync(ConversationKey key, ConversationOutcome outcome, long paidTotalMinor, CancellationToken cancellationToken);

    /// <summary>Whether a conversation exists (for outcome validation).</summary>
    Task<bool> ExistsAsync(ConversationKey key, CancellationToken cancellationToken);

    Task<ShopStatistics> GetStatisticsAsync(string shopId, CancellationToken cancellationToken);

    /// <summary>Drops the state of conversations idle for longer than the configured time; statistics stay. Returns how many.</summary>
    Task<int> ExpireAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How much of each daily-limited stock (e.g. a gift "limit 20 per day") was used today, by
    /// counter name; counters not used today are absent. "Today" is the store's day (see
    /// <see cref="StoreOptions.DayUtcOffset"/>). For reports; a decision gets the counts from <see cref="UpdateAsync"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, int>> DailyUsageAsync(IReadOnlyCollection<string> counters, CancellationToken cancellationToken);

    /// <summary>
    /// The messages no rule understood (fell back or needed clarification), most frequent first (then most
    /// recent), at most <paramref name="limit"/>. Recorded by <see cref="StateChange.Unmatched"/>.
    /// </summary>
    Task<IReadOnlyList<UnmatchedEntry>> ListUnmatchedAsync(string shopId, int limit, CancellationToken cancellationToken);

    /// <summary>A cheap round trip to the storage engine, for the health service.</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}

/// <summary>Conveniences over <see cref="IConversationStore"/>.</summary>
public static class ConversationStoreExtensions
{
    private static readonly IReadOnlyCollection<string> NoCounters = [];

    /// <summary>An update whose decision takes no daily-limited stock.</summary>
    public static Task<UpdateResult> UpdateAsync(this IConversationStore store, ConversationKey key, RequestIdentity request, Func<StoredConversation?, StateChange> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decide);
        return store.UpdateAsync(key, request, NoCounters, (stored, _) => decide(stored), cancellationToken);
    }
}

public readonly record struct ConversationKey(string ShopId, string ConversationId);

/// <summary>A request's idempotency key and a fingerprint of its content (e.g. a hash of its bytes). An empty id disables idempotency.</summary>
public readonly record struct RequestIdentity(string RequestId, string Fingerprint)
{
    /// <summary>No idempotency key: the request is applied every time it arrives.</summary>
    public static readonly RequestIdentity None = new("", "");

    public bool HasId => !string.IsNullOrEmpty(RequestId);
}

/// <param name="State">The state as stored (text).</param>
/// <param name="Version">The row's version, which the next write checks.</param>
public sealed record StoredConversation(string State, long Version)
{
    /// <summary>
    /// The object <see cref="State"/> was serialized from, when the store kept it from the write
    /// that stored it (<see cref="StateChange.Decoded"/>), so the caller need not parse the text;
    /// null otherwise. The caller must treat it as immutable.
    /// </summary>
    public object? Decoded { get; init; }
}

/// <summary>
/// What a request decided: the conversation's new state, the response's bytes kept for retries of
/// its request id (empty when the request has none: nothing is kept then), statistics to count,
/// and daily stock it takes. The write is refused (and the request
/// decided again) if a stock ran out meanwhile, so a daily limit is never exceeded.
/// </summary>
/// <param name="Unmatched">A buyer message no rule understood, counted for the shop's authors (no buyer id is kept).</param>
/// <param name="Decoded">The immutable object <paramref name="State"/> was serialized from; a store may keep it and hand it to the next decision (<see cref="StoredConversation.Decoded"/>).</param>
public sealed record StateChange(string State, byte[] Response, IReadOnlyList<StatisticEvent> Events, IReadOnlyList<StockUse>? Stock = null, UnmatchedText? Unmatched = null, object? Decoded = null);

/// <summary>What an unmatched message was: its normalized text, whether it fell back or was asked to clarify, and the options offered.</summary>
public sealed record UnmatchedText(string Text, UnmatchedKind Kind, IReadOnlyList<string> ClarifyOptions);

public enum UnmatchedKind
{
    Fallback = 1,
    Clarifying = 2,
}

/// <summary>One distinct unmatched text of a shop and how often it came (times are Unix milliseconds).</summary>
public sealed record UnmatchedEntry(string Text, long Count, long FirstSeenUnixMs, long LastSeenUnixMs, UnmatchedKind Kind, IReadOnlyList<string> ClarifyOptions);

/// <summary>One unit of the daily-limited stock <paramref name="Counter"/>, whose limit is <paramref name="DailyLimit"/>.</summary>
public sealed record StockUse(string Counter, int DailyLimit);

/// <param name="Replayed">True when the response is the stored answer to an earlier request with the same id.</param>
public sealed record UpdateResult(byte[] Response, bool Replayed);

public enum StatisticKind
{
    /// <summary>A reply variant was shown: Group is the intent, Name the variant id.</summary>
    Variant,

    /// <summary>A bargaining policy step was used: Group is the policy, Name the step.</summary>
    PolicyStep,
}

public sealed record StatisticEvent(StatisticKind Kind, string Group, string Name);

public enum ConversationOutcome
{
    Ordered,
    Paid,
    Left,
}

public sealed record ShopStatistics(
    long Conversations,
    long Ordered,
    long Paid,
    long PaidTotalMinor,
    IReadOnlyList<KeyStatistics> Variants,
    IReadOnlyList<KeyStatistics> PolicySteps);

/// <param name="Used">How many times it was shown or used.</param>
/// <param name="OrderedAfter">How many conversations that used it ended with an order.</param>
public sealed record KeyStatistics(string Group, string Name, long Used, long OrderedAfter);

/// <summary>The same request id came back with a different request: a client bug, never silently answered.</summary>
public sealed class RequestIdReusedException(string requestId)
    : Exception($"request_id '{requestId}' was already used for a different request in this conversation.")
{
    public string RequestId { get; } = requestId;
}

/// <summary>
/// The storage engine failed (disk full, database down, connection lost): nothing of the request was
/// written, so a retry is safe. Each store translates its engine's own exceptions into this one, so
/// the API layer never depends on a storage library.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>Optimistic concurrency gave up after too many conflicting writers.</summary>
public sealed class ConcurrencyConflictException(ConversationKey key, int attempts)
    : Exception($"Conversation '{key.ConversationId}' of shop '{key.ShopId}' changed under {attempts} attempts in a row; try again.");
