using ScriptDsl.Generator.Diagnostics;
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
        string[] tokens = ["{{", "}}", "{{-", "-}}", " ", "if", "else", "end", "for", "in", "room", "area", "budget", "cart.lines", "line", "line.name", "total", "item.price", "==", "!=", "<", ">=", "&&", "||", "!", "(", ")", "|", "money", "date", "default", "'M月d日'", "\\\"x\\\"", "'客厅'", "20", "1.5", "true", "文本", "line.quantity", "round", "3000000000", "cart.count", "promo_end", "free_install", "ship_within_hours", "courier", "base_price", "'中通快递'", "use_period.days", "item.name", "name", "style", "buyer.tier", "0"];
        var random = new Random(7);
        var clean = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < 6000; i++)
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

    /// <summary>
    /// Structured fuzzing: well-formed templates built from random operands of every type, operators,
    /// filters and nested if/for. Many are type errors; every one without diagnostics must compile
    /// as C# with warnings as errors (constant folding, unreachable code, int ranges, nullability).
    /// </summary>
    [Fact]
    public void RandomWellFormedTemplatesCompileOrAreRejected()
    {
        string[] operands =
        [
            "room", "style", "area", "budget", "name", "courier", "ship_within_hours", "lifetime_hours", "base_price", "promo_end",
            "free_install", "empty_note", "shop.name", "cart.count", "cart.total", "buyer.tier", "item.price", "item.name", "total",
            "round", "use_period.days", "gift.name", "coupon.amount", "'客厅'", "'北欧'", "'x'", "20", "0", "1.5", "599.99", "true", "false",
        ];
        string[][] sameType =
        [
            ["room", "style", "'客厅'", "'北欧'", "'卧室'"],
            ["area", "20", "1.5", "0"],
            ["budget", "base_price", "cart.total", "item.price", "total", "coupon.amount", "599.99", "0", "20"],
            ["ship_within_hours", "lifetime_hours", "cart.count", "round", "use_period.days", "line.quantity", "20", "0", "3000000000"],
            ["courier", "name", "buyer.tier", "shop.name", "gift.name", "empty_note", "item.name", "'x'", "'中通快递'"],
            ["free_install", "true", "false", "room == '客厅'"],
            ["promo_end"],
        ];
        string[] comparisons = ["==", "!=", "<", "<=", ">", ">="];
        string[] filters = ["", " | money", " | default '无'", " | date 'M月d日'", " | money | default '无'"];
        var random = new Random(42);
        var clean = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        string Condition(int depth)
        {
            switch (random.Next(depth > 2 ? 2 : 6))
            {
                case 0:
                    return operands[random.Next(operands.Length)];
                case 1:
                    if (random.Next(4) > 0)
                    {
                        var group = sameType[random.Next(sameType.Length)];
                        return group[random.Next(group.Length)] + " " + comparisons[random.Next(comparisons.Length)] + " " + group[random.Next(group.Length)];
                    }

                    return operands[random.Next(operands.Length)] + " " + comparisons[random.Next(comparisons.Length)] + " " + operands[random.Next(operands.Length)];
                case 2:
                    return "!" + Condition(depth + 1);
                case 3:
                    return "(" + Condition(depth + 1) + ")";
                case 4:
                    return Condition(depth + 1) + " && " + Condition(depth + 1);
                default:
                    return Condition(depth + 1) + " || " + Condition(depth + 1);
            }
        }

        string Body(int depth)
        {
            var parts = new List<string>();
            var count = random.Next(1, 4);
            for (var i = 0; i < count; i++)
            {
                switch (random.Next(depth > 2 ? 2 : 4))
                {
                    case 0:
                        parts.Add("文" + i);
                        break;
                    case 1:
                        parts.Add("{{ " + operands[random.Next(operands.Length)] + filters[random.Next(filters.Length)] + " }}");
                        break;
                    case 2:
                        var text = "{{ if " + Condition(0) + " }}" + Body(depth + 1);
                        if (random.Next(2) == 0)
                        {
                            text += "{{ else if " + Condition(0) + " }}" + Body(depth + 1);
                        }

                        if (random.Next(2) == 0)
                        {
                            text += "{{ else }}" + Body(depth + 1);
                        }

                        parts.Add(text + "{{ end }}");
                        break;
                    default:
                        parts.Add("{{ for line in cart.lines }}{{ line.name }}{{ if line.quantity > 1 }}" + Body(depth + 1) + "{{ end }}{{ end }}");
                        break;
                }
            }

            return string.Concat(parts);
        }

        for (var i = 0; i < 8000; i++)
        {
            CheckOne(Body(0), (TemplateContextKind)(i % 4), clean);
        }

        AssertAllCompile(clean);
        Assert.True(clean.Count > 200, "only " + clean.Count + " clean templates");
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
            // A template's own IDs (02xx), or those of the one condition binder its values and conditions go through.
            Assert.True(diagnostic.Id.StartsWith("SDSL02", StringComparison.Ordinal) || DiagnosticDescriptors.ConditionBinding.Any(d => d.Id == diagnostic.Id), diagnostic.Id);
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
