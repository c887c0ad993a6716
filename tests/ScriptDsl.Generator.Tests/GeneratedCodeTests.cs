using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Tests.Infrastructure;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Generator.Tests;

/// <summary>The example scripts: snapshot of the generated C#, compiled with warnings as errors, then executed.</summary>
public class GeneratedCodeTests
{
    public static TheoryData<string> Scripts => new() { "lamp_shop.csdsl", "apparel_shop.csdsl" };

    private static InMemoryText Script(string name) => new("/repo/scripts/" + name, GeneratorHarness.ReadScript(name));

    private static GeneratorRun RunAll() => GeneratorHarness.Run(Script("lamp_shop.csdsl"), Script("apparel_shop.csdsl"));

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ExampleScriptCompilesWithoutAnyDiagnostic(string name)
    {
        var result = GeneratorHarness.Compile(GeneratorHarness.ReadScript(name), "scripts/" + name);
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics.Select(d => d.Id + " " + d.Start + " " + d.FormatMessage())));
        Assert.NotNull(result.Model);
    }

    public static TheoryData<string> GeneratedFiles => new() { "LampShop.scripts_lamp_shop_csdsl.g.cs", "ApparelShop.scripts_apparel_shop_csdsl.g.cs", "ShopCatalog.g.cs" };

    /// <summary>The generated C#, as Snapshooter snapshots under __snapshots__/ (see tests/README.md to review and accept a change).</summary>
    [Theory]
    [MemberData(nameof(GeneratedFiles))]
    public void GeneratedCodeMatchesTheSnapshot(string hint)
    {
        var run = RunAll();
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(GeneratedFiles.Count, run.Sources.Count);
        var source = ShortenClassifierTables(run.Sources[hint].Replace("\r\n", "\n", StringComparison.Ordinal));
        Snapshooter.Xunit.Snapshot.Match(source, new Snapshooter.SnapshotNameExtension(hint));
    }

    /// <summary>
    /// The trained classifier is one base64 literal of hundreds of kilobytes: the baseline keeps its
    /// length and SHA-256 instead, so a change of the tables still changes the snapshot.
    /// </summary>
    private static string ShortenClassifierTables(string source) =>
        System.Text.RegularExpressions.Regex.Replace(source, "(private const string ClassifierTables = )\"([A-Za-z0-9+/=]*)\";", m =>
            m.Groups[1].Value + "/* " + m.Groups[2].Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters, SHA-256 "
            + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(m.Groups[2].Value))).ToLowerInvariant() + " */ \"…\";");

    /// <summary>
    /// The bound model of each example shop (what the emitter turns into C#), as JSON. The trigger
    /// and slot-phrase automata are left out here: their tables are in the generated C# snapshot.
    /// </summary>
    [Theory]
    [MemberData(nameof(Scripts))]
    public void BoundModelMatchesTheSnapshot(string name)
    {
        var model = GeneratorHarness.Compile(GeneratorHarness.ReadScript(name), "scripts/" + name).Model;
        Assert.NotNull(model);
        var none = ScriptDsl.Generator.Infrastructure.EquatableArray<int>.Empty;
        var empty = new ScriptDsl.Generator.Binding.AutomatonModel(string.Empty, none, none, none, none, none, none, none, none, none);
        Snapshooter.Xunit.Snapshot.Match(model! with { TriggerAutomaton = empty, SlotPhraseAutomaton = empty }, new Snapshooter.SnapshotNameExtension(name));
    }

    [Fact]
    public void GeneratedCodeIsTheSameUnderAHostileCulture()
    {
        var expected = RunAll().Sources;
        using (new HostileCulture("tr-TR"))
        {
            var run = RunAll();
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Equal(expected, run.Sources);
        }
    }

    [Fact]
    public void GeneratedCodeCompilesWithWarningsAsErrors()
    {
        var run = RunAll();
        Assert.True(run.CompileDiagnostics.IsEmpty, string.Join("\n", run.CompileDiagnostics));
    }

    [Fact]
    public void LampShopDefinitionBehavesAsTheScriptSays()
    {
        var shop = Load("LampShop");
        Assert.Equal("lamp_shop", shop.Id);
        Assert.Equal("明亮灯饰", shop.DisplayName);
        Assert.Equal("scripts/lamp_shop.csdsl", shop.SourceFile);
        Assert.Equal(64, shop.SourceHash.Length);
        var intents = shop.Intents.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var required in new[] { "greet", "recommend", "shipping", "returns", "price_objection", "need_objection", "budget_objection", "authority_objection", "product_objection", "agent_objection", "timing_objection", "order_placed", "complaint" })
        {
            Assert.Contains(required, intents);
        }

        var price = shop.Intents.Single(i => i.Name == "price_objection");
        Assert.Equal(("bargain", ObjectionKind.Price), (price.Policy, price.Objection));
        Assert.Equal(["bargain"], shop.PolicyNames);

        // The automaton finds trigger phrases in normalized buyer text; payloads index Triggers.
        var hits = shop.Automaton.FindAll(Normalize("能包邮吗?"));
        Assert.Contains(hits, h => shop.Intents[shop.Triggers[h.Payload].Intent].Name == "shipping");
        var slotHits = shop.SlotPhraseAutomaton.FindAll(Normalize("我家是北欧风的卧室"));
        Assert.Contains(slotHits, h => shop.Slots[shop.SlotPhrases[h.Payload].Slot].Name == "style");

        // Recommendation: bedroom + nordic picks the nordic bedroom lamp.
        var scope = Scope(shop, ("room", "卧室"), ("style", "北欧"));
        var stage = shop.Stages.Single(s => s.Kind == StageKind.Recommend);
        var rule = stage.Recommend!.Rules.First(r => r.When is null || r.When(scope));
        Assert.Equal("NB-201", shop.Items[rule.Item].Sku);
        var withItem = new ScriptScope { Shop = shop, Slots = scope.Slots, Item = shop.Items[rule.Item] };
        Assert.Equal("亲, 根据您家北欧的风格, 推荐这款北欧简约卧室吸顶灯呢, 进口光源, 光线柔和护眼哦~", stage.Recommend.Reply.Variants[0].Template.Render(withItem));
        Assert.Equal("给您推荐这款北欧简约卧室吸顶灯, 只要299元哦, 您看下喜不喜欢呢?", stage.Recommend.Reply.Variants[1].Template.Render(withItem));

        // Nothing known: the else rule.
        var empty = Scope(shop);
        Assert.Equal("TY-100", shop.Items[stage.Recommend.Rules.First(r => r.When is null || r.When(empty)).Item].Sku);

        // Facts are inlined; shop.name comes from the definition.
        var greet = shop.Intents.Single(i => i.Name == "greet");
        Assert.True(greet.OnStart);
        Assert.Equal(shop.InitialStage, greet.Stage);
        Assert.Equal("亲, 您好, 欢迎光临明亮灯饰~ :) 请问有什么可以帮您的呢?", greet.Reply!.Variants[0].Template.Render(empty));
        Assert.Equal("greet/2", greet.Reply.Variants[1].Id);
        Assert.Equal("亲, 我们默认发中通快递, 下单后48小时内发货哦~", shop.Intents.Single(i => i.Name == "shipping").Reply!.Variants[0].Template.Render(empty));

        var order = shop.Intents.Single(i => i.Name == "order_placed");
        Assert.Equal("red", Assert.Single(order.Flags).Color);
        Assert.Equal(3, shop.PaymentReminder!.WithinDays);
        Assert.Equal([ComplaintStepKind.Confirm, ComplaintStepKind.Apologize, ComplaintStepKind.Collect, ComplaintStepKind.Remedy, ComplaintStepKind.Opinion, ComplaintStepKind.FollowUp], shop.Complaint!.Steps.Select(s => s.Kind));
        var remedy = shop.Complaint.Steps.Single(s => s.Kind == ComplaintStepKind.Remedy);
        Assert.Equal((RemedyKind.Coupon, 2000L), (remedy.Remedy, remedy.RemedyAmountMinor));
        Assert.Equal("escalate", shop.Intents[shop.Complaint.EscalationIntent].Name);
        Assert.Equal(69900L, shop.Items.Single(i => i.Sku == "KT-880").PriceMinor);
        var cross = Assert.Single(shop.CrossSells);
        Assert.Equal("客厅", cross.AfterCategory);
        Assert.Equal(["卧室", "阳台", "餐厅"], cross.OfferCategories);
    }

    [Fact]
    public void ApparelShopRecommendsASizeByHeightAndWeight()
    {
        var shop = Load("ApparelShop");
        var stage = shop.Stages.Single(s => s.Kind == StageKind.Recommend);
        string Size(decimal height, decimal weight)
        {
            var scope = Scope(shop, ("height", height), ("weight", weight), ("fit", "修身"));
            return shop.Items[stage.Recommend!.Rules.First(r => r.When is null || r.When(scope)).Item].Sku;
        }

        Assert.Equal("TX-S", Size(155, 45));
        Assert.Equal("TX-M", Size(165, 55));
        Assert.Equal("TX-L", Size(170, 65));
        Assert.Equal("TX-XL", Size(182, 80));

        // An unanswered slot is unequal to every value (fit != 宽松 holds) but not comparable (height < 160 does not).
        var noFit = Scope(shop, ("height", 170m), ("weight", 65m));
        Assert.Equal("TX-L", shop.Items[stage.Recommend!.Rules.First(r => r.When is null || r.When(noFit)).Item].Sku);
        var nothing = Scope(shop);
        Assert.Equal("TX-XL", shop.Items[stage.Recommend.Rules.First(r => r.When is null || r.When(nothing)).Item].Sku);
        Assert.Contains("清仓", shop.Intents.Single(i => i.Name == "clearance").Reply!.Variants[0].Template.Render(Scope(shop)), StringComparison.Ordinal);
        Assert.Equal("亲在我们已下了订单^^, 系统会为亲把订单保留3天的时间, 建议亲方便时付下款呵", shop.PaymentReminder!.Reply.Variants[0].Template.Render(Scope(shop)));
    }

    [Fact]
    public void NamesThatClashWithCSharpStillCompile()
    {
        var script = """
            shop facts "关键字店" {
              questions_before_recommend 0
              fact Facts: int = 1
              fact @class: int = 2
              fact value: text = "v"
              slot Choices: choice(Choices, default, 中文) ask closed "哪个?"
              slot @event: choice(Event, @new) ask closed "哪个?"
              slot params: number unit "个" ask open "几个?"
              item @object sku "O" name "o" price 1 category @int
              stage greet {
                on start reply "{{ Facts }} {{ value }}" then recommend
              }
              recommend {
                if Choices == default and Facts == 1 and params > 2 -> @object
                else -> @object
                reply "{{ item.name }}"
              }
              fallback reply "好"
            }
            """.Replace("@", "", StringComparison.Ordinal);
        var run = GeneratorHarness.Run(new InMemoryText("/repo/scripts/facts.csdsl", script));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.CompileDiagnostics.IsEmpty, string.Join("\n", run.CompileDiagnostics));
        var shop = (ShopDefinition)Emit(run.Output).GetType("ScriptDsl.Generated.FactsShop", throwOnError: true)!.GetProperty("Definition")!.GetValue(null)!;
        Assert.Equal("facts", shop.Id);
    }

    [Fact]
    public void CatalogListsEveryShopWithItsHash()
    {
        var assembly = Emit(RunAll().Output);
        var catalog = assembly.GetType("ScriptDsl.Generated.ShopCatalog", throwOnError: true)!;
        var shops = (IReadOnlyList<ShopCatalogEntry>)catalog.GetProperty("Shops")!.GetValue(null)!;
        Assert.Equal(["apparel_shop", "lamp_shop"], shops.Select(s => s.Id));
        var lamp = shops.Single(s => s.Id == "lamp_shop");
        Assert.Equal(Binding.ScriptBinder.Hash(GeneratorHarness.ReadScript("lamp_shop.csdsl")), lamp.SourceHash);
        Assert.Same(lamp.Definition(), lamp.Definition());
    }

    // The runtime's normalizer (the generator project compiles its own copy of the same source).
    private static string Normalize(string text) =>
        (string)typeof(ShopDefinition).Assembly.GetType("ScriptDsl.Text.TextNormalizer", throwOnError: true)!
            .GetMethod("Normalize", [typeof(string)])!.Invoke(null, [text])!;

    private static ShopDefinition Load(string className)
    {
        var assembly = Emit(RunAll().Output);
        var type = assembly.GetType("ScriptDsl.Generated." + className, throwOnError: true)!;
        return (ShopDefinition)type.GetProperty("Definition")!.GetValue(null)!;
    }

    private static Assembly Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        stream.Position = 0;
        return new AssemblyLoadContext("scripts", isCollectible: true).LoadFromStream(stream);
    }

    private static ScriptScope Scope(ShopDefinition shop, params (string Slot, object Value)[] values)
    {
        var slots = shop.Slots.Select(s => SlotValue.Empty(s.Kind)).ToArray();
        foreach (var (name, value) in values)
        {
            var index = shop.Slots.ToList().FindIndex(s => s.Name == name);
            var slot = shop.Slots[index];
            slots[index] = value switch
            {
                string choice => SlotValue.OfChoice(slot.Choices.ToList().FindIndex(c => c.Value == choice), choice),
                decimal number => SlotValue.OfNumber(number, number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException(name),
            };
        }

        return new ScriptScope { Shop = shop, Slots = slots };
    }
}
