using BenchmarkDotNet.Attributes;
using ScriptDsl.Engine;
using ScriptDsl.Generated;
using ScriptDsl.Model;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// One conversation turn of the compiled lamp_shop, end to end: normalization, slot extraction,
/// matching, the workflow rules and rendering, from the message to the new state.
/// </summary>
[MemoryDiagnoser]
public class TurnBenchmarks
{
    private ShopDefinition _shop = null!;
    private ConversationState _consulting = null!;
    private ConversationState _fresh = null!;
    private BuyerContext _twoLamps = null!;

    [GlobalSetup]
    public void Setup()
    {
        _shop = LampShop.Definition;
        _fresh = ConversationState.New(_shop.Id, _shop.SourceHash);
        _consulting = ConversationEngine.Turn(_shop, _fresh, "在吗", BuyerContext.Empty).State;
        var lines = new[] { "KT-880", "NB-201" }
            .Select(sku => _shop.Items.Single(i => i.Sku == sku))
            .Select(i => new ScriptDsl.Templates.CartLineView(i.Sku, i.Name, i.PriceMinor, 1, i.Category))
            .ToList();
        _twoLamps = new BuyerContext("new", new ScriptDsl.Templates.CartView(lines), new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>The seeds' opening: greet, fill the room from "卧室灯", ask the next question.</summary>
    [Benchmark]
    public TurnResult FirstTurnGreetAndAsk() => ConversationEngine.Turn(_shop, _fresh, "老板,请给我推荐一款卧室灯", BuyerContext.Empty);

    /// <summary>Three slots from one message, then the recommendation rules and the templated reply.</summary>
    [Benchmark]
    public TurnResult SlotsAndRecommendation() => ConversationEngine.Turn(_shop, _consulting, "我家卧室, 北欧风, 喜欢方的, 20平, 推荐一款吧", BuyerContext.Empty);

    /// <summary>
    /// 「900行不行」 on the seed's two-lamp cart: no trigger, so the counter-offer reading, then the
    /// compiled bargaining policy and its reply, with the turn's pricing.
    /// </summary>
    [Benchmark]
    public TurnResult CounterOfferInChat() => ConversationEngine.Turn(_shop, _consulting, "900行不行", _twoLamps);

    /// <summary>A quick phrase in the middle of the conversation.</summary>
    [Benchmark]
    public TurnResult QuickPhrase() => ConversationEngine.Turn(_shop, _consulting, "亲, 发什么快递呀, 几天能到?", BuyerContext.Empty);
}
