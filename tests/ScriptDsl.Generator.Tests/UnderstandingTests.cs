using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Parsing;
using ScriptDsl.Generator.Tests.Infrastructure;
using ScriptDsl.Model;

namespace ScriptDsl.Generator.Tests;

/// <summary>
/// Understanding buyers in the language (docs/design/understanding-spec.md §1-3): examples, labels,
/// like, the standard library, thresholds, units, expect, quote and close — parsed, bound, trained
/// at build time and emitted.
/// </summary>
public class UnderstandingTests
{
    private const string File = "scripts/nlu.csdsl";

    /// <summary>A small library the tests control, so the expectations do not move when the real library grows.</summary>
    internal static readonly InMemoryText TestLibrary = new("/repo/standard/basics.csdsl", """
        library basics "测试标准问法" {
          intent greet label "打招呼"
            examples "在吗" | "你好" | "有人吗" | "老板在吗"
          intent shipping label "发货时间"
            examples "什么时候发货" | "几天能到" | "发什么快递" | "多久能收到"
          intent price label "价格优惠"
            examples "能便宜点吗" | "打个折呗" | "有优惠吗" | "少点吧"
          intent returns label "退换货"
            examples "可以退货吗" | "能换吗" | "不合适能退吗"
        }
        """);

    private static string Shop(string body) =>
        "shop t \"T\" {\n  use standard basics\n  stage greet {\n    on start | \"你好\"\n      reply \"您好呢\"\n  }\n" + body + "\n  fallback reply \"稍等哦\"\n}\n";

    private static ShopOutput Compile(string text) => GeneratorHarness.CompileWithLibraries(text, File, TestLibrary);

