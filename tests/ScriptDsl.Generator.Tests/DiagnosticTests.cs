using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Tests.Infrastructure;

namespace ScriptDsl.Generator.Tests;

/// <summary>Every diagnostic ID of the language compiler: ID, file, line and column.</summary>
public class DiagnosticTests
{
    private const string File = "scripts/case.csdsl";

    // A small valid shop; cases replace parts of it.
    private const string Greet = """
          stage greet {
            on start | "你好"
              reply "您好呢"
          }
        """;

    private const string Fallback = "  fallback reply \"稍等哦\"";

    private static string Shop(string body, bool greet = true, bool fallback = true) =>
        "shop t \"T\" {\n" + (greet ? Greet + "\n" : "") + body + "\n" + (fallback ? Fallback + "\n" : "") + "}\n";

    public static TheoryData<string, string> Cases => new()
    {
        // ---------------------------------------------------------------- syntax
        { "SDSL0001", Shop("  stage a {\n    on \"x\"\n      ‸replly \"x\"\n  }") },
        { "SDSL0001", Shop("  fact n: ‸number = 3") },
        { "SDSL0001", Shop("  ‸facts n: int = 3") },
        { "SDSL0001", "shop t \"T\" {\n  fallback reply \"x\"\n‸" },
        { "SDSL0002", Shop("  quick q on \"a\" reply ‸\"没有结束") },
        { "SDSL0003", Shop("  quick q on \"a\" reply \"a‸\\tb\"") },
        { "SDSL0004", Shop("  fact p: money = ‸1.234") },
        { "SDSL0005", Shop("  fact d: date = ‸2026-13-01") },
        { "SDSL0005", Shop("  fact n: int = ‸4.5") },
        { "SDSL0006", "‸policy p for t {\n  max_rounds 3\n}\n" },
        { "SDSL0007", Shop("") + "shop ‸u \"U\" {\n" + Fallback + "\n}\n" },

        // ---------------------------------------------------------------- names and structure
        { "SDSL0100", Shop("  fact a: int = 1\n  fact ‸a: int = 2") },
        { "SDSL0101", Shop("  slot s: text ask open \"s?\"\n  slot ‸s: text ask open \"s?\"") },
        { "SDSL0102", Shop("  stage a {\n    on \"x\" reply \"好的\" ask ‸nope\n  }", greet: true).Replace("on start | \"你好\"", "on start", StringComparison.Ordinal) + "" },
        { "SDSL0103", Shop("  item i sku \"I\" name \"i\" price 1 category c\n  stage a { on \"x\" reply \"嗯\" then r }\n  recommend r {\n    if ‸colour == 1 -> i\n    reply \"{{ item.name }}\"\n  }") },
        { "SDSL0104", Shop("  concept c = \"a\"\n  concept ‸c = \"b\"") },
        { "SDSL0105", Shop("  quick q on concept ‸nope reply \"好\"") },
        { "SDSL0106", Shop("  stage ‸greet {\n    on \"x\" reply \"好\"\n  }") },
        { "SDSL0107", Shop("  stage a {\n    on \"x\" reply \"好\"\n    next ‸nowhere\n  }") },
        { "SDSL0108", Shop("  item i sku \"I\" name \"i\" price 1 category c\n  item ‸i sku \"J\" name \"j\" price 1 category c") },
        { "SDSL0109", Shop("  item i sku \"I\" name \"i\" price 1 category c\n  stage a { on \"x\" reply \"嗯\" then r }\n  recommend r {\n    else -> ‸j\n    reply \"{{ item.name }}\"\n  }") },
        { "SDSL0110", Shop("") + "policy p for t { max_rounds 1 }\npolicy ‸p for t { max_rounds 2 }\n" },
        { "SDSL0111", Shop("  objection price on \"贵\" use policy ‸bargain") },
        { "SDSL0112", Shop("  slot room: choice(卧室, 客厅) ask closed \"哪里?\"\n  item i sku \"I\" name \"i\" price 1 category c\n  stage a { on \"x\" reply \"嗯\" then r }\n  recommend r {\n    if room == ‸厨房 -> i\n    reply \"{{ item.name }}\"\n  }") },
        { "SDSL0210", Shop("  slot room: choice(卧室, 客厅) ask closed \"哪里?\"\n  item i sku \"I\" name \"i\" price 1 category c\n  stage a { on \"x\" reply \"嗯\" then r }\n  recommend r {\n    if room ‸> 卧室 -> i\n    reply \"{{ item.name }}\"\n  }") },
        { "SDSL0113", Shop("  slot budget: money ask open \"预算?\"\n  fact n: text = \"a\"\n  item i sku \"I\" name \"i\" price 1 category c\n  stage a { on \"x\" reply \"嗯\" then r }\n  recommend r {\n    if ‸budget == n -> i\n    reply \"{{ item.name }}\"\n  }") },
        { "SDSL0114", Shop("  stage ‸lonely {\n    on \"x\" reply \"好\"\n  }") },
        { "SDSL0115", Shop("  quick a on \"包邮\" reply \"包邮哦\"\n  quick b on ‸\"包邮\" reply \"也包邮哦\"") },
        { "SDSL0116", Shop("  stage ‸quiet {\n    on \"x\" then quiet\n  }", greet: false) },
        { "SDSL0117", Shop("  quick q on \"a\" reply \"好\"\n  quick ‸q on \"b\" reply \"好\"") },
        { "SDSL0118", Shop("  complaint on \"投诉\" {\n    confirm reply \"确认一下哦\"\n    remedy thanks reply \"谢谢亲\"\n    ‸apologize reply \"抱歉哦\"\n  }") },
        { "SDSL0119", Shop("", fallback: false).Replace("shop t", "shop ‸t", StringComparison.Ordinal) },
        { "SDSL0119", Shop("")[..^2] + "  ‸fallback reply \"再一个\"\n}\n" },
        { "SDSL0121", Shop("") + "policy p for ‸other { max_rounds 1 }\n" },
        { "SDSL0122", Shop("  currency CNY\n  ‸currency USD") },
        { "SDSL0123", Shop("  fact n: int = ‸\"三\"") },
        { "SDSL0124", Shop("  item i sku \"I\" name \"i\" price 1 category 客厅\n  cross_sell after category 客厅 offer ‸卧室 reply \"再看看哦\"") },
        { "SDSL0125", Shop("  stage a {\n    on \"x\" reply \"好\"\n    ‸on \"y\" reply \"好\"\n  }") },
        { "SDSL0126", Shop("  concept ‸a = \"x\" | concept b\n  concept b = \"y\" | concept a") },
        { "SDSL0127", Shop("  item i sku \"I\" name \"i\" price 1 category c\n  stage a { on \"x\" reply \"嗯\" then r }\n  ‸recommend r {\n    else -> i\n  }") },
        { "SDSL0128", Shop("  stage a { on \"x\" reply \"嗯\" then r }\n  ‸recommend r {\n    reply \"好哦\"\n  }") },

        // ---------------------------------------------------------------- templates (the template compiler's IDs, positioned in the file)
        { "SDSL0103", Shop("  quick q on \"a\" reply \"亲, {{ ‸nope }}\"") },

        // ---------------------------------------------------------------- lints
        { "SDSL1001", Shop("  quick q on \"a\" reply \"我们‸保证好用哦\"") },
        { "SDSL1002", Shop("  quick q on \"a\" reply \"亲, 我们‸不还价哦\"") },
        { "SDSL1003", Shop("  quick q on \"a\" reply ‸\"" + new string('好', 61) + "\"") },
        { "SDSL1005", Shop("  slot room: text ask open \"哪里?\"\n  item i sku \"I\" name \"i\" price 1 category c\n  stage a {\n    on \"推荐\" reply \"好的\" ask room then ‸r\n  }\n  recommend r {\n    else -> i\n    reply \"{{ item.name }}\"\n  }").Replace("reply \"您好呢\"", "reply \"您好呢\"\n    next a", StringComparison.Ordinal) },
        { "SDSL1004", Shop("  particles \"呢\" \"哦\"\n  quick q on \"a\" reply ‸\"好的\"") },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsIdFileLineAndColumn(string id, string marked)
    {
        var script = Marked.Parse(marked);
        var result = GeneratorHarness.Compile(script.Text, File);
        var found = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(found.Count > 0, "Expected " + id + "; got: " + Describe(result.Diagnostics));
        Assert.Contains(found, d => d.FilePath == File && d.Start.Line == script.Line && d.Start.Column == script.Column);
        foreach (var d in found)
        {
            var message = d.FormatMessage();
            Assert.DoesNotContain("{", message.Replace("{{", "", StringComparison.Ordinal).Replace("{ ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SyntaxErrorNamesTheTokenAndWhatWasExpected()
    {
        var script = Marked.Parse(Shop("  stage a {\n    on \"x\"\n      ‸replly \"x\"\n  }"));
        var d = Assert.Single(GeneratorHarness.Compile(script.Text, File).Diagnostics);
        Assert.Equal("Unexpected 'replly' here (did you mean 'reply'?); expected 'ask', 'examples', 'flag', 'intent', 'label', 'like', 'next', 'on', 'reply', 'then', '|', '}'. Compare the statement with docs/language.md.", d.FormatMessage());
    }

    [Fact]
    public void EveryBrokenStatementIsReportedInOneBuild()
    {
        var text = """
            shop t "T" {
              fact a: int = 
              quick q on "包邮" replly "包邮哦"
              stage greet {
                on start reply "您好呢"
              quick r on "退货" reply "可以退哦"
              fallback reply "稍等哦"
            }
            """;
        var errors = GeneratorHarness.Compile(text, File).Diagnostics;
        Assert.Equal(
            [("SDSL0001", 3, 3), ("SDSL0001", 3, 19), ("SDSL0001", 6, 3)],
            errors.Select(d => (d.Id, d.Start.Line, d.Start.Column)));
        Assert.Contains("'quick'", errors[0].FormatMessage(), StringComparison.Ordinal);
        Assert.Contains("'replly'", errors[1].FormatMessage(), StringComparison.Ordinal);
        Assert.Contains("'quick'", errors[2].FormatMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdenticalDuplicateStageIsReportedOnceAsADuplicateStage()
    {
        var stage = "  stage a {\n    on \"x\" reply \"好\"\n  }\n";
        var result = GeneratorHarness.Compile(Shop(stage.Replace("a {", "a {", StringComparison.Ordinal) + stage).Replace("on start | \"你好\"\n      reply \"您好呢\"", "on start | \"你好\"\n      reply \"您好呢\"\n    next a", StringComparison.Ordinal), File);
        Assert.Equal(["SDSL0106"], result.Diagnostics.Select(d => d.Id));
    }

    [Fact]
    public void UnknownNamesSuggestTheClosestOne()
    {
        var result = GeneratorHarness.Compile(Shop("  slot room: text ask open \"?\"\n  stage a {\n    on \"x\" reply \"好\" ask rooom\n  }"), File);
        var d = Assert.Single(result.Diagnostics, x => x.Id == "SDSL0102");
        Assert.Contains("did you mean 'room'?", d.FormatMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void InternalFailureBecomesSdsl0099AtTheStartOfTheFile()
    {
        var result = Binding.ScriptBinder.Compile(new Binding.ScriptFile(File, null!), Binding.CompilerOptions.Default);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("SDSL0099", d.Id);
        Assert.Equal((File, 1, 1), (d.FilePath, d.Start.Line, d.Start.Column));
        Assert.Null(result.Model);
    }

    [Fact]
    public void DuplicateShopIdAcrossFilesIsReportedOnTheSecondFile()
    {
        var first = new InMemoryText("/repo/scripts/a.csdsl", "shop same \"A\" {\n  fallback reply \"好的\"\n}\n");
        var second = new InMemoryText("/repo/scripts/b.csdsl", "// b\nshop same \"B\" {\n  fallback reply \"好的\"\n}\n");
        var run = GeneratorHarness.Run(first, second);
        var d = Assert.Single(run.GeneratorDiagnostics, x => x.Id == "SDSL0120");
        var span = d.Location.GetLineSpan();
        Assert.Equal("/repo/scripts/b.csdsl", span.Path);
        Assert.Equal((1, 5), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Contains("scripts/a.csdsl", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void AllowCommentSilencesALintForItsStatementOnly()
    {
        var text = Shop("  // sdsl:allow SDSL1001\n  quick q on \"a\" reply \"我们保证好用哦\"\n  quick r on \"b\" reply \"绝对好用哦\"");
        var result = GeneratorHarness.Compile(text, File);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("SDSL1001", 8), (d.Id, d.Start.Line));
        Assert.NotNull(result.Model);
    }

    [Fact]
    public void AllowCommentAtTheEndOfTheStatementLineWorks()
    {
        var text = Shop("  quick q on \"a\" reply \"亲, 我们不还价哦\" // sdsl:allow SDSL1002");
        Assert.Empty(GeneratorHarness.Compile(text, File).Diagnostics);
    }

    [Fact]
    public void ParticleLintOnlyAppliesWhenTheShopDeclaresParticlesAndSkipsFlagNotes()
    {
        Assert.Empty(GeneratorHarness.Compile(Shop("  quick q on \"a\" reply \"好的\""), File).Diagnostics);
        var result = GeneratorHarness.Compile(Shop("  particles \"呢\" \"哦\"\n  order on \"拍下了\" reply \"好的呢\" flag red \"核对地址\"").Replace("稍等哦", "稍等", StringComparison.Ordinal), File);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("SDSL1004", 8), (d.Id, d.Start.Line));
    }

    [Fact]
    public void MaxReplyLengthComesFromTheShopOrTheBuildSetting()
    {
        var reply = "  quick q on \"a\" reply \"" + new string('好', 70) + "\"";
        Assert.Contains(GeneratorHarness.Compile(Shop(reply), File).Diagnostics, d => d.Id == "SDSL1003");
        Assert.Empty(GeneratorHarness.Compile(Shop(reply), File, maxReplyLength: 80).Diagnostics);
        Assert.Empty(GeneratorHarness.Compile(Shop("  max_reply_length 80\n" + reply), File).Diagnostics);
    }

    [Fact]
    public void WarningsAloneStillProduceTheShop()
    {
        var result = GeneratorHarness.Compile(Shop("  quick q on \"a\" reply \"我们保证哦\""), File);
        Assert.Equal("SDSL1001", Assert.Single(result.Diagnostics).Id);
        Assert.NotNull(result.Model);
    }

    [Fact]
    public void EveryLanguageIdHasACase()
    {
        var tested = Cases.Select(c => (string)c[0]).Concat(UnderstandingDiagnosticTests.Cases.Select(c => (string)c[0])).Concat(new[] { "SDSL0099", "SDSL0120", "SDSL1009" /* FiguresTests: ID, file, line, column */ }).ToHashSet(StringComparer.Ordinal);
        // Templates (02xx) and bargaining policies (03xx, PolicyDiagnosticTests) have their own suites.
        var all = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => !id.StartsWith("SDSL02", StringComparison.Ordinal) && !id.StartsWith("SDSL03", StringComparison.Ordinal));
        var untested = all.Where(id => !tested.Contains(id)).ToList();
        Assert.True(untested.Count == 0, "No test for: " + string.Join(", ", untested));
    }

    private static string Describe(IEnumerable<DiagnosticInfo> diagnostics) =>
        string.Join(" | ", diagnostics.Select(d => d.Id + "(" + d.Start.Line + "," + d.Start.Column + ") " + d.FormatMessage()));

    /// <summary>
    /// What the build prints is what the catalog means: every message, with or without arguments, is
    /// formatted ('{{' in a message is one '{'), so a message without arguments does not show doubled braces.
    /// </summary>
    [Fact]
    public void Every_message_prints_as_its_composite_format_means()
    {
        var start = new SourcePosition(0, 1, 1);
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            var format = descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var placeholders = System.Text.RegularExpressions.Regex.Matches(format.Replace("{{", "", StringComparison.Ordinal), @"\{(\d+)\}")
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();
            var info = DiagnosticInfo.Create(descriptor, File, start, start, Enumerable.Range(0, placeholders).Select(i => "arg" + i).ToArray());
            Assert.Equal(info.FormatMessage(), info.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.DoesNotContain("{{{{", info.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
    }
}
