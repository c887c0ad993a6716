using ScriptDsl.Generator.Parsing;

namespace ScriptDsl.Generator.Tests;

/// <summary>Every construct of the language parses into the syntax it means, with positions.</summary>
public class ParserTests
{
    private static FileSyntax ParseFile(string text)
    {
        var outcome = ScriptParser.Parse(text, "scripts/p.csdsl");
        Assert.True(outcome.Error is null, outcome.Error is null ? "" : outcome.Error.Id + " " + outcome.Error.Start + " " + outcome.Error.FormatMessage());
        return outcome.Syntax!;
    }

    private static T Member<T>(string body)
        where T : MemberSyntax =>
        Assert.Single(ParseFile("shop s \"S\" {\n" + body + "\n}").Shops.Single().Members.OfType<T>());

    [Fact]
    public void ShopHeaderWithPositions()
    {
        var shop = ParseFile("// comment\nshop lamp_shop \"明亮灯饰\" {\n}\n").Shops.Single();
        Assert.Equal(("lamp_shop", "明亮灯饰"), (shop.Id.Name, shop.DisplayName.Value));
        Assert.Equal((2, 1), (shop.Pos.Line, shop.Pos.Column));
        Assert.Equal((2, 6), (shop.Id.Pos.Line, shop.Id.Pos.Column));
    }

    [Fact]
    public void Settings()
    {
        var file = ParseFile("shop s \"S\" {\n  currency CNY\n  honorific \"亲\"\n  particles \"呢\" \"哟\" \"哈\"\n  questions_before_recommend 3\n  max_reply_length 80\n}");
        var members = file.Shops[0].Members;
        Assert.Equal("CNY", members.OfType<CurrencySyntax>().Single().Code.Name);
        Assert.Equal("亲", members.OfType<HonorificSyntax>().Single().Text.Value);
        Assert.Equal(["呢", "哟", "哈"], members.OfType<ParticlesSyntax>().Single().Particles.Select(p => p.Value));
        Assert.Equal(["questions_before_recommend:3", "max_reply_length:80"], members.OfType<SettingSyntax>().Select(s => s.Keyword + ":" + s.Value.Text));
    }

    [Theory]
    [InlineData("fact courier: text = \"中通快递\"", "text")]
    [InlineData("fact hours: int = 48", "int")]
    [InlineData("fact floor: money = 599.00", "money")]
    [InlineData("fact ends: date = 2026-12-12", "date")]
    [InlineData("fact vip: bool = true", "bool")]
    public void Facts(string line, string type)
    {
        var fact = Member<FactSyntax>(line);
        Assert.Equal(type, fact.Type.Name);
    }

    [Fact]
    public void DateLiteralIsOneToken()
    {
        var fact = Member<FactSyntax>("fact ends: date = 2026-12-12");
        Assert.True(fact.Value.Number!.IsDate);
        Assert.Equal("2026-12-12", fact.Value.Number.Text);
    }

    [Fact]
    public void ChoiceSlotWithSynonymsAndQuestion()
    {
        var slot = Member<SlotSyntax>("slot style: choice(北欧 | \"北欧风\" | \"ins风\", 中式)\n  ask closed \"什么风格呢?\" | \"喜欢什么风格呢?\"");
        Assert.Equal("choice", slot.Type.Kind);
        Assert.Equal(["北欧", "中式"], slot.Type.Choices.Select(c => c.Value.Name));
        Assert.Equal(["北欧风", "ins风"], slot.Type.Choices[0].Synonyms.Select(s => s.Value));
        Assert.False(slot.Question.Open);
        Assert.Equal(2, slot.Question.Replies.Variants.Count);
    }

    [Theory]
    [InlineData("slot area: number unit \"㎡\" | \"平米\" ask open \"多大面积呢?\"", "number")]
    [InlineData("slot budget: money ask open reply \"预算多少呢?\"", "money")]
    [InlineData("slot order_no: text ask open \"订单号?\"", "text")]
    public void OtherSlotKinds(string line, string kind)
    {
        var slot = Member<SlotSyntax>(line);
        Assert.Equal(kind, slot.Type.Kind);
        Assert.True(slot.Question.Open);
    }

