using ScriptDsl.Bargaining;
using ScriptDsl.Engine;
using ScriptDsl.Templates;
using ScriptDsl.Protocol.V1;
using ScriptService.Storage;
using V1 = ScriptDsl.Protocol.V1;

namespace ScriptService.Api;

/// <summary>Between the API's protobuf messages and the runtime's values; no decisions here.</summary>
internal static class ProtoMapping
{
    public static CartView ToCart(V1.Cart? cart) => cart is null || cart.Lines.Count == 0
        ? CartView.Empty
        : new CartView(cart.Lines.Select(l => new CartLineView(l.Sku, l.Name, l.UnitPriceMinor, l.Quantity, l.Category)).ToList());

    public static ScriptDsl.Engine.BuyerContext ToContext(V1.BuyerContext? context) => context is null
        ? ScriptDsl.Engine.BuyerContext.Empty
        : new ScriptDsl.Engine.BuyerContext(
            context.CustomerTier,
            ToCart(context.Cart),
            new Dictionary<string, string>(context.Facts, StringComparer.Ordinal));

    public static BargainAsk ToAsk(NegotiateRequest request) => request.AskCase switch
    {
        NegotiateRequest.AskOneofCase.TargetTotalMinor => BargainAsk.Target(request.TargetTotalMinor),
        NegotiateRequest.AskOneofCase.DiscountPercent => BargainAsk.PercentOff(request.DiscountPercent),
        NegotiateRequest.AskOneofCase.FreeShipping => BargainAsk.FreeShipping(),
        _ => BargainAsk.AnyBetter(),
    };

    public static ReplyResponse ToResponse(TurnResult turn)
    {
        var response = new ReplyResponse { Intent = turn.Intent, Stage = turn.Stage };
        response.Messages.AddRange(turn.Messages.Select(m => new ChatMessage { Text = m.Text, VariantId = m.VariantId }));
        foreach (var (name, value) in turn.Slots.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            response.Slots[name] = value;
        }

        response.Actions.AddRange(turn.Actions.Select(ToAction));
        response.Suggestions.AddRange(turn.Suggestions);
        response.Confidence = turn.Confidence;
        response.Match = (V1.MatchKind)(int)turn.Match;
        response.ClarifyOptions.AddRange(turn.ClarifyOptions);
        response.ReplyKind = turn.ReplyKind;
        if (turn.Pricing is { } pricing)
        {
            response.Pricing = new ReplyPricing
            {
                Kind = pricing.Kind,
                Policy = pricing.Policy,
                Step = pricing.Step,
                Decision = pricing.Decision is { } decision ? (NegotiateResponse.Types.Decision)(int)decision : NegotiateResponse.Types.Decision.Unspecified,
                ListTotalMinor = pricing.ListTotalMinor,
                TotalMinor = pricing.TotalMinor,
                AskTotalMinor = pricing.AskTotalMinor,
                PerDayMinor = pricing.PerDayMinor,
                ToNextCouponMinor = pricing.ToNextCouponMinor,
                Round = pricing.Round,
            };
        }

        return response;
    }

