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
        if (!await _store.ExistsAsync(key, context.CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"conversation '{request.ConversationId}' of shop '{request.ShopId}' does not exist."));
        }

        var outcome = request.Outcome switch
        {
            RecordOutcomeRequest.Types.Outcome.Ordered => ConversationOutcome.Ordered,
            RecordOutcomeRequest.Types.Outcome.Paid => ConversationOutcome.Paid,
            _ => ConversationOutcome.Left,
        };
        await _store.RecordOutcomeAsync(key, outcome, request.PaidTotalMinor, context.CancellationToken).ConfigureAwait(false);
        return new RecordOutcomeResponse();
    }

    public override async Task<GetStatsResponse> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        var caller = _access.CallerShop(context);
        RequestValidator.ValidateStats(request);
        AccessControl.Require(caller, request.ShopId);
        FindShop(request.ShopId);
        var stats = await _store.GetStatisticsAsync(request.ShopId, context.CancellationToken).ConfigureAwait(false);
        return ProtoMapping.ToResponse(stats);
    }

    private async Task<ReplyResponse> ReplyAsync(ReplyRequest request, CancellationToken cancellationToken)
    {
        var shop = FindShop(request.ShopId);
        var context = ProtoMapping.ToContext(request.Context);
        var result = await Update(shop, request.ConversationId, request.RequestId, request, stored =>
        {
            var state = LoadState(shop, request.ConversationId, stored);
            var stock = GiftStock.Today(shop, _store);
            var turn = Guard(() => ConversationEngine.Turn(shop, state, request.Message, context, new TurnOptions { GiftStockToday = stock.Remaining }));
            var response = ProtoMapping.ToResponse(turn);
            var events = ProtoMapping.Events(turn.Intent, response.Messages, turn.Policy?.Policy, turn.Policy?.Step);
            return (ConversationStateJson.Serialize(turn.State), response.ToByteArray(), events, stock.Use(turn.Policy?.Policy, turn.Policy?.GiftStockConsumed));
        }, cancellationToken).ConfigureAwait(false);
        var response = ReplyResponse.Parser.ParseFrom(result.Response);
        _logger.LogDebug("Reply {Shop}/{Conversation}: intent {Intent}, stage {Stage}, {Messages} message(s){Replayed}",
            shop.Id, request.ConversationId, response.Intent, response.Stage, response.Messages.Count, result.Replayed ? " (replayed)" : "");
        return response;
    }

    private async Task<(NegotiateResponse Response, ConversationState State)> NegotiateAsync(NegotiateRequest request, CancellationToken cancellationToken)
    {
        var shop = FindShop(request.ShopId);
        var policy = PolicyFor(shop);
        ConversationState? after = null;
        var result = await Update(shop, request.ConversationId, request.RequestId, request, stored =>
        {
            var state = LoadState(shop, request.ConversationId, stored);
            var stock = GiftStock.Today(shop, _store);
            var outcome = Guard(() => Negotiator.Decide(policy, shop, ProtoMapping.ToCart(request.Cart), ProtoMapping.ToAsk(request), state.Bargaining, request.CustomerTier, stock.Remaining));
            var next = state with { ShopId = shop.Id, ScriptHash = shop.SourceHash, Bargaining = outcome.State };
            after = next;
            var response = ProtoMapping.ToResponse(outcome);
            var events = ProtoMapping.Events(PriceIntent(shop), response.Messages, policy.Name, outcome.Step);
            return (ConversationStateJson.Serialize(next), response.ToByteArray(), events, stock.Use(policy.Name, outcome.GiftStockConsumed));
        }, cancellationToken).ConfigureAwait(false);

        var negotiated = NegotiateResponse.Parser.ParseFrom(result.Response);
        _logger.LogDebug("Negotiate {Shop}/{Conversation}: {Decision} at step {Step}, round {Round}{Replayed}",
            shop.Id, request.ConversationId, negotiated.Decision, negotiated.Step, negotiated.Round, result.Replayed ? " (replayed)" : "");
        // A replayed answer did not run the decision: report the stage as stored.
        return (negotiated, after ?? ConversationState.New(shop.Id, shop.SourceHash));
    }

    private async Task<UpdateResult> Update(
        ShopDefinition shop,
        string conversationId,
        string requestId,
        IMessage request,
        Func<StoredConversation?, (string State, byte[] Response, IReadOnlyList<StatisticEvent> Events, IReadOnlyList<StockUse> Stock)> decide,
        CancellationToken cancellationToken)
    {
        // The fingerprint tells a true retry (same bytes) from a reused request_id.
        var identity = requestId.Length == 0
            ? RequestIdentity.None
            : new RequestIdentity(requestId, Convert.ToHexString(SHA256.HashData(request.ToByteArray())));
        try
        {
            return await _store.UpdateAsync(new ConversationKey(shop.Id, conversationId), identity, stored =>
            {
                var (state, response, events, stock) = decide(stored);
                return new StateChange(state, response, events, stock);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestIdReusedException e)
        {
            _logger.LogWarning("Request id {RequestId} reused with a different request in {Shop}/{Conversation}.", e.RequestId, shop.Id, conversationId);
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                $"request_id '{e.RequestId}' was already used for a different request in this conversation; send a new request_id for a new request."));
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            // Nothing was written (the transaction failed as a whole): the client may retry.
            _logger.LogError(e, "The conversation store failed on {Shop}/{Conversation}.", shop.Id, conversationId);
            throw new RpcException(new Status(StatusCode.Unavailable, "the conversation store is unavailable; nothing was changed, try again."));
        }
        catch (ConcurrencyConflictException e)
        {
            _logger.LogWarning("Gave up on {Shop}/{Conversation} after repeated write conflicts.", shop.Id, conversationId);
            throw new RpcException(new Status(StatusCode.Aborted, e.Message));
        }
    }

    private ConversationState LoadState(ShopDefinition shop, string conversationId, StoredConversation? stored)
    {
        if (stored is null)
        {
            return ConversationState.New(shop.Id, shop.SourceHash);
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

    /// <summary>The policy the shop's price objection uses, else its first policy.</summary>
    private static PolicyDefinition PolicyFor(ShopDefinition shop)
    {
        var named = shop.Intents.FirstOrDefault(i => i.Objection == ObjectionKind.Price && i.Policy is not null)?.Policy;
        var policy = shop.Policies.FirstOrDefault(p => string.Equals(p.Name, named, StringComparison.Ordinal)) ?? shop.Policies.FirstOrDefault();
        return policy ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"shop '{shop.Id}' has no bargaining policy."));
    }

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