    private static string Describe(IEnumerable<Diagnostics.DiagnosticInfo> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => d.Id + " " + d.Start.Line + ":" + d.Start.Column + " " + d.FormatMessage()));

    // The runtime's and the generator's copies of the shared source have the same type names: reach the runtime's by reflection.
    private static readonly Assembly Runtime = typeof(ShopDefinition).Assembly;

    private static string Normalize(string text) =>
        (string)Runtime.GetType("ScriptDsl.Text.TextNormalizer", throwOnError: true)!.GetMethod("Normalize", [typeof(string)])!.Invoke(null, [text])!;

    private static dynamic RuntimeClassifier(string tables)
    {
        var deserialized = Runtime.GetType("ScriptDsl.Understanding.ClassifierTables", throwOnError: true)!.GetMethod("Deserialize")!.Invoke(null, [tables])!;
        return Activator.CreateInstance(Runtime.GetType("ScriptDsl.Understanding.IntentClassifier", throwOnError: true)!, deserialized)!;
    }

    private static string Best(dynamic classifier, string message)
    {
        var result = classifier.Classify(Normalize(message));
        IReadOnlyList<string> intents = classifier.Intents;
        return intents[(int)result.Best];
    }

    private static IEnumerable<Diagnostics.DiagnosticInfo> All(ShopOutput output) => output.Compilation.Diagnostics.Concat(output.Diagnostics);

    // ------------------------------------------------------------------ syntax

    [Fact]
    public void EveryRuleChosenByTheBuyerTakesExamplesLabelAndLike()
    {
        var text = """
            shop t "T" {
              use standard presale
              understanding { threshold 0.6 margin 0.2 }
              slot weight: number unit "kg" | "公斤"
                ask open "体重多少呢?"
              unit "斤" = 0.5 kg
              stage greet {
                on start | "你好" examples "哈喽" | "有人吗" label "打招呼"
                  reply "您好呢"
                intent ask_size like size examples "穿多大" reply "好的呢"
              }
              quick shipping label "发货" examples "几天到" | "啥时候发" reply "好的呢"
              objection price like price on "贵" examples "打个折呗" reply "好的呢"
              order on "拍下了" examples "付好了" reply "好的呢"
              farewell examples "拜拜啦" reply "再见哦"
              complaint on "坏了" examples "不亮了怎么办" {
                confirm reply "是吗"
                apologize reply "抱歉"
                remedy thanks reply "谢谢"
              }
              escalate to "主管" examples "找人工" reply "好的呢"
              quote on "一共多少钱" examples "算一下" use policy p
              close on "就这个吧" examples "买了" label "确定购买" reply "好的, 一共{{ total | money }}元哦"
              expect "几天能到啊" -> shipping
              fallback reply "稍等哦"
            }
            """;
        var parsed = ScriptParser.Parse(text, File);
        Assert.True(parsed.Syntax is not null, Describe(parsed.Errors));
        var shop = Assert.Single(parsed.Syntax!.Shops);
        var stage = shop.Members.OfType<StageSyntax>().Single();
        Assert.Equal(["哈喽", "有人吗"], stage.Intents[0].Understand.Single(u => u.Keyword == "examples").Examples.Select(e => e.Value));
        Assert.Equal("打招呼", stage.Intents[0].Understand.Single(u => u.Keyword == "label").Label!.Value);
        Assert.Equal("size", stage.Intents[1].Understand.Single(u => u.Keyword == "like").Like!.Name);
        Assert.Empty(stage.Intents[1].Phrases);
        Assert.Equal("发货", shop.Members.OfType<QuickSyntax>().Single().Understand.Single(u => u.Keyword == "label").Label!.Value);
        var price = shop.Members.OfType<ObjectionSyntax>().Single();
        Assert.Equal(("price", "贵", "打个折呗"), (price.Understand[0].Like!.Name, price.Phrases.Single().Text!.Value, price.Understand[1].Examples.Single().Value));
        Assert.Single(shop.Members.OfType<OrderSyntax>().Single().Understand);
        Assert.Empty(shop.Members.OfType<FarewellSyntax>().Single().Phrases);
        Assert.Single(shop.Members.OfType<ComplaintSyntax>().Single().Understand);
        Assert.Single(shop.Members.OfType<EscalateSyntax>().Single().Understand);
        Assert.Equal("p", shop.Members.OfType<QuoteSyntax>().Single().Policy.Name);
        Assert.Equal(2, shop.Members.OfType<CloseSyntax>().Single().Understand.Count);
        Assert.Equal("basics", ScriptParser.Parse(TestLibrary.Text, TestLibrary.Path).Syntax!.Libraries.Single().Name.Name);
        var settings = shop.Members.OfType<UnderstandingSyntax>().Single().Settings;
        Assert.Equal([("threshold", "0.6"), ("margin", "0.2")], settings.Select(s => (s.Keyword.Name, s.Value.Text)));
        var unit = shop.Members.OfType<UnitSyntax>().Single();
        Assert.Equal(("斤", "0.5", "kg"), (unit.Word.Value, unit.Factor.Text, unit.Unit.Name));
        var expect = shop.Members.OfType<ExpectSyntax>().Single();
        Assert.Equal(("几天能到啊", "shipping", 24), (expect.Text.Value, expect.Intent.Name, expect.Pos.Line));
    }

    [Fact]
    public void ALibraryFileIsNoShop()
    {
        var compilation = GeneratorHarness.Compile(TestLibrary.Text, TestLibrary.Path);
        Assert.Empty(compilation.Diagnostics);
        Assert.Null(compilation.Model);
        var library = LibraryCompiler.Compile(new ScriptFile(TestLibrary.Path, TestLibrary.Text));
        Assert.Empty(library.Diagnostics);
        var model = Assert.Single(library.Libraries);
        Assert.Equal(["greet", "shipping", "price", "returns"], model.Intents.Select(i => i.Name));
        Assert.Equal(("发货时间", 4), (model.Intents[1].Label, model.Intents[1].Examples.Count));
    }

    [Fact]
    public void TheRepositorysStandardLibraryHasEveryStandardIntent()
    {
        var libraries = GeneratorHarness.StandardLibrary().Select(f => LibraryCompiler.Compile(new ScriptFile(f.Path, f.Text))).ToList();
        Assert.All(libraries, l => Assert.Empty(l.Diagnostics));
        Assert.All(GeneratorHarness.StandardLibrary(), f => Assert.Empty(GeneratorHarness.Compile(f.Text, f.Path).Diagnostics));
        var names = libraries.SelectMany(l => l.Libraries).SelectMany(l => l.Intents).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var standard in new[] { "greet", "recommend", "shipping", "returns", "payment", "size", "quote", "close", "price", "need", "budget", "authority", "product", "agent", "timing", "order", "complaint", "escalate", "farewell" })
        {
            Assert.Contains(standard, names);
        }

        Assert.All(libraries.SelectMany(l => l.Libraries).SelectMany(l => l.Intents), i => Assert.True(i.Label.Length > 0 && i.Examples.Count >= 4, i.Name));
    }

    // ------------------------------------------------------------------ binding and training

    [Fact]
    public void RulesMapOntoStandardIntentsByNameOrLikeAndLearnTheirExamples()
    {
        var output = Compile(Shop("""
              quick shipping on "包邮" reply "包邮哦"
              objection price on "贵" examples "最低多少" reply "好的呢"
              quick refund like returns label "退款" reply "可以哦"
              quick other on "发票" reply "有的哦"
            """));
        Assert.True(output.Understanding is not null, Describe(All(output)));
        var model = output.Compilation.Model!;
        var labels = model.Intents.Select((i, n) => (i.Name, output.Understanding!.Intents[n].Label, output.Understanding.Intents[n].Standard)).ToList();
        Assert.Equal(
            [("greet", "打招呼", "greet"), ("shipping", "发货时间", "shipping"), ("price_objection", "价格优惠", "price"), ("refund", "退款", "returns"), ("other", "other", "")],
            labels);
        var examples = output.Understanding!.Examples;
        // The shop's own phrases weigh more than the library's.
        Assert.Contains(examples, e => e is { Intent: "price_objection", Text: "最低多少", Weight: UnderstandingCompiler.OwnWeight });
        Assert.Contains(examples, e => e is { Intent: "price_objection", Text: "贵", Weight: UnderstandingCompiler.OwnWeight });
        Assert.Contains(examples, e => e is { Intent: "price_objection", Text: "打个折呗", Weight: UnderstandingCompiler.StandardWeight });
        Assert.Contains(examples, e => e is { Intent: "refund", Text: "可以退货吗" });
        Assert.DoesNotContain(examples, e => e.Intent == "other" && e.Text != "发票");

        // The runtime reads what the generator wrote.
        var classifier = RuntimeClassifier(output.Understanding.Tables);
        Assert.Equal(["greet", "shipping", "price_objection", "refund", "other"], (IReadOnlyList<string>)classifier.Intents);
        Assert.Equal("price_objection", Best(classifier, "打个折呗"));
        Assert.Equal("shipping", Best(classifier, "几天能到啊"));
    }

    [Fact]
    public void NegatedMentionsTrainAClassThatIsNoIntent()
    {
        var output = Compile(Shop("""
              concept price = "贵" | "便宜" negated by "不"
              objection price on concept price reply "好的呢"
              quick shipping on "包邮" reply "包邮哦"
              expect "不贵" -> price
            """));
        var miss = Assert.Single(All(output));
        Assert.Equal("SDSL1006", miss.Id);
        Assert.Contains("a negated mention", miss.FormatMessage(), StringComparison.Ordinal);
        var classifier = RuntimeClassifier(output.Understanding!.Tables);
        Assert.Equal(UnderstandingCompiler.NegatedClass, ((IReadOnlyList<string>)classifier.Intents)[^1]);
        Assert.Equal(UnderstandingCompiler.NegatedClass, Best(classifier, "不便宜"));
        Assert.Equal("price_objection", Best(classifier, "打个折呗"));
        // The shop's examples list is its intents' phrasings only.
        Assert.DoesNotContain(output.Understanding.Examples, e => e.Intent == UnderstandingCompiler.NegatedClass);
    }

    [Fact]
    public void TrainingIsDeterministic()
    {
        var lamp = GeneratorHarness.ReadScript("lamp_shop.csdsl");
        var a = GeneratorHarness.CompileWithLibraries(lamp, "scripts/lamp_shop.csdsl");
        var b = GeneratorHarness.CompileWithLibraries(lamp, "scripts/lamp_shop.csdsl");
        Assert.NotNull(a.Understanding);
        Assert.Equal(a.Understanding!.Tables, b.Understanding!.Tables);
        Assert.Equal(a, b);
    }

    [Fact]
    public void ShopWithoutExamplesOrTriggersGetsNoClassifier()
    {
        var output = GeneratorHarness.CompileWithLibraries("shop t \"T\" {\n  fallback reply \"稍等哦\"\n}\n", File, TestLibrary);
        Assert.NotNull(output.Understanding);
        Assert.Equal("", output.Understanding!.Tables);
        var run = GeneratorHarness.Run(new InMemoryText("/repo/" + File, "shop t \"T\" {\n  fallback reply \"稍等哦\"\n}\n"), TestLibrary);
        Assert.DoesNotContain("Understanding =", run.Sources.Single(s => s.Key.StartsWith("T.", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void UnitsReachTheSlotsThatHaveTheUnit()
    {
        var output = Compile(Shop("""
              slot weight: number unit "kg" | "公斤"
                ask open "体重多少呢?"
              slot height: number unit "cm" | "厘米"
                ask open "身高多少呢?"
              unit "斤" = 0.5 kg
              unit "米" = 100 cm
            """));
        Assert.True(output.Understanding is not null, Describe(All(output)));
        Assert.Equal([new UnitModel(0, "斤", "0.5"), new UnitModel(1, "米", "100")], output.Compilation.Model!.Understanding.Units);
    }

    // ------------------------------------------------------------------ expect

    [Fact]
    public void ExpectationsThatHoldSayNothing()
    {
        var output = Compile(Shop("""
              quick shipping on "包邮" reply "包邮哦"
              objection price on "贵" reply "好的呢"
              expect "几天能到啊" -> shipping
              expect "打个折呗" -> price
              expect "能包邮吗" -> shipping
              expect "老板在吗" -> greet
            """));
        Assert.True(output.Understanding is not null && !All(output).Any(), Describe(All(output)));
    }

    [Fact]
    public void AMissedExpectationIsAWarningAtTheTextNamingWhatTheShopUnderstoodInstead()
    {
        var script = Marked.Parse(Shop("""
              quick shipping on "包邮" reply "包邮哦"
              objection price on "贵" reply "好的呢"
              expect ‸"包邮吗" -> price
            """));
        var output = Compile(script.Text);
        var d = Assert.Single(All(output));
        Assert.Equal(("SDSL1006", File, script.Line, script.Column), (d.Id, d.FilePath, d.Start.Line, d.Start.Column));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, d.Descriptor.DefaultSeverity);
        Assert.Contains("understands it as 'shipping' (its trigger \"包邮\")", d.FormatMessage(), StringComparison.Ordinal);
        Assert.NotNull(output.Understanding);

        var classified = Compile(Shop("""
              quick shipping on "包邮" reply "包邮哦"
              objection price on "贵" reply "好的呢"
              expect "几天能到啊" -> price
            """));
        var miss = Assert.Single(All(classified));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(miss.FormatMessage(), @"understands it as .shipping. \(confidence [01]\.\d\d\)"), miss.FormatMessage());
    }

    [Fact]
    public void ExpectAsErrorMakesAMissFailTheBuild()
    {
        var script = new InMemoryText("/repo/" + File, Shop("  quick shipping on \"包邮\" reply \"包邮哦\"\n  expect \"包邮吗\" -> greet"));
        // A compilation that keeps warnings warnings (EmptyCompilation makes every warning an error).
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("expect");
        var warned = GeneratorHarness.CreateDriver(script, TestLibrary).RunGenerators(compilation).GetRunResult();
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(warned.Diagnostics).Severity);
        Assert.Single(warned.GeneratedTrees, t => t.FilePath.Contains("T.", StringComparison.Ordinal));

        var strict = GeneratorHarness.CreateDriver(new Dictionary<string, string> { ["ScriptDslExpectAsError"] = "true" }, script, TestLibrary)
            .RunGenerators(compilation).GetRunResult();
        var d = Assert.Single(strict.Diagnostics);
        Assert.Equal(("SDSL1006", DiagnosticSeverity.Error), (d.Id, d.Severity));
        Assert.Equal(8, d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void TheExampleShopsMeetAllTheirExpectations()
    {
        foreach (var name in new[] { "lamp_shop.csdsl", "apparel_shop.csdsl" })
        {
            var output = GeneratorHarness.CompileWithLibraries(GeneratorHarness.ReadScript(name), "scripts/" + name);
            Assert.True(output.Understanding is not null && !All(output).Any(), name + ":\n" + Describe(All(output)));
            Assert.NotEmpty(output.Compilation.Model!.Understanding.Expects);
        }
    }

    // ------------------------------------------------------------------ the compiled shop

    [Fact]
    public void TheCompiledLampShopUnderstandsTheIssuesMessages()
    {
        var run = GeneratorHarness.Run(
            new InMemoryText("/repo/scripts/lamp_shop.csdsl", GeneratorHarness.ReadScript("lamp_shop.csdsl")),
            new InMemoryText("/repo/scripts/apparel_shop.csdsl", GeneratorHarness.ReadScript("apparel_shop.csdsl")));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.True(run.CompileDiagnostics.IsEmpty, string.Join("\n", run.CompileDiagnostics));
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        stream.Position = 0;
        var context = new AssemblyLoadContext("nlu", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(stream);
            var lamp = (ShopDefinition)assembly.GetType("ScriptDsl.Generated.LampShop", true)!.GetProperty("Definition")!.GetValue(null)!;
            var classifier = lamp.Understanding.Classifier;
            Assert.NotNull(classifier);
            Assert.Equal((0.55, 0.10), (lamp.Understanding.Threshold, lamp.Understanding.Margin));
            Assert.NotEmpty(lamp.Understanding.Examples);
            foreach (var (message, intent) in new[] { ("一般几天能到啊", "shipping"), ("我得问问我老婆", "authority_objection"), ("打个折呗", "price_objection"), ("灯装上不亮怎么回事", "complaint") })
            {
                Assert.Equal(intent, Best(classifier!, message));
            }

            var shipping = lamp.Intents.Single(i => i.Name == "shipping");
            Assert.Equal(("发货时间和快递", "shipping"), (shipping.Label, shipping.Standard));
            Assert.Equal("authority", lamp.Intents.Single(i => i.Name == "authority_objection").Standard);
            var quote = lamp.Intents.Single(i => i.Name == "quote");
            Assert.Equal((IntentKind.Quote, "bargain", "quote"), (quote.Kind, quote.Policy, quote.Standard));
            var close = lamp.Intents.Single(i => i.Name == "close");
            Assert.Equal((IntentKind.Close, "确定购买"), (close.Kind, close.Label));
            Assert.NotNull(close.Reply);

            var apparel = (ShopDefinition)assembly.GetType("ScriptDsl.Generated.ApparelShop", true)!.GetProperty("Definition")!.GetValue(null)!;
            var weight = apparel.Slots.Single(s => s.Name == "weight");
            Assert.Equal([new UnitFactor("斤", 0.5m)], weight.UnitFactors);
            Assert.Contains(new UnitFactor("米", 100m), apparel.Slots.Single(s => s.Name == "height").UnitFactors);
        }
        finally
        {
            context.Unload();
        }
    }
}