    [Fact]
    public void ConceptWithNestedConceptAndNegation()
    {
        var concept = Member<ConceptSyntax>("concept price = \"贵\" | \"便宜\" | concept money negated by \"不\" | \"没\"");
        Assert.Equal(3, concept.Phrases.Count);
        Assert.Equal("money", concept.Phrases[2].Concept!.Name);
        Assert.Equal(["不", "没"], concept.Negations.Select(n => n.Value));
    }

    [Fact]
    public void Item()
    {
        var item = Member<ItemSyntax>("item kt sku \"KT-880\" name \"客厅灯\" price 699.00 category 客厅 point \"大\"");
        Assert.Equal(("kt", "KT-880", "客厅灯", "699.00", "客厅", "大"), (item.Id.Name, item.Sku.Value, item.Name.Value, item.Price.Text, item.Category.Name, item.Point!.Value));
    }

    [Fact]
    public void StageWithIntentsAskThenNextAndFlags()
    {
        var stage = Member<StageSyntax>("""
            stage consult {
              on start | "在吗" | concept hello
                reply "您好呢" | "在的哈"
              intent recommend on "推荐"
                ask room, style
                then suggest
                flag yellow "注意"
              next farewell
            }
            """);
        Assert.Equal(2, stage.Intents.Count);
        Assert.True(stage.Intents[0].Phrases[0].Start);
        Assert.Equal("hello", stage.Intents[0].Phrases[2].Concept!.Name);
        Assert.Equal(2, stage.Intents[0].Body.Replies!.Variants.Count);
        Assert.Equal("recommend", stage.Intents[1].Name!.Name);
        Assert.Equal(["room", "style"], stage.Intents[1].Body.Ask.Select(a => a.Name));
        Assert.Equal("suggest", stage.Intents[1].Body.Then!.Name);
        Assert.Equal(("yellow", "注意"), (stage.Intents[1].Body.Flags[0].Color.Name, stage.Intents[1].Body.Flags[0].Note.Value));
        Assert.Equal("farewell", Assert.Single(stage.Next).Name);
    }

    [Fact]
    public void RecommendConditionsRespectPrecedence()
    {
        var recommend = Member<RecommendSyntax>("""
            recommend suggest {
              if not a == 1 or b != 2 and (c < 3 or d >= 4) -> x
              if e in (卧室, "客厅", 3) -> y
              if filled -> z
              else -> w
              reply "推荐{{ item.name }}呢"
            }
            """);
        Assert.Equal("suggest", recommend.Name!.Name);
        Assert.Equal(4, recommend.Rules.Count);
        var or = Assert.IsType<OrSyntax>(recommend.Rules[0].When);
        Assert.IsType<NotSyntax>(or.Left);
        var and = Assert.IsType<AndSyntax>(or.Right);
        Assert.IsType<OrSyntax>(and.Right);
        var inSet = Assert.IsType<InSyntax>(recommend.Rules[1].When);
        Assert.Equal(3, inSet.Set.Count);
        Assert.Null(Assert.IsType<CompareSyntax>(recommend.Rules[2].When).Op);
        Assert.Null(recommend.Rules[3].When);
        Assert.Equal("w", recommend.Rules[3].Item.Name);
    }

    [Theory]
    [InlineData("==")]
    [InlineData("!=")]
    [InlineData("<")]
    [InlineData("<=")]
    [InlineData(">")]
    [InlineData(">=")]
    public void ComparisonOperators(string op)
    {
        var recommend = Member<RecommendSyntax>("recommend { if cart.total " + op + " 500.00 -> x reply \"好\" }");
        var compare = Assert.IsType<CompareSyntax>(recommend.Rules[0].When);
        Assert.Equal(op, compare.Op);
        Assert.Equal(["cart", "total"], compare.Left.Path!.Select(p => p.Name));
        Assert.Equal("500.00", compare.Right!.Number!.Text);
    }

