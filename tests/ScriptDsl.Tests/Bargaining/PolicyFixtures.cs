using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Bargaining;

/// <summary>
/// Hand-built compiled policies for the lamp shop (seed 000, "5.客服议价对策") and an apparel shop
/// (seed 001: 满100减20, 礼品要一点点送, "真的很抱歉, 没能让您满意"), written the way the generator
/// will emit them (templates as <see cref="TemplateBody"/> lambdas). The .csdsl text each one stands
/// for is in docs/policies.md. The generator now compiles the scripts' policies; GeneratedPolicyTests
/// checks they decide like these fixtures (the scripts differ where the checker found a problem:
/// the night light needs a 100 cart, and 满200减50 became 满200减40).
/// </summary>
public static class PolicyFixtures
{
    public static readonly ShopDefinition LampShop = Shop("lamp_shop", "明亮灯饰");

    public static readonly ShopDefinition ApparelShop = Shop("apparel_shop", "小鹿衣橱");

    /// <summary>KT-880 现代客厅吸顶灯 599 + NB-201 北欧简约卧室吸顶灯 186 = the seed's 785 yuan.</summary>
    public static CartView LampCart785 => new([
        new CartLineView("KT-880", "现代客厅吸顶灯", 59900, 1, "客厅"),
        new CartLineView("NB-201", "北欧简约卧室吸顶灯", 18600, 1, "卧室"),
    ]);

