using ScriptDsl.Protocol.V1;
using Grpc.Core;

namespace ScriptService.Api;

/// <summary>
/// Every rule a request must meet before it reaches a shop, each refused with INVALID_ARGUMENT and a
/// message naming the field. The limits are part of the API (docs/api.md).
/// </summary>
public static class RequestValidator
{
    public const int MaxMessageLength = 2000;
    public const int MaxIdLength = 128;
    public const int MaxCartLines = 500;
    public const int MaxQuantity = 9999;

    /// <summary>10,000,000 yuan: no line of a chat shop's cart costs more; larger values are typos or attacks.</summary>
    public const long MaxUnitPriceMinor = 1_000_000_000L;

    public static void ValidateReply(ReplyRequest request)
    {
        RequireId(request.ShopId, "shop_id");
        RequireId(request.ConversationId, "conversation_id");
        OptionalId(request.RequestId, "request_id");
        RequireMessage(request.Message, "message");
        if (request.Context is { } context)
        {
            ValidateTier(context.CustomerTier, "context.customer_tier");
            if (context.Cart is { } cart)
            {
                ValidateCart(cart, "context.cart", requireLines: false);
            }

            if (context.Facts.Count > 100)
            {
                throw Invalid("context.facts", $"has {context.Facts.Count} entries; at most 100 are accepted.");
            }

            foreach (var (key, value) in context.Facts)
            {
                if (key.Length is 0 or > MaxIdLength || value.Length > MaxMessageLength)
                {
                    throw Invalid("context.facts", $"entry '{Shorten(key)}' is empty or too long (keys up to {MaxIdLength}, values up to {MaxMessageLength} characters).");
                }
            }
        }
    }

    public static void ValidateNegotiate(NegotiateRequest request)
    {
        RequireId(request.ShopId, "shop_id");
        RequireId(request.ConversationId, "conversation_id");
        OptionalId(request.RequestId, "request_id");
        ValidateTier(request.CustomerTier, "customer_tier");
        if (request.Message.Length > MaxMessageLength)
        {
            throw Invalid("message", $"has {request.Message.Length} characters; at most {MaxMessageLength} are accepted.");
        }

        if (request.Cart is null)
        {
            throw Invalid("cart", "is missing; a negotiation is about a cart.");
        }

        ValidateCart(request.Cart, "cart", requireLines: true);
        switch (request.AskCase)
        {
            case NegotiateRequest.AskOneofCase.None:
                throw Invalid("ask", "is missing; set one of target_total_minor, discount_percent, free_shipping or any_better.");
            case NegotiateRequest.AskOneofCase.TargetTotalMinor when request.TargetTotalMinor <= 0:
                throw Invalid("target_total_minor", $"is {request.TargetTotalMinor}; it must be a positive amount in fen.");
            case NegotiateRequest.AskOneofCase.TargetTotalMinor when request.TargetTotalMinor > MaxUnitPriceMinor * MaxQuantity * (long)MaxCartLines:
                throw Invalid("target_total_minor", $"is {request.TargetTotalMinor}, beyond any cart this service accepts.");
            case NegotiateRequest.AskOneofCase.DiscountPercent when request.DiscountPercent is < 1 or > 99:
                throw Invalid("discount_percent", $"is {request.DiscountPercent}; it must be between 1 and 99 (打八折 = 20).");
            case NegotiateRequest.AskOneofCase.FreeShipping when !request.FreeShipping:
                throw Invalid("free_shipping", "is false; set it to true to ask for free shipping, or choose another ask.");
            case NegotiateRequest.AskOneofCase.AnyBetter when !request.AnyBetter:
                throw Invalid("any_better", "is false; set it to true to ask for any better price, or choose another ask.");
        }
    }

    public static void ValidateQuote(QuoteRequest request)
    {
        RequireId(request.ShopId, "shop_id");
        ValidateTier(request.CustomerTier, "customer_tier");
        if (request.Cart is null)
        {
            throw Invalid("cart", "is missing; a quote is for a cart.");
        }

        ValidateCart(request.Cart, "cart", requireLines: true);
    }

