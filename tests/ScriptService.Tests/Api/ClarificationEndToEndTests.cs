using ScriptDsl.Engine;
using ScriptDsl.Protocol.V1;

namespace ScriptService.Tests.Api;

/// <summary>
/// Clarification end to end over gRPC on the compiled lamp shop: a message the classifier finds too
/// close between two intents gets the question 「…是想问X还是Y呢?」, the buyer's 「第一个」 is
/// understood as the first option, and the ambiguous message is listed by <c>ListUnmatched</c>.
/// </summary>
public sealed class ClarificationEndToEndTests : IAsyncLifetime
{
    private ServiceServer _server = null!;

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    /// <summary>
    /// Which message is ambiguous depends on the trained tables, so the test does not hard-code one:
    /// it joins pairs of the shop's own phrasings of two different intents and keeps the first that
    /// the engine (the same code the service runs) answers with a clarification on a second turn.
    /// </summary>
    private static string FindAmbiguousMessage()
    {
        var shop = ScriptDsl.Generated.ShopCatalog.Shops.Single(s => s.Definition().Id == "lamp_shop").Definition();
        var examples = shop.Understanding.Examples;
        var byIntent = examples.GroupBy(e => e.Intent, StringComparer.Ordinal).Select(g => g.Take(6).ToList()).ToList();
        var opened = ConversationEngine.Turn(shop, ConversationState.New(shop.Id, shop.SourceHash), "在吗", ScriptDsl.Engine.BuyerContext.Empty).State;
        for (var a = 0; a < byIntent.Count; a++)
        {
            for (var b = a + 1; b < byIntent.Count; b++)
            {
                foreach (var x in byIntent[a])
                {
                    foreach (var y in byIntent[b])
                    {
                        var message = x.Text + " " + y.Text;
                        var turn = ConversationEngine.Turn(shop, opened, message, ScriptDsl.Engine.BuyerContext.Empty);
                        if (turn.Match == ScriptDsl.Engine.MatchKind.Clarifying)
                        {
                            return message;
                        }
                    }
                }
            }
        }

        throw new InvalidOperationException("No pair of the lamp shop's phrasings is ambiguous to its classifier; the clarification path cannot be reached.");
    }

    [Fact]
    public async Task AnAmbiguousMessageIsClarifiedAndThePickIsUnderstood()
    {
        var message = FindAmbiguousMessage();
        ReplyRequest Say(string text) => new() { ShopId = "lamp_shop", ConversationId = "clarify-1", Message = text };

        await _server.ReplyAsync(Say("在吗"));
        var asked = await _server.ReplyAsync(Say(message));
        Assert.Equal(ScriptDsl.Protocol.V1.MatchKind.MatchClarifying, asked.Match);
        Assert.Equal("clarify", asked.ReplyKind);
        Assert.Equal(2, asked.ClarifyOptions.Count);
        Assert.Contains(asked.Messages, m => m.Text.Contains("还是", StringComparison.Ordinal));

        var picked = await _server.ReplyAsync(Say("第一个"));
        Assert.Equal(ScriptDsl.Protocol.V1.MatchKind.MatchClarified, picked.Match);
        Assert.Equal(asked.ClarifyOptions[0], picked.Intent);

        var unmatched = await _server.CallAsync(_server.Api.ListUnmatchedAsync, new ListUnmatchedRequest { ShopId = "lamp_shop", Limit = 10 });
        var listed = Assert.Single(unmatched.Messages, m => m.Match == ScriptDsl.Protocol.V1.MatchKind.MatchClarifying);
        Assert.Equal(1, listed.Count);
        Assert.Equal(asked.ClarifyOptions, listed.ClarifyOptions);
    }
}
