using BenchmarkDotNet.Attributes;
using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// Bargaining decisions per second for the lamp shop's policy (seed 000): one decision per
/// invocation, on the seed's 785-yuan cart, at the states the seed dialogue passes through.
/// The policy is built by hand the way the generator will emit it (templates as lambdas).
/// </summary>
[MemoryDiagnoser]
public class NegotiationBenchmarks
{
    private static readonly ShopDefinition Shop = new()
    {
        Id = "lamp_shop",
        DisplayName = "明亮灯饰",
        Currency = "CNY",
        Honorific = "亲",
        Particles = ["呢", "哦"],
        SourceFile = "scripts/lamp_shop.csdsl",
        SourceHash = new string('0', 64),
        Facts = [],
        Slots = [],
        Concepts = [],
        Items = [],
        Intents = [],
        Stages = [],
        Triggers = [],
        SlotPhrases = [],
        CrossSells = [],
        Fallback = new ReplyDefinition([]),
        PolicyNames = ["bargain"],
    };

    private static readonly PolicyDefinition Lamp = new(
        name: "bargain",
        shopId: "lamp_shop",
        usePeriodDays: 730,
        floors: new FloorRules(8500, 0, [new SkuFloor("KT-880", 54000)], [], [new TierFloor("returning", 8000)]),
        coupons: [new CouponDefinition("店铺优惠券", 30000, 2000)],
        gifts: [new GiftDefinition("光控智能感应小夜灯", 1500), new GiftDefinition("阳台灯", 3900, MinCartTotalMinor: 50000, DailyLimit: 20)],
        steps: [
            Step("value", StepKind.ExplainValue, (ref TemplateWriter w, ScriptScope s) => w.Append("亲您好, 我们是采用的进口光源, 正常使用寿命20000小时哦, 我们是5年的极有家企业店铺, 一直坚持做品质")),
            Step("stores", StepKind.ExplainValue, (ref TemplateWriter w, ScriptScope s) => w.Append("嗯, 您的意思我明白, 我们很多城市都有自己的专卖店, 网上的价格已经是线下的七折啦!")),
            Step("principle", StepKind.Coupon, (ref TemplateWriter w, ScriptScope s) =>
            {
                w.Append("亲, 您可以领取我们的");
                w.Append(s.Policy!.CouponName);
                w.Append("哦, 价格和优惠都是公司制定的呢, 我们只是小小客服是没有别的优惠权限的呢");
            }),
            Step("gifts", StepKind.Gift, (ref TemplateWriter w, ScriptScope s) =>
            {
                w.Append("亲要不我们给您送一个");
                w.Append(s.Policy!.GiftName);
                w.Append("吧, 价钱上实在不能便宜了, 我也只是打工的客服");
            }),
            Step("split", StepKind.Split, (ref TemplateWriter w, ScriptScope s) =>
            {
                w.Append("这些灯保底用");
                w.AppendInt(s.Policy!.UsePeriodYears);
                w.Append("年, 算下来您一天只要花");
                w.AppendMoney(s.Policy.PerDayMinor);
                w.Append("元, 多值啊!");
            }),
            Step("hold", StepKind.Hold, (ref TemplateWriter w, ScriptScope s) => w.Append("亲, 价格上实在不能便宜了呢, 真的很抱歉没能让您满意")),
        ],
        maxRounds: 6,
        accept: Reply("accept", (ref TemplateWriter w, ScriptScope s) =>
        {
            w.Append("好的亲, 全套");
            w.AppendMoney(s.Policy!.TotalMinor);
            w.Append("元");
        }),
        freeShipping: FreeShippingHandling.Grant,
        freeShippingReply: Reply("free_shipping", (ref TemplateWriter w, ScriptScope s) => w.Append("亲, 我们全场包邮的哦")),
        quote: Reply("quote", (ref TemplateWriter w, ScriptScope s) =>
        {
            w.Append("帮亲看了一下, 全套一共是");
            w.AppendMoney(s.Policy!.ListTotalMinor);
            w.Append("元包邮哦!");
        }));

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

    private static PolicyStep Step(string name, StepKind kind, TemplateBody body) => new(name, kind, Reply(name, body));

    private static ReplyDefinition Reply(string id, TemplateBody body) => new([new ReplyVariant(id + "/1", new Template(id, body), 0)]);
}
