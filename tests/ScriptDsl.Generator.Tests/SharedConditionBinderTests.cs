using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Emitting;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Templates;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>
/// One bound tree for conditions: the `when` of a recommend rule, the `when` of a gift and a
/// <c>{{ if }}</c> written alike bind to the same tree (Binding/BoundConditions.cs), and the one
/// emitter writes the same C# for it.
/// </summary>
public class SharedConditionBinderTests
{
    private const string File = "scripts/shared.csdsl";

    // room is slot 0 (客厅, 卧室), budget slot 1 (money), area slot 2 (number); vip a bool fact,
    // hours an int fact, spot a text fact.
    private static string Script(string ruleWhen, string giftWhen, string reply = "{{ item.name }}呢") =>
        "shop t \"T\" {\n"
        + "  questions_before_recommend 0\n"
        + "  fact vip: bool = true\n"
        + "  fact hours: int = 48\n"
        + "  fact spot: text = \"卧室\"\n"
        + "  slot room: choice(客厅, 卧室) ask closed \"哪里呢?\"\n"
        + "  slot budget: money ask open \"预算呢?\"\n"
        + "  slot area: number unit \"平\" ask open \"多大呢?\"\n"
        + "  item a sku \"A-1\" name \"灯\" price 100.00 category 客厅\n"
        + "  stage greet {\n    on start | \"你好\"\n      reply \"您好呢\" then recommend\n  }\n"
        + "  recommend {\n    if " + ruleWhen + " -> a\n    else -> a\n    reply \"" + reply + "\"\n  }\n"
        + "  objection price on \"贵\" use policy p\n"
        + "  fallback reply \"稍等哦\"\n"
        + "}\n"
        + "policy p for t {\n"
        + "  use_period 2 years\n  max_rounds 6\n  floor 80% of list\n"
        + "  gift \"发圈\" cost 2.00 when " + giftWhen + "\n"
        + "  step value explain reply \"亲, 品质很好哦\"\n"
        + "  step gifts gift reply \"送您{{ gift.name }}哦\"\n"
        + "  step hold hold reply \"亲, 真的很抱歉呢\"\n"
        + "  accept reply \"好的亲, {{ total | money }}元\"\n"
        + "}\n";

    private static readonly TemplateEnvironment Environment = new(
        new EquatableArray<FactSymbol>([
            new FactSymbol("vip", ValueKind.Bool, new BoundBoolLiteral(true), "true"),
            new FactSymbol("hours", ValueKind.Int, new BoundWholeLiteral(ValueKind.Int, 48), "48"),
            new FactSymbol("spot", ValueKind.Text, new BoundTextLiteral("卧室"), "卧室"),
        ]),
        new EquatableArray<SlotSymbol>([
            new SlotSymbol("room", ValueKind.Choice, 0, new EquatableArray<string>(["客厅", "卧室"])),
            new SlotSymbol("budget", ValueKind.Money, 1, EquatableArray<string>.Empty),
            new SlotSymbol("area", ValueKind.Number, 2, EquatableArray<string>.Empty),
        ]),
        TemplateContextKind.Reply);

    /// <summary>The condition of the first {{ if }} of <paramref name="raw"/> as TemplateBinder binds it, and the diagnostics.</summary>
    private static (BoundCondition? Condition, List<DiagnosticInfo> Diagnostics) BindIf(string raw)
    {
        var text = TemplateText.Decode(new TemplateSource(raw, File, new SourcePosition(0, 1, 1)));
        var syntax = ScribanReader.Read(text);
        var nodes = TemplateBinder.Bind(text, Environment, syntax, new List<TemplateNameUse>());
        var condition = nodes.OfType<BoundIf>().FirstOrDefault()?.Branches[0].Condition;
        return (condition, text.Diagnostics);
    }