    [Fact]
    public void QuickCrossSellObjectionsOrderPaymentFarewellEscalateFallback()
    {
        var file = ParseFile("""
            shop s "S" {
              quick shipping on concept ship reply "包邮哦"
              cross_sell after category 客厅 offer 卧室, 阳台 reply "一起买划算呢"
              objection price on concept price use policy bargain
              objection timing on "再想想" reply "好的呢"
              order on "拍下了" reply "好的" flag red "核对地址"
              payment_reminder within 3 days reply "保留3天哦"
              farewell on "谢谢" reply "应该的"
              escalate to "售后主管" reason "要求人工" on "人工" reply "稍等哦"
              fallback reply "稍等哦"
            }
            """);
        var m = file.Shops[0].Members;
        Assert.Equal("shipping", m.OfType<QuickSyntax>().Single().Name.Name);
        Assert.Equal(["卧室", "阳台"], m.OfType<CrossSellSyntax>().Single().Offer.Select(o => o.Name));
        var objections = m.OfType<ObjectionSyntax>().ToList();
        Assert.Equal(("price", "bargain"), (objections[0].Kind.Name, objections[0].Policy!.Name));
        Assert.Null(objections[1].Policy);
        Assert.Equal("red", m.OfType<OrderSyntax>().Single().Flags.Single().Color.Name);
        Assert.Equal("3", m.OfType<PaymentSyntax>().Single().Days.Text);
        Assert.Single(m.OfType<FarewellSyntax>());
        Assert.Equal(("售后主管", "要求人工"), (m.OfType<EscalateSyntax>().Single().To.Value, m.OfType<EscalateSyntax>().Single().Reason!.Value));
        Assert.Single(m.OfType<FallbackSyntax>());
    }

    [Theory]
    [InlineData("need")]
    [InlineData("budget")]
    [InlineData("authority")]
    [InlineData("price")]
    [InlineData("product")]
    [InlineData("agent")]
    [InlineData("timing")]
    public void SevenObjectionKinds(string kind) =>
        Assert.Equal(kind, Member<ObjectionSyntax>("objection " + kind + " on \"x\" reply \"好的呢\"").Kind.Name);

    [Fact]
    public void ComplaintSteps()
    {
        var complaint = Member<ComplaintSyntax>("""
            complaint on "投诉" {
              confirm reply "是这样吗"
              apologize reply "抱歉"
              collect ask order_no reply "订单号"
              remedy coupon "补偿券" 20.00 reply "补券"
              opinion reply "可以吗"
              follow_up reply "解决了吗"
            }
            """);
        Assert.Equal(["confirm", "apologize", "collect", "remedy", "opinion", "follow_up"], complaint.Steps.Select(s => s.Kind));
        Assert.Equal(("coupon", "补偿券", "20.00"), (complaint.Steps[3].Remedy, complaint.Steps[3].CouponName!.Value, complaint.Steps[3].Amount!.Text));
        Assert.Equal("discount", Member<ComplaintSyntax>("complaint on \"x\" { remedy discount 10% reply \"打九折\" }").Steps[0].Remedy);
        Assert.Equal("thanks", Member<ComplaintSyntax>("complaint on \"x\" { remedy thanks reply \"谢谢\" }").Steps[0].Remedy);
    }

