using System.Security.Cryptography;
using Google.Protobuf;
using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Model;
using Grpc.Core;
using ScriptDsl.Protocol.V1;
using ScriptService.Shops;
using ScriptService.Storage;

namespace ScriptService.Api;

/// <summary>
/// scriptdsl.v1.ScriptService on the base Grpc.Tools generates; grpc-dotnet routes the calls. Each
/// call: authenticated (AccessInterceptor), validated, the shop found, then (for conversation calls)
/// the engine run inside the store's atomic update so retries and races are safe. ListUnmatched is
/// not overridden here yet: the generated base answers UNIMPLEMENTED.
/// </summary>
public sealed class ScriptServiceApi : ScriptDsl.Protocol.V1.ScriptService.ScriptServiceBase
{
    private readonly ShopCatalog _shops;
    private readonly IConversationStore _store;
    private readonly AccessControl _access;
    private readonly ILogger<ScriptServiceApi> _logger;

    public ScriptServiceApi(ShopCatalog shops, IConversationStore store, AccessControl access, ILogger<ScriptServiceApi> logger)
    {
        _shops = shops;
        _store = store;
        _access = access;
        _logger = logger;
    }

    public override Task<ListScriptsResponse> ListScripts(ListScriptsRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        var response = new ListScriptsResponse();
        foreach (var shop in _shops.Shops)
        {
            if (caller is not null && !string.Equals(caller, shop.Id, StringComparison.Ordinal))
            {
                continue;
            }

            var info = new ScriptInfo { ShopId = shop.Id, DisplayName = shop.DisplayName, SourceHash = shop.SourceHash };
            info.Intents.AddRange(shop.Intents.Select(i => i.Name));
            info.Stages.AddRange(shop.Stages.Select(s => s.Name));
            info.Policies.AddRange(shop.PolicyNames);
            info.Items.AddRange(shop.Items.Select(i => new CatalogItem { Sku = i.Sku, Name = i.Name, PriceMinor = i.PriceMinor, Category = i.Category }));
            response.Scripts.Add(info);
        }

        return Task.FromResult(response);
    }

