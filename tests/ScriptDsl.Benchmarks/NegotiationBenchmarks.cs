using BenchmarkDotNet.Attributes;
using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// Bargaining decisions per second for the lamp shop's policy (seed 000) as compiled from
/// scripts/lamp_shop.csdsl: one decision per invocation, on the seed's 785-yuan cart, at the
/// states the seed dialogue passes through.
/// </summary>
[MemoryDiagnoser]
public class NegotiationBenchmarks
{
    private static readonly ShopDefinition Shop = ScriptDsl.Generated.LampShop.Definition;

    private static readonly PolicyDefinition Lamp = Shop.Policies.Single(p => p.Name == "bargain");

    private static readonly CartView Cart = new([
        new CartLineView("KT-880", "现代客厅吸顶灯", 59900, 1, "客厅"),
        new CartLineView("NB-201", "北欧简约卧室吸顶灯", 18600, 1, "卧室"),
    ]);

    private BargainingState _first = null!;
    private BargainingState _beforeGift = null!;
    private BargainingState _held = null!;

    [GlobalSetup]
    public void Setup()
    {
        _first = BargainingState.Initial;
        var state = _first;
        for (var i = 0; i < 3; i++)
        {
            state = Negotiator.Decide(Lamp, Shop, Cart, BargainAsk.AnyBetter(), state, "").State;
        }

        _beforeGift = state;
        for (var i = 0; i < 4; i++)
        {
            state = Negotiator.Decide(Lamp, Shop, Cart, BargainAsk.AnyBetter(), state, "").State;
        }

        _held = state;
    }

    /// <summary>Round 1: "你家灯怎么这么贵?" → explain value.</summary>
    [Benchmark(Baseline = true)]
    public NegotiationOutcome ExplainValue() => Negotiator.Decide(Lamp, Shop, Cart, BargainAsk.AnyBetter(), _first, "");

    /// <summary>Round 4: "不能再优惠一点吗?" → the night light (gift ladder, floor check, stock).</summary>
    [Benchmark]
    public NegotiationOutcome Gift() => Negotiator.Decide(Lamp, Shop, Cart, BargainAsk.AnyBetter(), _beforeGift, "");

    /// <summary>After the hold: "700行吗?" → hold again.</summary>
    [Benchmark]
    public NegotiationOutcome Hold() => Negotiator.Decide(Lamp, Shop, Cart, BargainAsk.Target(70000), _held, "");

    /// <summary>"一共多少钱?" → the quote with its sentence.</summary>
    [Benchmark]
    public QuoteResult Quote() => Quoter.Quote(Lamp, Shop, Cart, "");
}