    public static V1.Action ToAction(TurnAction action) => action switch
    {
        RecommendItemAction r => new V1.Action { Recommend = new RecommendItem { Sku = r.Sku, Name = r.Name, Reason = r.Reason } },
        OfferGiftAction g => new V1.Action { Gift = new OfferGift { Name = g.Name, CostMinor = g.CostMinor } },
        OfferCouponAction c => new V1.Action { Coupon = new OfferCoupon { Name = c.Name, ThresholdMinor = c.ThresholdMinor, AmountMinor = c.AmountMinor } },
        FlagOrderAction f => new V1.Action { Flag = new FlagOrder { Color = f.Color, Note = f.Note } },
        EscalateAction e => new V1.Action { Escalate = new Escalate { To = e.To, Reason = e.Reason } },
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    public static NegotiateResponse ToResponse(NegotiationOutcome outcome)
    {
        var response = new NegotiateResponse
        {
            Decision = (NegotiateResponse.Types.Decision)(int)outcome.Decision,
            TotalMinor = outcome.TotalMinor,
            Round = outcome.Round,
            Step = outcome.Step,
        };
        response.Gifts.AddRange(outcome.Gifts.Select(g => new OfferGift { Name = g.Name, CostMinor = g.CostMinor }));
        response.Messages.AddRange(outcome.Messages.Select(m => new ChatMessage { Text = m.Text, VariantId = m.VariantId }));
        return response;
    }

    /// <summary>A negotiation inside a Converse stream answers with the chat response shape.</summary>
    public static ReplyResponse ToReply(NegotiateResponse negotiated, ConversationState state, string intent)
    {
        var response = new ReplyResponse { Intent = intent, Stage = state.Stage };
        response.Messages.AddRange(negotiated.Messages);
        foreach (var (name, value) in state.Slots.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            response.Slots[name] = value;
        }

        if (negotiated.Decision == NegotiateResponse.Types.Decision.Gift && negotiated.Gifts.Count > 0)
        {
            response.Actions.Add(new V1.Action { Gift = negotiated.Gifts[^1] });
        }

        return response;
    }

    public static QuoteResponse ToResponse(QuoteResult quote)
    {
        var response = new QuoteResponse
        {
            ListTotalMinor = quote.ListTotalMinor,
            PayableTotalMinor = quote.PayableTotalMinor,
            ToNextCouponMinor = quote.ToNextCouponMinor,
            PerDayMinor = quote.PerDayMinor,
        };
        response.Applied.AddRange(quote.Applied.Select(ToCoupon));
        if (quote.NextCoupon is { } next)
        {
            response.NextCoupon = ToCoupon(next);
        }

        response.Messages.AddRange(quote.Messages.Select(m => new ChatMessage { Text = m.Text, VariantId = m.VariantId }));
        return response;
    }

    public static GetStatsResponse ToResponse(ShopStatistics stats)
    {
        var response = new GetStatsResponse
        {
            Conversations = stats.Conversations,
            Ordered = stats.Ordered,
            Paid = stats.Paid,
            // Ratios are reporting figures, not money: double is the proto's type for them.
            InquiryConversion = stats.Conversations == 0 ? 0 : (double)stats.Ordered / stats.Conversations,
            PaymentRate = stats.Ordered == 0 ? 0 : (double)stats.Paid / stats.Ordered,
            AveragePaidMinor = stats.Paid == 0 ? 0 : stats.PaidTotalMinor / stats.Paid,
        };
        response.Variants.AddRange(stats.Variants.Select(v => new VariantStats { Intent = v.Group, VariantId = v.Name, Shown = v.Used, OrderedAfter = v.OrderedAfter }));
        response.PolicySteps.AddRange(stats.PolicySteps.Select(s => new StepStats { Policy = s.Group, Step = s.Name, Used = s.Used, OrderedAfter = s.OrderedAfter }));
        return response;
    }

    /// <summary>Variants shown (by intent) and the policy step used, counted per conversation for GetStats.</summary>
    public static List<StatisticEvent> Events(string intent, IEnumerable<ChatMessage> messages, string? policy, string? step)
    {
        var events = new List<StatisticEvent>();
        foreach (var message in messages)
        {
            if (message.VariantId.Length > 0)
            {
                events.Add(new StatisticEvent(StatisticKind.Variant, intent, message.VariantId));
            }
        }

        if (policy is not null && step is not null)
        {
            events.Add(new StatisticEvent(StatisticKind.PolicyStep, policy, step));
        }

        return events;
    }

    private static OfferCoupon ToCoupon(CouponDefinition coupon) =>
        new() { Name = coupon.Name, ThresholdMinor = coupon.ThresholdMinor, AmountMinor = coupon.AmountMinor };
}