    public override async Task<ReplyResponse> Reply(ReplyRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        RequestValidator.ValidateReply(request);
        AccessControl.Require(caller, request.ShopId);
        return await ReplyAsync(request, context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<NegotiateResponse> Negotiate(NegotiateRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        RequestValidator.ValidateNegotiate(request);
        AccessControl.Require(caller, request.ShopId);
        var (response, _) = await NegotiateAsync(request, context.CancellationToken).ConfigureAwait(false);
        return response;
    }

    public override Task<QuoteResponse> Quote(QuoteRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        RequestValidator.ValidateQuote(request);
        AccessControl.Require(caller, request.ShopId);
        var shop = FindShop(request.ShopId);
        var policy = PolicyFor(shop);
        var quote = Guard(() => Quoter.Quote(policy, shop, ProtoMapping.ToCart(request.Cart), request.CustomerTier));
        return Task.FromResult(ProtoMapping.ToResponse(quote));
    }

    /// <summary>The shop's messages no rule understood, most frequent first, for its authors.</summary>
    public override async Task<ListUnmatchedResponse> ListUnmatched(ListUnmatchedRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        RequestValidator.ValidateUnmatched(request);
        AccessControl.Require(caller, request.ShopId);
        FindShop(request.ShopId);
        var limit = request.Limit == 0 ? RequestValidator.DefaultUnmatchedLimit : request.Limit;
        var entries = await Storing(() => _store.ListUnmatchedAsync(request.ShopId, limit, context.CancellationToken), request.ShopId, "").ConfigureAwait(false);
        var response = new ListUnmatchedResponse();
        foreach (var entry in entries)
        {
            var message = new UnmatchedMessage
            {
                Text = entry.Text,
                Count = entry.Count,
                FirstSeenUnixMs = entry.FirstSeenUnixMs,
                LastSeenUnixMs = entry.LastSeenUnixMs,
                Match = entry.Kind == UnmatchedKind.Clarifying ? ScriptDsl.Protocol.V1.MatchKind.MatchClarifying : ScriptDsl.Protocol.V1.MatchKind.MatchFallback,
            };
            message.ClarifyOptions.AddRange(entry.ClarifyOptions);
            response.Messages.Add(message);
        }

        return response;
    }

    public override async Task Converse(IAsyncStreamReader<ConverseRequest> requestStream, IServerStreamWriter<ReplyResponse> responseStream, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var next = requestStream.Current;
            ReplyResponse response;
            switch (next.KindCase)
            {
                case ConverseRequest.KindOneofCase.Message:
                    RequestValidator.ValidateReply(next.Message);
                    AccessControl.Require(caller, next.Message.ShopId);
                    response = await ReplyAsync(next.Message, context.CancellationToken).ConfigureAwait(false);
                    break;
                case ConverseRequest.KindOneofCase.Negotiate:
                    RequestValidator.ValidateNegotiate(next.Negotiate);
                    AccessControl.Require(caller, next.Negotiate.ShopId);
                    var (negotiated, state) = await NegotiateAsync(next.Negotiate, context.CancellationToken).ConfigureAwait(false);
                    response = ProtoMapping.ToReply(negotiated, state, PriceIntent(FindShop(next.Negotiate.ShopId)));
                    break;
                default:
                    throw RequestValidator.Invalid("kind", "is missing; set message or negotiate.");
            }

            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task<RecordOutcomeResponse> RecordOutcome(RecordOutcomeRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        RequestValidator.ValidateOutcome(request);
        AccessControl.Require(caller, request.ShopId);
        FindShop(request.ShopId);
        var key = new ConversationKey(request.ShopId, request.ConversationId);
        if (!await Storing(() => _store.ExistsAsync(key, context.CancellationToken), request.ShopId, request.ConversationId).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"conversation '{request.ConversationId}' of shop '{request.ShopId}' does not exist."));
        }

        var outcome = request.Outcome switch
        {
            RecordOutcomeRequest.Types.Outcome.Ordered => ConversationOutcome.Ordered,
            RecordOutcomeRequest.Types.Outcome.Paid => ConversationOutcome.Paid,
            _ => ConversationOutcome.Left,
        };
        await Storing(async () =>
        {
            await _store.RecordOutcomeAsync(key, outcome, request.PaidTotalMinor, context.CancellationToken).ConfigureAwait(false);
            return true;
        }, request.ShopId, request.ConversationId).ConfigureAwait(false);
        return new RecordOutcomeResponse();
    }

    public override async Task<GetStatsResponse> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        RequestValidator.ValidateStats(request);
        AccessControl.Require(caller, request.ShopId);
        FindShop(request.ShopId);
        var stats = await Storing(() => _store.GetStatisticsAsync(request.ShopId, context.CancellationToken), request.ShopId, "").ConfigureAwait(false);
        return ProtoMapping.ToResponse(stats);
    }

    private async Task<ReplyResponse> ReplyAsync(ReplyRequest request, CancellationToken cancellationToken)
    {
        var shop = FindShop(request.ShopId);
        var context = ProtoMapping.ToContext(request.Context);
        var stock = GiftStock.For(shop);
        ReplyResponse? decided = null;
        string? giftGranted = null;
        var result = await Update(shop, request.ConversationId, request.RequestId, request, stock.Counters, (stored, usedToday) =>
        {
            var state = LoadState(shop, request.ConversationId, stored);
            var turn = Guard(() => ConversationEngine.Turn(shop, state, request.Message, context, new TurnOptions { GiftStockToday = stock.Remaining(usedToday) }));
            giftGranted = turn.Policy?.GiftStockConsumed?.Name;
            var response = ProtoMapping.ToResponse(turn);
            decided = response;
            var events = ProtoMapping.Events(turn.Intent, response.Messages, turn.Policy?.Policy, turn.Policy?.Step);
            return new StateChange(ConversationStateJson.Serialize(turn.State), Kept(request.RequestId, response), events,
                stock.Use(turn.Policy?.Policy, turn.Policy?.GiftStockConsumed), Unmatched(turn, request.Message), Decoded: turn.State);
        }, cancellationToken).ConfigureAwait(false);

        // The response just decided is the one committed (the last decision wins a retry): only a
        // replayed answer needs parsing from the stored bytes.
        var reply = result.Replayed || decided is null ? ReplyResponse.Parser.ParseFrom(result.Response) : decided;
        if (!result.Replayed)
        {
            Metrics.ServiceMetrics.Turn(shop.Id, fallback: reply.Match == ScriptDsl.Protocol.V1.MatchKind.MatchFallback || (reply.Match == ScriptDsl.Protocol.V1.MatchKind.Unspecified && reply.Intent.Length == 0), giftGranted);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // Checked first: LogDebug's argument array and boxed count would be allocated on every call even with Debug off.
            _logger.LogDebug("Reply {Shop}/{Conversation}: intent {Intent}, stage {Stage}, {Messages} message(s){Replayed}",
                shop.Id, request.ConversationId, reply.Intent, reply.Stage, reply.Messages.Count, result.Replayed ? " (replayed)" : "");
        }
        return reply;
    }