    private static (BoundCondition Rule, BoundCondition Gift, ShopModel Model) BindRuleAndGift(string when)
    {
        var result = GeneratorHarness.Compile(Script(when, when), File);
        Assert.True(result.Model is not null, string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.FormatMessage())));
        var model = result.Model!;
        var rule = model.Stages.Single(s => s.IsRecommend).Recommend!.Rules[0];
        var gift = model.Policies.Single().Gifts.Single();
        return (model.Conditions[rule.Condition].Condition, model.Conditions[gift.Condition].Condition, model);
    }

    [Fact]
    public void TheSameConditionInARuleAGiftAndAnIfBindsToTheSameTree()
    {
        var (rule, gift, _) = BindRuleAndGift("room == 卧室 and budget >= 500");
        var (template, diagnostics) = BindIf("{{ if room == '卧室' && budget >= 500 }}好{{ end }}");
        Assert.Empty(diagnostics);

        var expected = new BoundAnd(
            new BoundComparison(new BoundSlot(0, "room", ValueKind.Choice), "==", new BoundChoiceLiteral(1, "卧室")),
            new BoundComparison(new BoundSlot(1, "budget", ValueKind.Money), ">=", new BoundWholeLiteral(ValueKind.Money, 50000)));
        Assert.Equal(expected, rule);
        Assert.Equal(expected, gift);
        Assert.Equal(expected, template);
    }

    [Theory]
    [InlineData("not room == 客厅 or budget < 99.99", "!(room == '客厅') || budget < 99.99")]
    [InlineData("vip and budget != 0", "vip && budget != 0")]
    [InlineData("room != 卧室", "room != '卧室'")]
    [InlineData("budget", "budget")]
    public void EachFormBindsAlikeInAllThreePlaces(string when, string ifCondition)
    {
        var (rule, gift, _) = BindRuleAndGift(when);
        var (template, diagnostics) = BindIf("{{ if " + ifCondition + " }}好{{ end }}");
        Assert.Empty(diagnostics);
        Assert.Equal(rule, gift);
        Assert.Equal(rule, template);
    }

    /// <summary>
    /// The kinds that compare are the same in every syntax (BoundConditions.Comparable): a whole
    /// number with a number, a text with a choice (a known text becomes that choice).
    /// </summary>
    [Fact]
    public void AWholeNumberComparesWithANumberAndATextWithAChoiceInAllThreePlaces()
    {
        var (rule, gift, _) = BindRuleAndGift("area > hours and spot == room");
        var (template, diagnostics) = BindIf("{{ if area > hours && spot == room }}好{{ end }}");
        Assert.Empty(diagnostics);

        var expected = new BoundAnd(
            new BoundComparison(new BoundSlot(2, "area", ValueKind.Number), ">", new BoundFact("hours", ValueKind.Int, new BoundWholeLiteral(ValueKind.Int, 48))),
            new BoundComparison(new BoundChoiceLiteral(1, "卧室"), "==", new BoundSlot(0, "room", ValueKind.Choice)));
        Assert.Equal(expected, rule);
        Assert.Equal(expected, gift);
        Assert.Equal(expected, template);
    }

    [Fact]
    public void MoneyAndAWholeNumberDoNotCompareInAnyOfTheThreePlaces()
    {
        var script = GeneratorHarness.Compile(Script("budget > hours", "budget > hours"), File);
        Assert.Equal(2, script.Diagnostics.Count(d => d.Id == "SDSL0113"));
        var (_, diagnostics) = BindIf("{{ if budget > hours }}好{{ end }}");
        Assert.Equal("SDSL0113", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void TheOneEmitterWritesTheSameCSharpForTheRuleMethodAndTheTemplateIf()
    {
        var when = "room == 卧室 and budget >= 500";
        var result = GeneratorHarness.Compile(Script(when, when, reply: "{{ if room == '卧室' && budget >= 500 }}{{ item.name }}呢{{ else }}好呢{{ end }}"), File);
        Assert.True(result.Model is not null, string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.FormatMessage())));
        var model = result.Model!;
        var rule = model.Stages.Single(s => s.IsRecommend).Recommend!;
        var condition = model.Conditions[rule.Rules[0].Condition].Condition;
        var code = ConditionEmitter.Condition(condition, inlineFacts: false);
        Assert.Equal("((s.Slots[0].Choice == 1 /* 卧室 */) && (s.Slots[1].IsFilled && s.Slots[1].Money >= 50000L))", code);

        var template = model.Templates[rule.Reply.Variants[0].Template];
        Assert.Equal("if " + code, TemplateEmitter.Emit(template.Body)[0]);
        var source = Emitting.ScriptEmitter.EmitShop(model);
        Assert.Contains("Condition0(global::ScriptDsl.Templates.ScriptScope s) => " + code + ";", source, StringComparison.Ordinal);
    }

    /// <summary>
    /// One condition binder: the same mistake written in a recommend rule, a gift <c>when</c> and an
    /// <c>{{ if }}</c> of a reply (the script's syntax twice, Scriban's once) is one diagnostic ID
    /// with one message, each at the line and column of the mistake in the .csdsl file. The reply
    /// starts with escaped quotes, so the template's column is mapped through the escapes.
    /// </summary>
    [Theory]
    [InlineData("SDSL0103", "rooom == 卧室", "rooom == '卧室'", "rooom", "rooom", "did you mean 'room'")]
    [InlineData("SDSL0113", "budget > hours", "budget > hours", "budget", "budget", "'budget' (a money slot) with 'hours' (an int) using '>'")]
    [InlineData("SDSL0112", "room == \"厨房\"", "room == '厨房'", "\"厨房", "'厨房", "'厨房' is not one of the choices of slot 'room' (客厅, 卧室)")]
    [InlineData("SDSL0112", "room == 厨房", "room == '厨房'", "厨房", "'厨房", "'厨房' is not one of the choices of slot 'room' (客厅, 卧室)")]
    [InlineData("SDSL0112", "room == \"厨房\"", "room == hall", "\"厨房", "hall", "'厨房' is not one of the choices of slot 'room' (客厅, 卧室)")]
    [InlineData("SDSL0210", "room > \"客厅\"", "room > '客厅'", ">", ">", "Operator '>' needs an int, money, number or date, but 'room' is a choice slot")]
    [InlineData("SDSL0219", "hours", "hours", "hours", "hours", "'hours' is an int, not a condition")]
    [InlineData("SDSL0004", "budget > 1.005", "budget > 1.005", "1.005", "1.005", "Money '1.005' has more than two decimals")]
    [InlineData("SDSL0222", "budget > 100000000000000000", "budget > 100000000000000000", "100000000000000000", "100000000000000000", "it is too large for money")]
    public void TheSameMistakeIsOneIdAndOneMessageInARuleAGiftAndAnIfAtItsPlace(string id, string when, string ifCondition, string ruleToken, string ifToken, string expected)
    {
        var reply = "\\\"好\\\"{{ if " + ifCondition + " }}{{ item.name }}{{ end }}呢";
        var script = Script(when, when, reply)
            .Replace("  fact spot: text", "  fact hall: text = \"厨房\"\n  fact spot: text", StringComparison.Ordinal);
        var result = GeneratorHarness.Compile(script, File);
        var found = result.Diagnostics.Where(d => d.Id == id).OrderBy(d => d.Start.Offset).ToList();
        Assert.True(found.Count == 3, string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.Start.Line + ":" + d.Start.Column + " " + d.FormatMessage())));
        // No other error (a gift whose condition failed may add a policy warning, SDSL0303).
        Assert.All(result.Diagnostics.Where(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error), d => Assert.Equal(id, d.Id));

        var lines = script.Split('\n');
        var ruleLine = Array.FindIndex(lines, l => l.StartsWith("    if ", StringComparison.Ordinal));
        var ifLine = Array.FindIndex(lines, l => l.Contains("{{ if ", StringComparison.Ordinal));
        var giftLine = Array.FindIndex(lines, l => l.StartsWith("  gift ", StringComparison.Ordinal));
        var expectedPlaces = new[]
        {
            (ruleLine + 1, lines[ruleLine].IndexOf(ruleToken, "    if ".Length, StringComparison.Ordinal) + 1),
            (ifLine + 1, lines[ifLine].IndexOf(ifToken, lines[ifLine].IndexOf("{{ if ", StringComparison.Ordinal), StringComparison.Ordinal) + 1),
            (giftLine + 1, lines[giftLine].IndexOf(ruleToken, lines[giftLine].IndexOf(" when ", StringComparison.Ordinal), StringComparison.Ordinal) + 1),
        };
        Assert.Equal(expectedPlaces, found.Select(d => (d.Start.Line, d.Start.Column)).ToArray());
        Assert.All(found, d => Assert.Equal(File, d.FilePath));

        var messages = found.Select(d => d.FormatMessage()).Distinct().ToList();
        Assert.True(messages.Count == 1, string.Join("\n", messages));
        Assert.Contains(expected, messages[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspelledNameIsReportedAtTheNameWithTheSameSuggestionInAllThreePlaces()
    {
        var script = Script("rooom == 卧室", "rooom == 卧室");
        var result = GeneratorHarness.Compile(script, File);
        var unknown = result.Diagnostics.Where(d => d.Id == DiagnosticDescriptors.UnknownName.Id).ToList();
        Assert.Equal(2, unknown.Count);
        var ruleLine = script.Split('\n').ToList().FindIndex(l => l.Contains("if rooom", StringComparison.Ordinal)) + 1;
        var giftLine = script.Split('\n').ToList().FindIndex(l => l.Contains("when rooom", StringComparison.Ordinal)) + 1;
        Assert.Equal([ruleLine, giftLine], unknown.Select(d => d.Start.Line));
        Assert.Equal("    if ".Length + 1, unknown[0].Start.Column);
        Assert.Equal("  gift \"发圈\" cost 2.00 when ".Length + 1, unknown[1].Start.Column);
        Assert.All(unknown, d => Assert.Contains("did you mean 'room'", d.FormatMessage(), StringComparison.Ordinal));
        Assert.Equal(unknown[0].FormatMessage(), unknown[1].FormatMessage());

        var (_, diagnostics) = BindIf("{{ if rooom == \"卧室\" }}好{{ end }}");
        var inTemplate = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticDescriptors.UnknownName.Id, inTemplate.Id);
        Assert.Equal("{{ if ".Length + 1, inTemplate.Start.Column);
        Assert.Equal(unknown[0].FormatMessage(), inTemplate.FormatMessage());
    }

    [Fact]
    public void OrderingAChoiceIsAnErrorInAllThreePlaces()
    {
        var result = GeneratorHarness.Compile(Script("room > 客厅", "room > 客厅"), File);
        Assert.Null(result.Model);
        var ordering = result.Diagnostics.Where(d => d.Id == DiagnosticDescriptors.OrderingOnUnorderedKind.Id).ToList();
        Assert.Equal(2, ordering.Count);
        Assert.All(ordering, d => Assert.Contains("Operator '>' needs an int, money, number or date", d.FormatMessage(), StringComparison.Ordinal));

        var (_, diagnostics) = BindIf("{{ if room > \"客厅\" }}好{{ end }}");
        Assert.Equal(DiagnosticDescriptors.OrderingOnUnorderedKind.Id, Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void AMisspelledBuiltInValueSuggestsTheMemberInARuleAndAnIf()
    {
        var result = GeneratorHarness.Compile(Script("cart_total > 5", "cart_total > 5"), File);
        var unknown = result.Diagnostics.Where(d => d.Id == DiagnosticDescriptors.UnknownName.Id).ToList();
        Assert.Equal(2, unknown.Count);
        Assert.All(unknown, d => Assert.Contains("did you mean 'cart.total'", d.FormatMessage(), StringComparison.Ordinal));

        var (_, diagnostics) = BindIf("{{ if cart_total > 5 }}好{{ end }}");
        Assert.Equal(unknown[0].FormatMessage(), Assert.Single(diagnostics).FormatMessage());
    }

    /// <summary>
    /// A member is resolved by the same binder: an unknown one is SDSL0202 in a rule and in an
    /// {{ if }}; what the message lists is what exists in that place (a rule reads no cart lines).
    /// </summary>
    [Fact]
    public void AnUnknownMemberIsTheSameIdInARuleAndAnIf()
    {
        var result = GeneratorHarness.Compile(Script("cart.totl > 5", "cart.totl > 5"), File);
        var members = result.Diagnostics.Where(d => d.Id == DiagnosticDescriptors.UnknownMember.Id).ToList();
        Assert.Equal(2, members.Count);
        Assert.All(members, d => Assert.Contains("did you mean 'cart.total'? The members of 'cart' are: total, count", d.FormatMessage(), StringComparison.Ordinal));
        Assert.Equal("    if cart.".Length + 1, members[0].Start.Column);

        var (_, diagnostics) = BindIf("{{ if cart.totl > 5 }}好{{ end }}");
        var inTemplate = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticDescriptors.UnknownMember.Id, inTemplate.Id);
        Assert.Equal("{{ if cart.".Length + 1, inTemplate.Start.Column);
        Assert.Contains("did you mean 'cart.total'? The members of 'cart' are: total, count, lines", inTemplate.FormatMessage(), StringComparison.Ordinal);
    }
}
