using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Templates;
using ScriptDsl.Generator.Tests.Infrastructure;
using ScriptDsl.Model;
using ScriptDsl.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>Compile and run: template → C# → Roslyn in memory (nullable, warnings as errors) → rendered text.</summary>
public class TemplateRenderingTests
{
    [Fact]
    public void PlainTextRendersAsIs() =>
        Assert.Equal("亲, 支持七天无理由退换的呢", Render("亲, 支持七天无理由退换的呢", Scope()));

    [Fact]
    public void EmptyTemplateRendersEmpty() =>
        Assert.Equal(string.Empty, Render(string.Empty, Scope()));

    [Fact]
    public void ShopNameIsReadFromTheScope() =>
        Assert.Equal("亲, 您好, 欢迎光临明亮灯饰~ 请问有什么可以帮您的呢?", Render("亲, 您好, 欢迎光临{{ shop.name }}~ 请问有什么可以帮您的呢?", Scope()));

    [Fact]
    public void PolicyReplyOfTheSketchFormatsMoney() =>
        Assert.Equal(
            "帮亲看了一下, 全套一共是785元包邮哦! 保底用2年, 算下来您一天只要花1.08元, 多值啊!",
            Render("帮亲看了一下, 全套一共是{{ total | money }}元包邮哦! 保底用{{ use_period.years }}年, 算下来您一天只要花{{ per_day | money }}元, 多值啊!", Scope(policy: Policy()), TemplateContextKind.Policy));

    [Fact]
    public void FactsAreInlined() =>
        Assert.Equal(
            "亲, 我们默认发中通快递, 下单后48小时内发货哦",
            Render("亲, 我们默认发{{ courier }}, 下单后{{ ship_within_hours }}小时内发货哦", Scope()));

    [Fact]
    public void SlotsRenderTheirTextAndUnfilledSlotsRenderEmpty()
    {
        const string template = "亲, 根据您家{{ style }}的风格";
        Assert.Equal("亲, 根据您家北欧的风格", Render(template, Scope(Slots_(style: "北欧"))));
        Assert.Equal("亲, 根据您家的风格", Render(template, Scope()));
    }
}

public class TemplateRenderingConstructTests
{
    private const string RoomTemplate = "{{ if room == '客厅' }}客厅灯{{ else if room == \\\"卧室\\\" }}卧室灯{{ else }}百搭灯{{ end }}";

    [Theory]
    [InlineData("客厅", "客厅灯")]
    [InlineData("卧室", "卧室灯")]
    [InlineData("书房", "百搭灯")]
    [InlineData(null, "百搭灯")]
    public void IfElseIfElseOnAChoice(string? room, string expected) =>
        Assert.Equal(expected, Render(RoomTemplate, Scope(Slots_(room: room))));

    [Fact]
    public void ChoiceComparisonsUseTheChoiceOrdinal()
    {
        var compiled = Compile(RoomTemplate);
        Assert.Contains("if (s.Slots[0].Choice == 0 /* 客厅 */)", compiled.BodyLines);
    }

    [Theory]
    [InlineData(null, "请问面积多大呢?")]
    [InlineData(25.5, "面积25.5㎡")]
    public void IfOnASlotAloneTestsThatItIsFilled(double? area, string expected) =>
        Assert.Equal(expected, Render("{{ if area }}面积{{ area }}㎡{{ else }}请问面积多大呢?{{ end }}", Scope(Slots_(area: (decimal?)area))));

    [Theory]
    [InlineData("客厅", "北欧", null, "B")]
    [InlineData("卧室", "北欧", null, "A")]
    [InlineData("卧室", "中式", 30.0, "A")]
    [InlineData("卧室", "中式", 20.0, "B")]
    [InlineData(null, null, null, "B")]
    public void NotAndOrParentheses(string? room, string? style, double? area, string expected) =>
        Assert.Equal(expected, Render("{{ if !(room == '客厅') && (style == '北欧' || area > 20) }}A{{ else }}B{{ end }}", Scope(Slots_(room: room, style: style, area: (decimal?)area))));

    [Theory]
    [InlineData(null, "==", "no")]
    [InlineData(null, "!=", "yes")]
    [InlineData(null, "<", "no")]
    [InlineData(null, ">=", "no")]
    [InlineData(20.0, "==", "yes")]
    [InlineData(20.0, "!=", "no")]
    [InlineData(20.0, "<=", "yes")]
    [InlineData(19.5, "<", "yes")]
    [InlineData(20.5, ">", "yes")]
    public void AnUnfilledSlotIsUnequalToEveryNumberAndNeitherSmallerNorLarger(double? area, string op, string expected) =>
        Assert.Equal(expected, Render("{{ if area " + op + " 20 }}yes{{ else }}no{{ end }}", Scope(Slots_(area: (decimal?)area))));