    /// <summary>
    /// A message no rule understood, recorded for the shop's authors (its normalized text only, no
    /// buyer id): the fallback answered, or two intents were too close and the shop asked which one.
    /// </summary>
    private static UnmatchedText? Unmatched(TurnResult turn, string message)
    {
        var kind = turn.Match switch
        {
            ScriptDsl.Engine.MatchKind.Clarifying => UnmatchedKind.Clarifying,
            ScriptDsl.Engine.MatchKind.Fallback => UnmatchedKind.Fallback,
            ScriptDsl.Engine.MatchKind.Unspecified when turn.Intent.Length == 0 => UnmatchedKind.Fallback,
            _ => (UnmatchedKind?)null,
        };
        if (kind is null)
        {
            return null;
        }

        var text = ScriptDsl.Text.TextNormalizer.Normalize(message);
        return text.Length == 0 ? null : new UnmatchedText(text, kind.Value, kind == UnmatchedKind.Clarifying ? turn.ClarifyOptions : []);
    }

    private async Task<(NegotiateResponse Response, ConversationState State)> NegotiateAsync(NegotiateRequest request, CancellationToken cancellationToken)
    {
        var shop = FindShop(request.ShopId);
        var policy = PolicyFor(shop);
        var stock = GiftStock.For(shop);
        ConversationState? after = null;
        NegotiateResponse? decided = null;
        string? giftGranted = null;
        var result = await Update(shop, request.ConversationId, request.RequestId, request, stock.Counters, (stored, usedToday) =>
        {
            var state = LoadState(shop, request.ConversationId, stored);
            var outcome = Guard(() => Negotiator.Decide(policy, shop, ProtoMapping.ToCart(request.Cart), ProtoMapping.ToAsk(request), state.Bargaining, request.CustomerTier, stock.Remaining(usedToday)));
            var next = state with { ShopId = shop.Id, ScriptHash = shop.SourceHash, Bargaining = outcome.State };
            giftGranted = outcome.GiftStockConsumed?.Name;
            after = next;
            var response = ProtoMapping.ToResponse(outcome);
            decided = response;
            var events = ProtoMapping.Events(PriceIntent(shop), response.Messages, policy.Name, outcome.Step);
            return new StateChange(ConversationStateJson.Serialize(next), Kept(request.RequestId, response), events, stock.Use(policy.Name, outcome.GiftStockConsumed), Decoded: next);
        }, cancellationToken).ConfigureAwait(false);

        var negotiated = result.Replayed || decided is null ? NegotiateResponse.Parser.ParseFrom(result.Response) : decided;
        if (!result.Replayed)
        {
            Metrics.ServiceMetrics.Turn(shop.Id, fallback: false, giftGranted);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Negotiate {Shop}/{Conversation}: {Decision} at step {Step}, round {Round}{Replayed}",
                shop.Id, request.ConversationId, negotiated.Decision, negotiated.Step, negotiated.Round, result.Replayed ? " (replayed)" : "");
        }
        if (result.Replayed || after is null)
        {
            // A replayed answer did not run the decision: report the conversation's stage and slots as stored.
            var key = new ConversationKey(shop.Id, request.ConversationId);
            var stored = await Storing(() => _store.ReadAsync(key, cancellationToken), shop.Id, request.ConversationId).ConfigureAwait(false);
            return (negotiated, LoadState(shop, request.ConversationId, stored));
        }