    public static void ValidateOutcome(RecordOutcomeRequest request)
    {
        RequireId(request.ShopId, "shop_id");
        RequireId(request.ConversationId, "conversation_id");
        if (request.Outcome == RecordOutcomeRequest.Types.Outcome.Unspecified || !Enum.IsDefined(request.Outcome))
        {
            throw Invalid("outcome", "must be ORDERED, PAID or LEFT.");
        }

        if (request.PaidTotalMinor < 0 || request.PaidTotalMinor > MaxUnitPriceMinor * MaxQuantity * (long)MaxCartLines)
        {
            throw Invalid("paid_total_minor", $"is {request.PaidTotalMinor}; it must be a non-negative amount in fen.");
        }

        if (request.Outcome == RecordOutcomeRequest.Types.Outcome.Paid && request.PaidTotalMinor == 0)
        {
            throw Invalid("paid_total_minor", "is 0; a PAID outcome carries the amount paid, in fen.");
        }

        if (request.Outcome != RecordOutcomeRequest.Types.Outcome.Paid && request.PaidTotalMinor != 0)
        {
            throw Invalid("paid_total_minor", "is set, but only a PAID outcome carries an amount.");
        }
    }

    public static void ValidateStats(GetStatsRequest request) => RequireId(request.ShopId, "shop_id");

    /// <summary>How many unmatched messages one ListUnmatched call returns at most, and when limit is 0.</summary>
    public const int MaxUnmatchedLimit = 500;
    public const int DefaultUnmatchedLimit = 50;

    public static void ValidateUnmatched(ListUnmatchedRequest request)
    {
        RequireId(request.ShopId, "shop_id");
        if (request.Limit < 0 || request.Limit > MaxUnmatchedLimit)
        {
            throw Invalid("limit", $"is {request.Limit}; use 1 to {MaxUnmatchedLimit}, or 0 for {DefaultUnmatchedLimit}.");
        }
    }

    public static void ValidateCart(Cart cart, string field, bool requireLines)
    {
        if (cart.Lines.Count > MaxCartLines)
        {
            throw Invalid(field + ".lines", $"has {cart.Lines.Count} lines; at most {MaxCartLines} are accepted.");
        }

        if (requireLines && cart.Lines.Count == 0)
        {
            throw Invalid(field + ".lines", "is empty; add at least one line.");
        }

        for (var i = 0; i < cart.Lines.Count; i++)
        {
            var line = cart.Lines[i];
            var at = $"{field}.lines[{i}]";
            if (line.Sku.Length is 0 or > MaxIdLength)
            {
                throw Invalid(at + ".sku", $"must be 1 to {MaxIdLength} characters.");
            }

            if (line.Name.Length > 200 || line.Category.Length > MaxIdLength)
            {
                throw Invalid(at, "has a name over 200 or a category over 128 characters.");
            }

            if (line.Quantity is < 1 or > MaxQuantity)
            {
                throw Invalid(at + ".quantity", $"is {line.Quantity}; it must be between 1 and {MaxQuantity}.");
            }

            if (line.UnitPriceMinor <= 0 || line.UnitPriceMinor > MaxUnitPriceMinor)
            {
                throw Invalid(at + ".unit_price_minor", $"is {line.UnitPriceMinor}; it must be a positive amount in fen up to {MaxUnitPriceMinor}.");
            }
        }
    }

    public static RpcException Invalid(string field, string problem) =>
        new(new Status(StatusCode.InvalidArgument, field + " " + problem));

    private static void RequireId(string value, string field)
    {
        if (value.Length == 0)
        {
            throw Invalid(field, "is empty.");
        }

        if (value.Length > MaxIdLength)
        {
            throw Invalid(field, $"has {value.Length} characters; at most {MaxIdLength} are accepted.");
        }

        if (value.Any(char.IsControl))
        {
            throw Invalid(field, "contains control characters.");
        }
    }

    private static void OptionalId(string value, string field)
    {
        if (value.Length > 0)
        {
            RequireId(value, field);
        }
    }

    private static void ValidateTier(string tier, string field)
    {
        if (tier.Length > 64)
        {
            throw Invalid(field, "has more than 64 characters.");
        }
    }

    private static void RequireMessage(string message, string field)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            throw Invalid(field, "is empty; send the buyer's text.");
        }

        if (message.Length > MaxMessageLength)
        {
            throw Invalid(field, $"has {message.Length} characters; at most {MaxMessageLength} are accepted.");
        }
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