    [Theory]
    [InlineData(12345L, "您的预算是123.45元")]
    [InlineData(100000L, "您的预算是1000元")]
    [InlineData(null, "您的预算是未知元")]
    public void MoneySlotWithMoneyAndDefault(long? budget, string expected) =>
        Assert.Equal(expected, Render("您的预算是{{ budget | money | default '未知' }}元", Scope(Slots_(budget: budget))));

    [Theory]
    [InlineData(50000L, "预算够")]
    [InlineData(40000L, "预算不够")]
    [InlineData(null, "预算不够")]
    public void MoneySlotComparedWithYuan(long? budget, string expected) =>
        Assert.Equal(expected, Render("{{ if budget >= 500 }}预算够{{ else }}预算不够{{ end }}", Scope(Slots_(budget: budget))));

    [Theory]
    [InlineData("王先生", "王先生您好")]
    [InlineData("", "亲您好")]
    [InlineData(null, "亲您好")]
    public void TextSlotWithDefault(string? name, string expected) =>
        Assert.Equal(expected, Render("{{ name | default '亲' }}您好", Scope(Slots_(name: name))));

    [Fact]
    public void TextSlotComparedWithText()
    {
        Assert.Equal("yes", Render("{{ if name == '王' }}yes{{ else }}no{{ end }}", Scope(Slots_(name: "王"))));
        Assert.Equal("no", Render("{{ if name == '王' }}yes{{ else }}no{{ end }}", Scope()));
    }

    [Fact]
    public void ForLoopOverTheCartLines()
    {
        var cart = new CartView([
            new CartLineView("KT-880", "客厅吸顶灯", 59900, 1, "ceiling"),
            new CartLineView("BD-01", "床头灯", 8950, 2, "desk"),
        ]);
        Assert.Equal(
            "客厅吸顶灯x1=599;床头灯x2=179;共3件778元",
            Render("{{ for line in cart.lines }}{{ line.name }}x{{ line.quantity }}={{ line.subtotal | money }};{{ end }}共{{ cart.count }}件{{ cart.total | money }}元", Scope(cart: cart)));
    }

    [Fact]
    public void NestedLoopsGetTheirOwnVariables()
    {
        var cart = new CartView([new CartLineView("A", "甲", 100, 1, "c"), new CartLineView("B", "乙", 250, 1, "c")]);
        Assert.Equal(
            "甲:甲乙|乙:甲乙|",
            Render("{{ for a in cart.lines }}{{ a.name }}:{{ for b in cart.lines }}{{ b.name }}{{ end }}|{{ end }}", Scope(cart: cart)));
    }

    [Fact]
    public void LoopLineMembers()
    {
        var cart = new CartView([new CartLineView("KT-880", "吸顶灯", 59950, 3, "ceiling")]);
        Assert.Equal(
            "KT-880 吸顶灯 599.50 3 ceiling 1798.50",
            Render("{{ for l in cart.lines }}{{ l.sku }} {{ l.name }} {{ l.price | money }} {{ l.quantity }} {{ l.category }} {{ l.subtotal | money }}{{ end }}", Scope(cart: cart)));
    }

    [Fact]
    public void LoopOverAnEmptyCartWritesNothing() =>
        Assert.Equal("[]", Render("[{{ for line in cart.lines }}{{ line.name }}{{ end }}]", Scope()));

    [Fact]
    public void ItemInARecommendation()
    {
        var item = new ItemDefinition("nb201", "NB-201", "北欧简约卧室吸顶灯", 39900, "ceiling", "护眼无频闪");
        Assert.Equal(
            "亲, 根据您家北欧的风格, 推荐这款北欧简约卧室吸顶灯呢, 只要399元, 护眼无频闪 (NB-201, ceiling)",
            Render("亲, 根据您家{{ style }}的风格, 推荐这款{{ item.name }}呢, 只要{{ item.price | money }}元, {{ item.point }} ({{ item.sku }}, {{ item.category }})", Scope(Slots_(style: "北欧"), item: item), TemplateContextKind.Recommend));
    }

    [Fact]
    public void AllPolicyValues() =>
        Assert.Equal(
            "785/899/1.08/215/700/2/2/730/遥控器/25/满减券/1000/50",
            Render(
                "{{ total | money }}/{{ list_total | money }}/{{ per_day | money }}/{{ to_next_coupon | money }}/{{ ask | money }}/{{ round }}/{{ use_period.years }}/{{ use_period.days }}/{{ gift.name }}/{{ gift.cost | money }}/{{ coupon.name }}/{{ coupon.threshold | money }}/{{ coupon.amount | money }}",
                Scope(policy: Policy()),
                TemplateContextKind.Policy));

    [Fact]
    public void PolicyConditions() =>
        Assert.Equal(
            "再买215元可用满减券",
            Render("{{ if to_next_coupon > 0 && round >= 2 }}再买{{ to_next_coupon | money }}元可用{{ coupon.name }}{{ end }}", Scope(policy: Policy()), TemplateContextKind.Policy));

