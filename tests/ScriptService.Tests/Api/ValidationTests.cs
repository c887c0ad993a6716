using ScriptDsl.Protocol.V1;
using Grpc.Core;

namespace ScriptService.Tests.Api;

/// <summary>Every validation rule of the API, over the wire: the status code and the field named.</summary>
public sealed class ValidationTests : IAsyncLifetime
{
    private ServiceServer _server = null!;

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    private static ReplyRequest Reply(Action<ReplyRequest>? change = null)
    {
        var request = new ReplyRequest { ShopId = "lamp_shop", ConversationId = "v1", Message = "在吗" };
        change?.Invoke(request);
        return request;
    }

    private static Cart CartOf(int lines, int quantity = 1, long price = 29900)
    {
        var cart = new Cart();
        for (var i = 0; i < lines; i++)
        {
            cart.Lines.Add(new CartLine { Sku = "NB-201", Name = "灯", UnitPriceMinor = price, Quantity = quantity, Category = "卧室" });
        }

        return cart;
    }

    private static NegotiateRequest Negotiate(Action<NegotiateRequest>? change = null)
    {
        var request = new NegotiateRequest { ShopId = "lamp_shop", ConversationId = "v1", Cart = CartOf(1), AnyBetter = true };
        change?.Invoke(request);
        return request;
    }

    private async Task Refused(Func<Task> call, StatusCode code, string mentions)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        Assert.Contains(mentions, error.Status.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadReplies => new()
    {
        { "shop_id", "" },
        { "conversation_id", "" },
        { "message", "" },
        { "message", "   " },
        { "message", new string('好', 2001) },
        { "request_id", new string('r', 129) },
        { "conversation_id", "bad\u0001id" },
    };

    [Theory]
    [MemberData(nameof(BadReplies))]
    public Task ReplyFieldsAreValidated(string field, string value) => Refused(() => _server.ReplyAsync(Reply(r =>
    {
        switch (field)
        {
            case "shop_id": r.ShopId = value; break;
            case "conversation_id": r.ConversationId = value; break;
            case "message": r.Message = value; break;
            case "request_id": r.RequestId = value; break;
        }
    })), StatusCode.InvalidArgument, field);

    [Fact]
    public async Task AMessageOfExactly2000CharactersIsAccepted()
    {
        var reply = await _server.ReplyAsync(Reply(r => r.Message = new string('好', 2000)));
        Assert.NotEmpty(reply.Messages);
    }

    [Fact]
    public Task AnUnknownShopIsNotFound() =>
        Refused(() => _server.ReplyAsync(Reply(r => r.ShopId = "no_such_shop")), StatusCode.NotFound, "no_such_shop");

    [Fact]
    public Task MoreThan500CartLinesAreRefused() =>
        Refused(() => _server.ReplyAsync(Reply(r => r.Context = new BuyerContext { Cart = CartOf(501) })), StatusCode.InvalidArgument, "context.cart.lines");

    [Fact]
    public async Task Exactly500CartLinesAreAccepted() =>
        Assert.NotEmpty((await _server.ReplyAsync(Reply(r => r.Context = new BuyerContext { Cart = CartOf(500) }))).Messages);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10000)]
    public Task QuantitiesOutside1To9999AreRefused(int quantity) =>
        Refused(() => _server.ReplyAsync(Reply(r => r.Context = new BuyerContext { Cart = CartOf(1, quantity) })), StatusCode.InvalidArgument, "quantity");

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    [InlineData(1_000_000_001)]
    [InlineData(long.MaxValue)]
    public Task NegativeZeroOrAbsurdPricesAreRefused(long price) =>
        Refused(() => _server.ReplyAsync(Reply(r => r.Context = new BuyerContext { Cart = CartOf(1, 1, price) })), StatusCode.InvalidArgument, "unit_price_minor");

    [Fact]
    public Task NegotiateWithoutAnAskIsRefused() =>
        Refused(() => _server.NegotiateAsync(Negotiate(n => n.ClearAsk())), StatusCode.InvalidArgument, "ask");

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public Task NegotiateTargetsMustBePositive(long target) =>
        Refused(() => _server.NegotiateAsync(Negotiate(n => n.TargetTotalMinor = target)), StatusCode.InvalidArgument, "target_total_minor");

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(-20)]
    public Task NegotiatePercentagesMustBe1To99(int percent) =>
        Refused(() => _server.NegotiateAsync(Negotiate(n => n.DiscountPercent = percent)), StatusCode.InvalidArgument, "discount_percent");

    [Fact]
    public Task NegotiateFreeShippingFalseIsRefused() =>
        Refused(() => _server.NegotiateAsync(Negotiate(n => n.FreeShipping = false)), StatusCode.InvalidArgument, "free_shipping");

    [Fact]
    public Task NegotiateWithoutACartIsRefused() =>
        Refused(() => _server.NegotiateAsync(Negotiate(n => n.Cart = null)), StatusCode.InvalidArgument, "cart");

    [Fact]
    public Task NegotiateWithAnEmptyCartIsRefused() =>
        Refused(() => _server.NegotiateAsync(Negotiate(n => n.Cart = new Cart())), StatusCode.InvalidArgument, "cart.lines");

    [Fact]
    public Task QuoteWithoutACartIsRefused() =>
        Refused(() => _server.CallAsync(_server.Api.QuoteAsync, new QuoteRequest { ShopId = "lamp_shop" }), StatusCode.InvalidArgument, "cart");

    [Fact]
    public Task OutcomeMustBeSet() =>
        Refused(() => _server.CallAsync(_server.Api.RecordOutcomeAsync,
            new RecordOutcomeRequest { ShopId = "lamp_shop", ConversationId = "v1" }), StatusCode.InvalidArgument, "outcome");

    [Fact]
    public Task APaidOutcomeCarriesItsAmount() =>
        Refused(() => _server.CallAsync(_server.Api.RecordOutcomeAsync,
            new RecordOutcomeRequest { ShopId = "lamp_shop", ConversationId = "v1", Outcome = RecordOutcomeRequest.Types.Outcome.Paid }), StatusCode.InvalidArgument, "paid_total_minor");

    [Fact]
    public Task StatsOfAnUnknownShopAreNotFound() =>
        Refused(() => _server.CallAsync(_server.Api.GetStatsAsync, new GetStatsRequest { ShopId = "nope" }), StatusCode.NotFound, "nope");

    [Fact]
    public async Task ARefusedRequestChangesNothing()
    {
        await _server.ReplyAsync(Reply(r => { r.ConversationId = "v-keep"; r.Message = "推荐一款卧室灯"; }));
        await Assert.ThrowsAsync<RpcException>(() => _server.ReplyAsync(Reply(r => { r.ConversationId = "v-keep"; r.Context = new BuyerContext { Cart = CartOf(1, 0) }; })));
        var control = await _server.ReplyAsync(Reply(r => { r.ConversationId = "v-control"; r.Message = "推荐一款卧室灯"; }));
        var after = await _server.ReplyAsync(Reply(r => { r.ConversationId = "v-keep"; r.Message = "北欧风"; }));
        var controlAfter = await _server.ReplyAsync(Reply(r => { r.ConversationId = "v-control"; r.Message = "北欧风"; }));
        Assert.Equal(controlAfter.Messages, after.Messages);
        Assert.Equal(controlAfter.Slots, after.Slots);
        Assert.NotEmpty(control.Messages);
    }
}