    /// <summary>The policy grammar of docs/design/policy-spec.md (it replaced the sketch's gifts ladder / hold members).</summary>
    [Fact]
    public void PolicySyntax()
    {
        var file = ParseFile("""
            shop lamp_shop "L" { fallback reply "好" }
            policy bargain for lamp_shop {
              use_period 2 years
              max_rounds 5
              floor 90% of list
              floor cart 30.00
              floor sku "KT-880" 540.00
              floor category 客厅 85%
              floor tier returning 80%
              coupon "店铺优惠券" spend 300.00 off 20.00 reply "领券"
              gift "小夜灯" cost 15.00
              gift "阳台灯" cost 39.00 when cart.total >= 500.00 limit 20 per day
              free_shipping grant reply "包邮哦"
              percent_off as any_better
              step value explain reply "价值"
              step principle coupon reply "领券"
              step gifts gift reply "{{ gift.name }}"
              step split split reply "{{ per_day | money }}"
              step counter counter beta 0.3 reply "{{ total | money }}"
              step hold hold reply "真的很抱歉"
              accept reply "好的"
              quote reply "{{ list_total | money }}"
            }
            """);
        var policy = Assert.Single(file.Policies);
        Assert.Equal(("bargain", "lamp_shop"), (policy.Name.Name, policy.Shop.Name));
        Assert.Equal(("2", "years"), (policy.Members.OfType<UsePeriodSyntax>().Single().Amount.Text, policy.Members.OfType<UsePeriodSyntax>().Single().Unit.Name));
        var floors = policy.Members.OfType<FloorSyntax>().ToList();
        Assert.Equal(["list", "cart", "sku", "category", "tier"], floors.Select(f => f.Kind.Name));
        Assert.True(floors[0].Value.Percent);
        Assert.Equal(("KT-880", 8), (floors[2].Key!.Text, floors[2].Key!.Length));
        Assert.Equal("客厅", floors[3].Key!.Text);
        Assert.Equal("5", policy.Members.OfType<MaxRoundsSyntax>().Single().Rounds.Text);
        var coupon = policy.Members.OfType<CouponSyntax>().Single();
        Assert.Equal(("300.00", "20.00", 1), (coupon.Spend.Text, coupon.Off.Text, coupon.Replies!.Variants.Count));
        var gifts = policy.Members.OfType<GiftSyntax>().ToList();
        Assert.Equal(2, gifts.Count);
        Assert.Null(gifts[0].When);
        Assert.NotNull(gifts[1].When);
        Assert.Equal("20", gifts[1].Limit!.Text);
        Assert.True(policy.Members.OfType<FreeShippingSyntax>().Single().Grant);
        Assert.Equal("any_better", policy.Members.OfType<PercentOffSyntax>().Single().Mode.Name);
        var steps = policy.Members.OfType<PolicyStepSyntax>().ToList();
        Assert.Equal(["explain", "coupon", "gift", "split", "counter", "hold"], steps.Select(s => s.Kind.Name));
        Assert.Equal(("beta", "0.3"), (steps[4].Shape!.Name, steps[4].Beta!.Text));
        Assert.Equal(["accept", "quote"], policy.Members.OfType<PolicyReplySyntax>().Select(r => r.Keyword));
    }

    [Fact]
    public void StringEscapesAndRawText()
    {
        var quick = Member<QuickSyntax>("quick q on \"a\" reply \"他说\\\"好\\\"\\n\\\\\"");
        var text = quick.Replies.Variants[0];
        Assert.Equal("他说\"好\"\n\\", text.Value);
        Assert.Equal("他说\\\"好\\\"\\n\\\\", text.Raw);
        Assert.Equal(text.Pos.Column + 1, text.RawStart.Column);
    }

    [Fact]
    public void KeywordsAreReservedOnlyWhereExpected()
    {
        var slot = Member<SlotSyntax>("slot price: money ask open \"预算?\"");
        Assert.Equal("price", slot.Name.Name);
        var quick = Member<QuickSyntax>("quick order on \"or\" reply \"好\"");
        Assert.Equal("order", quick.Name.Name);
    }

    [Fact]
    public void CommentsAndWhitespaceAnywhere()
    {
        var file = ParseFile("shop s \"S\" { // header\n\n  fact a: int = 1 // trailing\n  // whole line\n}// end");
        Assert.Single(file.Shops[0].Members);
    }

    [Fact]
    public void NumbersAreAsciiOnly()
    {
        // Arabic-Indic or full-width digits are not numbers in the language (Parse.Decimal would take them).
        var outcome = ScriptParser.Parse("shop s \"S\" {\n  fact a: int = ٤٨\n}", "scripts/p.csdsl");
        Assert.Equal("SDSL0001", outcome.Error!.Id);
    }
}