    [Fact]
    public void ShopAndBuyer()
    {
        Assert.Equal("明亮灯饰/lamp_shop/亲/vip", Render("{{ shop.name }}/{{ shop.id }}/{{ shop.honorific }}/{{ buyer.tier }}", Scope(tier: "vip")));
        Assert.Equal("新客", Render("{{ buyer.tier | default '新客' }}", Scope()));
        Assert.Equal("VIP价", Render("{{ if buyer.tier == 'vip' }}VIP价{{ else }}原价{{ end }}", Scope(tier: "vip")));
    }

    [Fact]
    public void ConstantDatesAreFormattedAtCompileTime()
    {
        const string template = "活动{{ promo_end | date \\\"M月d日\\\" }}就结束了, 即{{ promo_end | date 'yyyy-MM-dd' }} ({{ promo_end | date 'yy/M/d' }})";
        Assert.Equal("活动12月12日就结束了, 即2026-12-12 (26/12/12)", Render(template, Scope()));
        Assert.Equal(["w.Append(\"活动12月12日就结束了, 即2026-12-12 (26/12/12)\");"], Compile(template).BodyLines.ToArray());
    }

    [Fact]
    public void ConstantConditionsKeepOnlyTheBranchTaken()
    {
        const string template = "{{ if free_install && ship_within_hours <= 48 }}包安装{{ else }}不包安装{{ end }}, {{ if courier == '顺丰' }}顺丰{{ else if lifetime_hours > 10000 }}长寿{{ else }}普通{{ end }}";
        Assert.Equal("包安装, 长寿", Render(template, Scope()));
        Assert.Equal(["w.Append(\"包安装, 长寿\");"], Compile(template).BodyLines.ToArray());
    }

    [Fact]
    public void AConstantBranchAfterARuntimeOneBecomesTheElse()
    {
        const string template = "{{ if room }}A{{ else if free_install }}B{{ else }}C{{ end }}";
        Assert.Equal("B", Render(template, Scope()));
        Assert.Equal("A", Render(template, Scope(Slots_(room: "客厅"))));
        Assert.DoesNotContain(Compile(template).BodyLines, l => l.Contains("\"C\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ConstantsAndFilters()
    {
        Assert.Equal("599元, 无, 5", Render("{{ base_price | money }}元, {{ empty_note | default '无' }}, {{ 5 }}", Scope()));
        Assert.Equal("true false", Render("{{ free_install }} {{ room == '客厅' }}", Scope()));
    }

    [Fact]
    public void WhitespaceControl() =>
        Assert.Equal("A明亮灯饰B 明亮灯饰", Render("A \n {{- shop.name -}} \n B {{ shop.name }}", Scope()));

    [Fact]
    public void CsdslEscapesInText() =>
        Assert.Equal("他说\"好\"\n明亮灯饰\\", Render("他说\\\"好\\\"\\n{{ shop.name }}\\\\", Scope()));

    [Fact]
    public void LongRepliesOutgrowTheStackBuffer()
    {
        var text = new string('灯', 600);
        Assert.Equal(text + "明亮灯饰" + text, Render(text + "{{ shop.name }}" + text, Scope()));
    }
}

public class TemplateRenderingEdgeTests
{
    [Fact]
    public void SiblingLoopsAtOneLevel()
    {
        var cart = new CartView([new CartLineView("A", "甲", 100, 1, "c"), new CartLineView("B", "乙", 250, 2, "c")]);
        Assert.Equal(
            "甲乙|AB|3",
            Render("{{ for a in cart.lines }}{{ a.name }}{{ end }}|{{ if free_install }}{{ for b in cart.lines }}{{ b.sku }}{{ end }}{{ end }}|{{ for c in cart.lines }}{{ end }}{{ cart.count }}", Scope(cart: cart)));
    }

    [Fact]
    public void FactsRenderTheirTypedConstants()
    {
        var environment = new TemplateEnvironment(
            new EquatableArray<FactSymbol>([
                new FactSymbol("opening", ValueKind.Date, new BoundDateLiteral(2024, 4, 1), "2024-04-01"),
                new FactSymbol("motto", ValueKind.Text, new BoundTextLiteral("光明"), "光明"),
                new FactSymbol("ratio", ValueKind.Number, new BoundNumberLiteral(2.50m), "2.50"),
            ]),
            EquatableArray<SlotSymbol>.Empty,
            TemplateContextKind.Reply);
        var compiled = TemplateCompiler.Compile(new TemplateSource("{{ opening | date 'yyyy/M/d' }} {{ motto }} {{ ratio }}", FilePath, Start), environment);
        Assert.Empty(compiled.Diagnostics);
        var body = TemplateTestCompiler.CompileBody(compiled.BodyLines);
        Assert.Equal("2024/4/1 光明 2.50", new Template("t", body).Render(Scope()));
    }

    [Fact]
    public void SupplementaryPlaneLettersAreNotIdentifiers() =>
        Assert.Equal("SDSL0200", Assert.Single(Compile("{{ \U00020000 }}").Diagnostics).Id);
}
