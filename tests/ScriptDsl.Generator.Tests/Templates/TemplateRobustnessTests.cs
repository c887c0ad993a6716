using ScriptDsl.Generator.Templates;
using ScriptDsl.Generator.Tests.Infrastructure;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>
/// Bad input never crashes: every prefix of complex templates and random noise give diagnostics
/// only (never an exception, never the internal-error SDSL0299), and whatever compiles without
/// diagnostics also compiles as C# with warnings as errors.
/// </summary>
public class TemplateRobustnessTests
{
    private static readonly string[] ComplexTemplates =
    [
        "帮亲看了一下, 全套一共是{{ total | money }}元包邮哦! 保底用{{ use_period.years }}年, 算下来您一天只要花{{ per_day | money }}元, 多值啊!",
        "{{ if room == '客厅' && (style == \\\"北欧\\\" || area >= 20.5) }}推荐{{ item.name }}{{ else if !room }}请问用在哪里呢?{{ else }}{{ room | default '别处' }}{{ end }}",
        "{{ for line in cart.lines -}} {{ line.name }}x{{ line.quantity }}={{ line.subtotal | money }};\\n {{- end }}共{{ cart.count }}件, {{ budget | money | default \\\"未定\\\" }}",
        "活动{{ promo_end | date \\\"M月d日\\\" }}结束, {{ if free_install }}包安装{{ end }} {{ buyer.tier | default '新客' }} {{ coupon.name }}满{{ coupon.threshold | money }}减{{ coupon.amount | money }}",
        "{{ x = 1 }}{{ while true }}{{ for.index }}{{ end }}{{ name | upcase }}{{ '\\\\q' }}}} {{ if a < }}{{ (((",
    ];

    [Fact]
    public void EveryPrefixOfComplexTemplatesGivesDiagnosticsOnly()
    {
        var clean = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var compiledCleanly = 0;
        foreach (var context in new[] { TemplateContextKind.Policy, TemplateContextKind.Recommend })
        {
            foreach (var template in ComplexTemplates)
            {
                for (var length = 0; length <= template.Length; length++)
                {
                    if (CheckOne(template[..length], context, clean))
                    {
                        compiledCleanly++;
                    }
                }
            }
        }

        AssertAllCompile(clean);

        // Many prefixes are valid templates (plain text, closed blocks): they were compiled as C# too.
        Assert.True(compiledCleanly > 50, "only " + compiledCleanly + " prefixes compiled cleanly");
    }

    [Fact]
    public void RandomNoiseGivesDiagnosticsOnly()
    {
        const string alphabet = "{{}}{}-~|.()!=<>&\"'\\ \n中文roomstyleareanametotalcartlinesifelseendforin0123456789_$@[]#+,:;";
        var random = new Random(20261122);
        var clean = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var length = random.Next(0, 80);
            var chars = new char[length];
            for (var k = 0; k < length; k++)
            {
                chars[k] = alphabet[random.Next(alphabet.Length)];
            }

            CheckOne(new string(chars), (TemplateContextKind)(i % 4), clean);
        }

        AssertAllCompile(clean);
    }

    [Fact]
    public void RandomTokenSoupGivesDiagnosticsOnly()
    {
        string[] tokens = ["{{", "}}", "{{-", "-}}", " ", "if", "else", "end", "for", "in", "room", "area", "budget", "cart.lines", "line", "line.name", "total", "item.price", "==", "!=", "<", ">=", "&&", "||", "!", "(", ")", "|", "money", "date", "default", "'M月d日'", "\\\"x\\\"", "'客厅'", "20", "1.5", "true", "文本"];
        var random = new Random(7);
        var clean = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < 3000; i++)
        {
            var count = random.Next(0, 25);
            var parts = new string[count];
            for (var k = 0; k < count; k++)
            {
                parts[k] = tokens[random.Next(tokens.Length)];
            }

            CheckOne(string.Join(" ", parts), (TemplateContextKind)(i % 4), clean);
        }

        Assert.True(clean.Count > 100, "only " + clean.Count + " clean templates");
        AssertAllCompile(clean);
    }

    [Theory]
    [InlineData(100_000, "{{")]
    [InlineData(100_000, "}}")]
    [InlineData(50_000, "{{ if room }}")]
    [InlineData(50_000, "{{ end }}")]
    [InlineData(100_000, "(")]
    [InlineData(100_000, "!")]
    [InlineData(30_000, "a && ")]
    [InlineData(30_000, "a.")]
    [InlineData(30_000, "| money ")]
    [InlineData(100_000, "\\")]
    public void VeryLongAndDeeplyNestedInputIsRejectedQuickly(int repeat, string piece)
    {
        var body = string.Concat(Enumerable.Repeat(piece, repeat / piece.Length));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        CheckOne("{{ " + body, TemplateContextKind.Reply, null);
        CheckOne(body, TemplateContextKind.Reply, null);
        CheckOne("{{ if " + body + " }}x{{ end }}", TemplateContextKind.Reply, null);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "took " + watch.Elapsed);
    }

    [Fact]
    public void NullRawIsTreatedAsEmpty()
    {
        var compiled = TemplateCompiler.Compile(new TemplateSource(null!, FilePath, Start), Environment());
        Assert.Empty(compiled.Diagnostics);
        Assert.Empty(compiled.BodyLines);
    }

    /// <summary>Returns true when the template had no diagnostics; its BodyLines are then collected in <paramref name="clean"/> to be compiled as C#.</summary>
    private static bool CheckOne(string raw, TemplateContextKind context, Dictionary<string, IReadOnlyList<string>>? clean)
    {
        CompiledTemplate compiled;
        try
        {
            compiled = Compile(raw, context);
        }
        catch (Exception exception)
        {
            throw new Xunit.Sdk.XunitException("Compile threw on template «" + raw + "»: " + exception);
        }

        Assert.DoesNotContain(compiled.Diagnostics, d => d.Id == "SDSL0299");
        foreach (var diagnostic in compiled.Diagnostics)
        {
            Assert.StartsWith("SDSL02", diagnostic.Id, StringComparison.Ordinal);
            Assert.InRange(diagnostic.Start.Offset, Start.Offset, Start.Offset + raw.Length);
            Assert.InRange(diagnostic.End.Offset, diagnostic.Start.Offset, Start.Offset + raw.Length);
            _ = diagnostic.FormatMessage();
        }

        if (compiled.Diagnostics.Count > 0)
        {
            Assert.Empty(compiled.BodyLines);
            return false;
        }

        clean?.TryAdd(string.Join("\n", compiled.BodyLines), compiled.BodyLines.ToArray());
        return true;
    }

    /// <summary>All collected bodies in one Roslyn compilation (nullable, warnings as errors).</summary>
    private static void AssertAllCompile(Dictionary<string, IReadOnlyList<string>> clean)
    {
        var source = TemplateTestCompiler.WrapManyInClass(clean.Values.ToList());
        var problems = TemplateTestCompiler.Diagnose(source, out _);
        Assert.True(problems.Count == 0, "Emitted C# does not compile:\n" + string.Join("\n", problems.Take(20)) + "\n" + source);
    }
}