    /// <summary>
    /// policy bargain for lamp_shop: floor 85% of list, KT-880 at least 540, returning buyers 80%;
    /// 满300减20; night light then balcony lamp (cart ≥ 500, 20 a day); two value steps, the
    /// principle, gifts, the 2-year split, hold; free shipping always.
    /// </summary>
    public static readonly PolicyDefinition Lamp = new(
        name: "bargain",
        shopId: "lamp_shop",
        usePeriodDays: 2 * PolicyDefinition.DaysPerYear,
        floors: new FloorRules(
            PercentOfListBasisPoints: 8500,
            CartMinor: 0,
            Skus: [new SkuFloor("KT-880", 54000)],
            Categories: [],
            Tiers: [new TierFloor("returning", 8000)]),
        coupons: [new CouponDefinition("店铺优惠券", 30000, 2000)],
        gifts: [
            new GiftDefinition("光控智能感应小夜灯", 1500),
            new GiftDefinition("阳台灯", 3900, MinCartTotalMinor: 50000, DailyLimit: 20),
        ],
        steps: [
            new PolicyStep("value", StepKind.ExplainValue, Reply("value",
                "亲您好, 我们是采用的进口光源, 正常使用寿命20000小时哦, 我们是5年的极有家企业店铺, 一直坚持做品质",
                (ref TemplateWriter w, ScriptScope s) => w.Append("亲您好, 我们是采用的进口光源, 正常使用寿命20000小时哦, 我们是5年的极有家企业店铺, 一直坚持做品质"))),
            new PolicyStep("stores", StepKind.ExplainValue, Reply("stores",
                "嗯, 您的意思我明白, 我们很多城市都有自己的专卖店, 欢迎您到实体店来看看, 网上的价格已经是线下的七折啦!",
                (ref TemplateWriter w, ScriptScope s) => w.Append("嗯, 您的意思我明白, 我们很多城市都有自己的专卖店, 欢迎您到实体店来看看, 网上的价格已经是线下的七折啦!"))),
            new PolicyStep("principle", StepKind.Coupon, Reply("principle",
                "亲, 您可以领取我们的{{ coupon.name }}哦, 价格和优惠都是公司制定的呢, 我们只是小小客服是没有别的优惠权限的呢",
                (ref TemplateWriter w, ScriptScope s) =>
                {
                    w.Append("亲, 您可以领取我们的");
                    w.Append(s.Policy!.CouponName);
                    w.Append("哦, 价格和优惠都是公司制定的呢, 我们只是小小客服是没有别的优惠权限的呢");
                })),
            new PolicyStep("gifts", StepKind.Gift, Reply("gifts",
                "亲要不我们给您送一个{{ gift.name }}吧, 价钱上实在不能便宜了, 我也只是打工的客服, 一般只有老客户购买才有送的呢!",
                (ref TemplateWriter w, ScriptScope s) =>
                {
                    w.Append("亲要不我们给您送一个");
                    w.Append(s.Policy!.GiftName);
                    w.Append("吧, 价钱上实在不能便宜了, 我也只是打工的客服, 一般只有老客户购买才有送的呢!");
                })),
            new PolicyStep("split", StepKind.Split, Reply("split",
                "当然可以! 不过您算一下, 这些灯保底用{{ use_period.years }}年, 算下来您一天只要花{{ per_day | money }}元就能让自己家明亮美丽起来, 多值啊!",
                (ref TemplateWriter w, ScriptScope s) =>
                {
                    w.Append("当然可以! 不过您算一下, 这些灯保底用");
                    w.AppendInt(s.Policy!.UsePeriodYears);
                    w.Append("年, 算下来您一天只要花");
                    w.AppendMoney(s.Policy.PerDayMinor);
                    w.Append("元就能让自己家明亮美丽起来, 多值啊!");
                })),
            new PolicyStep("hold", StepKind.Hold, Reply("hold",
                "亲, 价格上实在不能便宜了呢, 我也只是打工的客服, 真的很抱歉没能让您满意",
                (ref TemplateWriter w, ScriptScope s) => w.Append("亲, 价格上实在不能便宜了呢, 我也只是打工的客服, 真的很抱歉没能让您满意"))),
        ],
        maxRounds: 6,
        accept: Reply("accept", "好的亲, 全套{{ total | money }}元, 给您备注好了哦",
            (ref TemplateWriter w, ScriptScope s) =>
            {
                w.Append("好的亲, 全套");
                w.AppendMoney(s.Policy!.TotalMinor);
                w.Append("元, 给您备注好了哦");
            }),
        freeShipping: FreeShippingHandling.Grant,
        freeShippingReply: Reply("free_shipping", "亲, 我们全场都是包邮的哦, 全套{{ total | money }}元包邮",
            (ref TemplateWriter w, ScriptScope s) =>
            {
                w.Append("亲, 我们全场都是包邮的哦, 全套");
                w.AppendMoney(s.Policy!.TotalMinor);
                w.Append("元包邮");
            }),
        percentOff: PercentOffHandling.AsTarget,
        quote: Reply("quote",
            "帮亲看了一下, 全套一共是{{ list_total | money }}元包邮哦!{{ if to_next_coupon > 0 }} 再买{{ to_next_coupon | money }}元就可以用满{{ coupon.threshold | money }}减{{ coupon.amount | money }}的券{{ end }}",
            (ref TemplateWriter w, ScriptScope s) =>
            {
                var p = s.Policy!;
                w.Append("帮亲看了一下, 全套一共是");
                w.AppendMoney(p.ListTotalMinor);
                w.Append("元包邮哦!");
                if (p.ToNextCouponMinor > 0)
                {
                    w.Append(" 再买");
                    w.AppendMoney(p.ToNextCouponMinor);
                    w.Append("元就可以用满");
                    w.AppendMoney(p.CouponThresholdMinor);
                    w.Append("减");
                    w.AppendMoney(p.CouponAmountMinor);
                    w.Append("的券");
                }
            }));

