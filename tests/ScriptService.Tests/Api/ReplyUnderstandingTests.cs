using ScriptDsl.Protocol.V1;

namespace ScriptService.Tests.Api;

/// <summary>ReplyResponse fields 7–11 (confidence, match, clarify options, pricing, reply kind) over a real loopback server.</summary>
public sealed class ReplyUnderstandingTests : IAsyncLifetime
{
    private ServiceServer _server = null!;

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    private static ReplyRequest Message(string conversation, string text, Cart? cart = null) => new()
    {
        ShopId = "lamp_shop",
        ConversationId = conversation,
        Message = text,
        Context = cart is null ? null : new BuyerContext { Cart = cart },
    };

    private static Cart TwoLamps() => new()
    {
        Lines =
        {
            new CartLine { Sku = "KT-880", Name = "现代客厅方形吸顶灯", UnitPriceMinor = 69900, Quantity = 1, Category = "客厅" },
            new CartLine { Sku = "NB-201", Name = "北欧简约卧室吸顶灯", UnitPriceMinor = 29900, Quantity = 1, Category = "卧室" },
        },
    };

    [Fact]
    public async Task ATriggeredReplyReportsItsMatchAndKind()
    {
        var reply = await _server.ReplyAsync(Message("u1", "在吗"));
        Assert.Equal((MatchKind.MatchTrigger, 1.0, "intent"), (reply.Match, reply.Confidence, reply.ReplyKind));
        Assert.Null(reply.Pricing);
        Assert.Empty(reply.ClarifyOptions);
    }

    [Fact]
    public async Task ACounterOfferInChatReportsItsPricing()
    {
        await _server.ReplyAsync(Message("u2", "在吗", TwoLamps()));
        var reply = await _server.ReplyAsync(Message("u2", "900行不行", TwoLamps()));
        Assert.Equal("price_objection", reply.Intent);
        Assert.Equal("negotiate", reply.ReplyKind);
        Assert.Equal(MatchKind.MatchTrigger, reply.Match);
        Assert.Equal("negotiate", reply.Pricing.Kind);
        Assert.Equal("bargain", reply.Pricing.Policy);
        Assert.Equal(99800, reply.Pricing.ListTotalMinor);
        Assert.Equal(90000, reply.Pricing.AskTotalMinor);
        Assert.Equal(1, reply.Pricing.Round);
        Assert.NotEqual(NegotiateResponse.Types.Decision.Unspecified, reply.Pricing.Decision);
        Assert.NotEmpty(reply.Pricing.Step);
        Assert.True(reply.Pricing.TotalMinor is > 0 and < 99800);
    }

    [Fact]
    public async Task AMessageNothingUnderstandsIsReportedAsAFallback()
    {
        await _server.ReplyAsync(Message("u3", "在吗"));
        var reply = await _server.ReplyAsync(Message("u3", "qwxz"));
        Assert.Equal((MatchKind.MatchFallback, 0.0, "fallback", ""), (reply.Match, reply.Confidence, reply.ReplyKind, reply.Intent));
    }
}
