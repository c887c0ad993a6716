using ScriptDsl.Protocol.V1;
using Grpc.Core;

namespace ScriptService.Tests.Api;

/// <summary>Negotiate and Quote end to end on the lamp shop's compiled policy.</summary>
public sealed class NegotiateApiTests : IAsyncLifetime
{
    private ServiceServer _server = null!;

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    private static Cart LampCart() => new()
    {
        Lines =
        {
            new CartLine { Sku = "KT-880", Name = "现代客厅方形吸顶灯", UnitPriceMinor = 69900, Quantity = 1, Category = "客厅" },
            new CartLine { Sku = "NB-201", Name = "北欧简约卧室吸顶灯", UnitPriceMinor = 29900, Quantity = 1, Category = "卧室" },
        },
    };

    private static NegotiateRequest Ask(string conversation, string requestId = "") =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Cart = LampCart(), AnyBetter = true, RequestId = requestId };

    [Fact]
    public async Task RoundsAdvanceAndTheTotalNeverRises()
    {
        var previous = long.MaxValue;
        for (var round = 1; round <= 8; round++)
        {
            var decision = await _server.NegotiateAsync(Ask("n1"));
            Assert.Equal(round, decision.Round);
            Assert.NotEqual(NegotiateResponse.Types.Decision.Unspecified, decision.Decision);
            Assert.NotEmpty(decision.Messages);
            Assert.True(decision.TotalMinor <= previous, $"round {round}: {decision.TotalMinor} after {previous}");
            previous = decision.TotalMinor;
        }
    }

    [Fact]
    public async Task ManyParallelAsksOnOneConversationNeverGrantAGiftTwice()
    {
        const int asks = 24;
        var decisions = await Task.WhenAll(Enumerable.Range(0, asks).Select(i => _server.NegotiateAsync(Ask("n-parallel", "p" + i))));

        // Taken one at a time: every round number exactly once, and each gift granted in exactly one round.
        Assert.Equal(Enumerable.Range(1, asks), decisions.Select(d => d.Round).Order());
        var grants = decisions.Where(d => d.Decision == NegotiateResponse.Types.Decision.Gift).Select(d => d.Gifts[^1].Name).ToList();
        Assert.Equal(grants.Distinct().Count(), grants.Count);
        var last = decisions.MaxBy(d => d.Round)!;
        Assert.Equal(last.Gifts.Select(g => g.Name).Distinct().Count(), last.Gifts.Count);
    }

    [Fact]
    public async Task ARetriedAskReturnsTheSameDecision()
    {
        var first = await _server.NegotiateAsync(Ask("n2", "same"));
        var again = await _server.NegotiateAsync(Ask("n2", "same"));
        Assert.Equal(first, again);
        Assert.Equal(2, (await _server.NegotiateAsync(Ask("n2", "next"))).Round);
    }

    [Fact]
    public async Task ChatAndNegotiateShareTheBargainingRounds()
    {
        await _server.NegotiateAsync(Ask("n3"));
        var chat = await _server.ReplyAsync(new ReplyRequest
        {
            ShopId = "lamp_shop",
            ConversationId = "n3",
            Message = "不能再优惠一点吗?",
            Context = new BuyerContext { Cart = LampCart() },
        });
        Assert.Equal("price_objection", chat.Intent);
        Assert.Equal(3, (await _server.NegotiateAsync(Ask("n3"))).Round);
    }

    [Fact]
    public async Task AQuoteNamesTheNextCouponAndThePerDayPrice()
    {
        var cart = new Cart { Lines = { new CartLine { Sku = "YT-030", Name = "阳台防水吸顶灯", UnitPriceMinor = 8900, Quantity = 3, Category = "阳台" } } };
        var quote = await _server.CallAsync(_server.Api.QuoteAsync, new QuoteRequest { ShopId = "lamp_shop", Cart = cart });
        Assert.Equal(26700, quote.ListTotalMinor);
        Assert.NotNull(quote.NextCoupon);
        Assert.Equal(quote.NextCoupon.ThresholdMinor - 26700, quote.ToNextCouponMinor);
        Assert.True(quote.PerDayMinor > 0);
    }

    [Fact]
    public async Task AnAbsurdTargetIsRefused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.NegotiateAsync(new NegotiateRequest
        {
            ShopId = "lamp_shop", ConversationId = "n4", Cart = LampCart(), TargetTotalMinor = long.MaxValue,
        }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("target_total_minor", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheBalconyLampsDailyLimitHoldsAcrossConversations()
    {
        // lamp_shop's policy: gift "阳台灯" ... limit 20 per day. 22 buyers bargain to the end.
        var got = await Task.WhenAll(Enumerable.Range(0, 22).Select(async i =>
        {
            for (var round = 0; round < 8; round++)
            {
                var decision = await _server.NegotiateAsync(Ask("limit-" + i));
                if (decision.Gifts.Any(g => g.Name == "阳台灯"))
                {
                    return true;
                }
            }

            return false;
        }));
        Assert.Equal(20, got.Count(g => g));
    }
}