        return (negotiated, after);
    }

    /// <summary>
    /// The answer's bytes as the store keeps them for a retry of <paramref name="requestId"/>; none
    /// without a request id, since nothing can ask for them again (a second serialization of every
    /// answer on the Reply path otherwise, besides the one gRPC writes to the wire).
    /// </summary>
    private static byte[] Kept(string requestId, IMessage response) => requestId.Length == 0 ? [] : response.ToByteArray();

    private async Task<UpdateResult> Update(
        ShopDefinition shop,
        string conversationId,
        string requestId,
        IMessage request,
        IReadOnlyCollection<string> dailyCounters,
        Func<StoredConversation?, IReadOnlyDictionary<string, int>, StateChange> decide,
        CancellationToken cancellationToken)
    {
        // The fingerprint tells a true retry (same bytes) from a reused request_id.
        var identity = requestId.Length == 0
            ? RequestIdentity.None
            : new RequestIdentity(requestId, Convert.ToHexString(SHA256.HashData(request.ToByteArray())));
        try
        {
            return await Storing(() => _store.UpdateAsync(new ConversationKey(shop.Id, conversationId), identity, dailyCounters, decide, cancellationToken), shop.Id, conversationId)
                .ConfigureAwait(false);
        }
        catch (RequestIdReusedException e)
        {
            _logger.LogWarning("Request id {RequestId} reused with a different request in {Shop}/{Conversation}.", e.RequestId, shop.Id, conversationId);
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                $"request_id '{e.RequestId}' was already used for a different request in this conversation; send a new request_id for a new request."));
        }
        catch (ConcurrencyConflictException e)
        {
            _logger.LogWarning("Gave up on {Shop}/{Conversation} after repeated write conflicts.", shop.Id, conversationId);
            throw new RpcException(new Status(StatusCode.Aborted, e.Message));
        }
    }

    /// <summary>A store call whose failure (nothing written) becomes UNAVAILABLE: the client may retry.</summary>
    private async Task<T> Storing<T>(Func<Task<T>> call, string shopId, string conversationId)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            _logger.LogError(e, "The conversation store failed on {Shop}/{Conversation}.", shopId, conversationId);
            throw new RpcException(new Status(StatusCode.Unavailable, "the conversation store is unavailable; nothing was changed, try again."));
        }
    }

    private ConversationState LoadState(ShopDefinition shop, string conversationId, StoredConversation? stored)
    {
        if (stored is null)
        {
            return ConversationState.New(shop.Id, shop.SourceHash);
        }

        if (stored.Decoded is ConversationState kept)
        {
            // The store kept the state this service wrote last (an immutable record): no parse.
            return kept;
        }

        try
        {
            return ConversationStateJson.Deserialize(stored.State);
        }
        catch (FormatException e)
        {
            // Never expected (we wrote it); starting afresh beats refusing the buyer forever.
            _logger.LogError(e, "Stored state of conversation {Conversation} of shop {Shop} is unreadable; starting afresh.", conversationId, shop.Id);
            return ConversationState.New(shop.Id, shop.SourceHash) with { Notes = ["stored state was unreadable and was reset"] };
        }
    }

    private ShopDefinition FindShop(string shopId) =>
        _shops.Find(shopId) ?? throw new RpcException(new Status(StatusCode.NotFound, $"shop '{shopId}' is not hosted here; ListScripts shows the shops."));

    /// <summary>
    /// The intent a negotiation answers for the statistics and the chat response: the shop's price
    /// objection ("price_objection"), or "negotiate" for a shop that has none.
    /// </summary>
    private static string PriceIntent(ShopDefinition shop) =>
        shop.Intents.FirstOrDefault(i => i.Objection == ObjectionKind.Price)?.Name ?? "negotiate";

    /// <summary>The policy that prices the shop (<see cref="ShopPolicies.PricePolicy"/>).</summary>
    private static PolicyDefinition PolicyFor(ShopDefinition shop) =>
        shop.PricePolicy() ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"shop '{shop.Id}' has no bargaining policy."));

    /// <summary>Input the runtime refuses (an unpriceable cart, an absurd ask) is the caller's error, not ours.</summary>
    private static T Guard<T>(Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }
}