    /// <summary>
    /// policy haggle for apparel_shop: floor 80% of list (returning buyers 75%), clearance (清仓)
    /// lines at least 100% of list, 满100减20, socks then a scrunchie, value, coupon, gifts, a
    /// Boulware counter (β 0.5), hold; "打八折" judged as a target; free shipping is any better.
    /// </summary>
    public static readonly PolicyDefinition Apparel = new(
        name: "haggle",
        shopId: "apparel_shop",
        usePeriodDays: PolicyDefinition.DaysPerYear,
        floors: new FloorRules(
            PercentOfListBasisPoints: 8000,
            CartMinor: 3000,
            Skus: [],
            Categories: [new CategoryFloor("清仓", 10000)],
            Tiers: [new TierFloor("returning", 7500)]),
        coupons: [new CouponDefinition("满100减20", 10000, 2000), new CouponDefinition("满200减50", 20000, 5000)],
        gifts: [
            new GiftDefinition("棉袜一双", 300),
            new GiftDefinition("发圈", 200, MinCartTotalMinor: 15000),
        ],
        steps: [
            new PolicyStep("value", StepKind.ExplainValue, Reply("value",
                "亲, 一分价钱一分货哦, 这款是纯棉面料, 做工您收到就知道了, 也可以先货比三家再来哦",
                (ref TemplateWriter w, ScriptScope s) => w.Append("亲, 一分价钱一分货哦, 这款是纯棉面料, 做工您收到就知道了, 也可以先货比三家再来哦"))),
            new PolicyStep("coupon", StepKind.Coupon, Reply("coupon",
                "亲, 店里现在是{{ coupon.name }}的活动, 价格都是公司定的呢",
                (ref TemplateWriter w, ScriptScope s) =>
                {
                    w.Append("亲, 店里现在是");
                    w.Append(s.Policy!.CouponName);
                    w.Append("的活动, 价格都是公司定的呢");
                })),
            new PolicyStep("gifts", StepKind.Gift, Reply("gifts",
                "亲, 价格是公司定的, 我帮您申请送一个{{ gift.name }}吧",
                (ref TemplateWriter w, ScriptScope s) =>
                {
                    w.Append("亲, 价格是公司定的, 我帮您申请送一个");
                    w.Append(s.Policy!.GiftName);
                    w.Append("吧");
                })),
            new PolicyStep("counter", StepKind.Counter, Reply("counter",
                "亲, 我去跟主管申请了一下, {{ total | money }}元可以吗?",
                (ref TemplateWriter w, ScriptScope s) =>
                {
                    w.Append("亲, 我去跟主管申请了一下, ");
                    w.AppendMoney(s.Policy!.TotalMinor);
                    w.Append("元可以吗?");
                }), Beta: 0.5m),
            new PolicyStep("hold", StepKind.Hold, Reply("hold",
                "真的很抱歉, 没能让您满意, {{ total | money }}元已经是最大的优惠了, 我会争取努力改进",
                (ref TemplateWriter w, ScriptScope s) =>
                {
                    w.Append("真的很抱歉, 没能让您满意, ");
                    w.AppendMoney(s.Policy!.TotalMinor);
                    w.Append("元已经是最大的优惠了, 我会争取努力改进");
                })),
        ],
        maxRounds: 6,
        accept: Reply("accept", "好的亲, {{ total | money }}元给您改价, 拍下后我帮您改哦",
            (ref TemplateWriter w, ScriptScope s) =>
            {
                w.Append("好的亲, ");
                w.AppendMoney(s.Policy!.TotalMinor);
                w.Append("元给您改价, 拍下后我帮您改哦");
            }),
        freeShipping: FreeShippingHandling.AsAnyBetter,
        percentOff: PercentOffHandling.AsTarget);

    /// <summary>A policy with the given floors and steps (default: one linear counter), replies that show the total.</summary>
    public static PolicyDefinition Minimal(FloorRules floors, IReadOnlyList<PolicyStep>? steps = null, int maxRounds = 4, IReadOnlyList<GiftDefinition>? gifts = null, IReadOnlyList<CouponDefinition>? coupons = null) => new(
        name: "minimal",
        shopId: "lamp_shop",
        usePeriodDays: 365,
        floors: floors,
        coupons: coupons ?? [],
        gifts: gifts ?? [],
        steps: steps ?? [new PolicyStep("counter", StepKind.Counter, TotalReply("counter")), new PolicyStep("hold", StepKind.Hold, TotalReply("hold"))],
        maxRounds: maxRounds,
        accept: TotalReply("accept"));

    public static ReplyDefinition TotalReply(string id) =>
        Reply(id, "{{ total | money }}", (ref TemplateWriter w, ScriptScope s) => w.AppendMoney(s.Policy!.TotalMinor));

    public static ReplyDefinition Reply(string id, string source, TemplateBody body) =>
        new([new ReplyVariant(id + "/1", new Template(source, body), 0)]);

    public static ShopDefinition Shop(string id, string name) => new()
    {
        Id = id,
        DisplayName = name,
        Currency = "CNY",
        Honorific = "亲",
        Particles = ["呢", "哦"],
        SourceFile = "scripts/" + id + ".csdsl",
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
        PolicyNames = [id == "lamp_shop" ? "bargain" : "haggle"],
    };
}
