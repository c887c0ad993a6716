using ScriptDsl.Generator.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>The emitted C# itself: readable, literal runs merged, deterministic; plus LiteralText and EstimatedLength.</summary>
public class TemplateEmittedCodeTests
{
    [Fact]
    public void RecommendReply()
    {
        var compiled = Compile("亲, 根据您家{{ style }}的风格, 推荐这款{{ item.name }}呢, 只要{{ item.price | money }}元", TemplateContextKind.Recommend);
        Assert.Equal(
            [
                "w.Append(\"亲, 根据您家\");",
                "w.Append(s.Slots[1].Text);",
                "w.Append(\"的风格, 推荐这款\");",
                "w.Append(s.Item!.Name);",
                "w.Append(\"呢, 只要\");",
                "w.AppendMoney(s.Item!.PriceMinor);",
                "w.Append(\"元\");",
            ],
            compiled.BodyLines.ToArray());
        Assert.Equal("亲, 根据您家的风格, 推荐这款呢, 只要元", compiled.LiteralText);
        Assert.Equal(compiled.LiteralText.Length + 6 + 6 + 6, compiled.EstimatedLength);
    }

    [Fact]
    public void PolicyReplyWithBranchesLoopAndDefaults()
    {
        var compiled = Compile(
            "帮{{ shop.honorific }}看了一下, {{ for line in cart.lines }}{{ line.name }}x{{ line.quantity }}, {{ end }}全套一共是{{ total | money }}元{{ if room == '客厅' && budget < 800 }}, 送{{ gift.name }}{{ else if !area }}, 面积{{ area | default '未知' }}{{ end }}, 预算{{ budget | money | default '未定' }}, 快递{{ courier }}",
            TemplateContextKind.Policy);
        Assert.Empty(compiled.Diagnostics);
        Assert.Equal(
            [
                "w.Append(\"帮\");",
                "w.Append(s.Shop.Honorific);",
                "w.Append(\"看了一下, \");",
                "for (var line1Index = 0; line1Index < s.Cart.Lines.Count; line1Index++)",
                "{",
                "    var line1 = s.Cart.Lines[line1Index];",
                "    w.Append(line1.Name);",
                "    w.Append(\"x\");",
                "    w.AppendInt(line1.Quantity);",
                "    w.Append(\", \");",
                "}",
                "w.Append(\"全套一共是\");",
                "w.AppendMoney(s.Policy!.TotalMinor);",
                "w.Append(\"元\");",
                "if ((s.Slots[0].Choice == 0 /* 客厅 */) && (s.Slots[3].IsFilled && s.Slots[3].Money < 80000L))",
                "{",
                "    w.Append(\", 送\");",
                "    w.Append(s.Policy!.GiftName);",
                "}",
                "else if (!s.Slots[2].IsFilled)",
                "{",
                "    w.Append(\", 面积\");",
                "    w.AppendOrDefault(s.Slots[2].Text, \"未知\");",
                "}",
                "w.Append(\", 预算\");",
                "if (s.Slots[3].IsFilled)",
                "{",
                "    w.AppendMoney(s.Slots[3].Money);",
                "}",
                "else",
                "{",
                "    w.Append(\"未定\");",
                "}",
                "w.Append(\", 快递中通快递\");",
            ],
            compiled.BodyLines.ToArray());
    }

    [Fact]
    public void SpecialCharactersAreEscapedByTheCSharpRules()
    {
        var compiled = Compile("引号\\\"反斜杠\\\\换行\\n制表\u0001");
        Assert.Equal(["w.Append(\"引号\\\"反斜杠\\\\换行\\n制表\\u0001\");"], compiled.BodyLines.ToArray());
    }

    [Fact]
    public void PlainTextIsOneAppend() =>
        Assert.Equal(["w.Append(\"亲, 在的呢\");"], Compile("亲, 在的呢").BodyLines.ToArray());

    [Fact]
    public void EmptyTemplateEmitsNothing() => Assert.Empty(Compile(string.Empty).BodyLines);

    [Fact]
    public void CompilingTwiceGivesEqualValues() =>
        Assert.Equal(Compile("{{ if room }}{{ room }}{{ end }}"), Compile("{{ if room }}{{ room }}{{ end }}"));

    [Fact]
    public void EstimateTakesTheLongestBranch() =>
        Assert.Equal(5, Compile("{{ if room }}12345{{ else }}12{{ end }}").EstimatedLength);
}
