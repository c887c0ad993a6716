using ScriptDsl.Generator.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>The syntax tree of every construct of the subset (parser only, no binding).</summary>
public class TemplateParserTests
{
    private static (List<TemplateNode> Nodes, TemplateText Text) Parse(string raw)
    {
        var text = TemplateText.Decode(new TemplateSource(raw, FilePath, Start));
        return (ScribanReader.Read(text), text);
    }

    private static List<TemplateNode> ParseClean(string raw)
    {
        var (nodes, text) = Parse(raw);
        Assert.Empty(text.Diagnostics);
        return nodes;
    }

    [Fact]
    public void TextAlone()
    {
        var node = Assert.IsType<TextNode>(Assert.Single(ParseClean("亲, 在的呢~")));
        Assert.Equal("亲, 在的呢~", node.Text);
    }

    [Fact]
    public void EmptyTemplateHasNoNodes() => Assert.Empty(ParseClean(string.Empty));

    [Fact]
    public void EmptyBlockWritesNothing() => Assert.Equal(2, ParseClean("a{{ }}b").Count);

    [Fact]
    public void NameBlock()
    {
        var nodes = ParseClean("您家{{ style }}的");
        Assert.Equal(3, nodes.Count);
        var output = Assert.IsType<OutputNode>(nodes[1]);
        Assert.Equal("style", Assert.IsType<NameExpression>(output.Expression).Name);
    }

    [Fact]
    public void UnicodeIdentifiers()
    {
        var output = Assert.IsType<OutputNode>(Assert.Single(ParseClean("{{ 风格 }}")));
        Assert.Equal("风格", Assert.IsType<NameExpression>(output.Expression).Name);
    }

    [Fact]
    public void MemberChain()
    {
        var output = Assert.IsType<OutputNode>(Assert.Single(ParseClean("{{ use_period.years }}")));
        var member = Assert.IsType<MemberExpression>(output.Expression);
        Assert.Equal("years", member.Member);
        Assert.Equal("use_period", Assert.IsType<NameExpression>(member.Target).Name);
    }

    [Fact]
    public void FilterChainAppliesLeftToRight()
    {
        var output = Assert.IsType<OutputNode>(Assert.Single(ParseClean("{{ budget | money | default \\\"您的预算\\\" }}")));
        var outer = Assert.IsType<FilterExpression>(output.Expression);
        Assert.Equal("default", outer.Filter);
        var argument = Assert.IsType<LiteralExpression>(Assert.Single(outer.Arguments));
        Assert.Equal("您的预算", argument.Text);
        var inner = Assert.IsType<FilterExpression>(outer.Target);
        Assert.Equal("money", inner.Filter);
        Assert.Empty(inner.Arguments);
    }

    [Fact]
    public void SingleQuotedStringsAndTheirEscapes()
    {
        var output = Assert.IsType<OutputNode>(Assert.Single(ParseClean("{{ promo_end | date 'M月d日\\\\'' }}")));
        var filter = Assert.IsType<FilterExpression>(output.Expression);
        Assert.Equal("M月d日'", Assert.IsType<LiteralExpression>(Assert.Single(filter.Arguments)).Text);
    }

    [Fact]
    public void CsdslEscapesAreDecodedBeforeParsing()
    {
        var nodes = ParseClean("他说\\\"好\\\"\\n{{ name }}\\\\");
        Assert.Equal("他说\"好\"\n", Assert.IsType<TextNode>(nodes[0]).Text);
        Assert.Equal("\\", Assert.IsType<TextNode>(nodes[2]).Text);
    }

    [Fact]
    public void IfElseIfElseEnd()
    {
        var node = Assert.IsType<IfNode>(Assert.Single(ParseClean("{{ if room == '客厅' }}A{{ else if room }}B{{ else }}C{{ end }}")));
        Assert.Equal(2, node.Branches.Count);
        var first = Assert.IsType<BinaryExpression>(node.Branches[0].Condition);
        Assert.Equal("==", first.Operator);
        Assert.Equal("客厅", Assert.IsType<LiteralExpression>(first.Right).Text);
        Assert.IsType<NameExpression>(node.Branches[1].Condition);
        Assert.Equal("A", Assert.IsType<TextNode>(Assert.Single(node.Branches[0].Body)).Text);
        Assert.Equal("B", Assert.IsType<TextNode>(Assert.Single(node.Branches[1].Body)).Text);
        Assert.Equal("C", Assert.IsType<TextNode>(Assert.Single(node.Else!)).Text);
    }

    [Fact]
    public void AndBindsTighterThanOrAndNotTighterThanComparison()
    {
        var node = Assert.IsType<IfNode>(Assert.Single(ParseClean("{{ if a || b && !c == d }}{{ end }}")));
        var or = Assert.IsType<BinaryExpression>(node.Branches[0].Condition);
        Assert.Equal("||", or.Operator);
        var and = Assert.IsType<BinaryExpression>(or.Right);
        Assert.Equal("&&", and.Operator);
        var equals = Assert.IsType<BinaryExpression>(and.Right);
        Assert.Equal("==", equals.Operator);
        Assert.IsType<UnaryExpression>(equals.Left);
    }

    [Fact]
    public void ParenthesesGroup()
    {
        var node = Assert.IsType<IfNode>(Assert.Single(ParseClean("{{ if (a || b) && c }}{{ end }}")));
        var and = Assert.IsType<BinaryExpression>(node.Branches[0].Condition);
        Assert.Equal("&&", and.Operator);
        Assert.Equal("||", Assert.IsType<BinaryExpression>(and.Left).Operator);
    }

    [Theory]
    [InlineData("==")]
    [InlineData("!=")]
    [InlineData("<")]
    [InlineData("<=")]
    [InlineData(">")]
    [InlineData(">=")]
    public void EveryComparisonOperator(string op)
    {
        var node = Assert.IsType<IfNode>(Assert.Single(ParseClean("{{ if area " + op + " 20.5 }}{{ end }}")));
        var comparison = Assert.IsType<BinaryExpression>(node.Branches[0].Condition);
        Assert.Equal(op, comparison.Operator);
        var number = Assert.IsType<LiteralExpression>(comparison.Right);
        Assert.Equal(LiteralKind.Number, number.Kind);
        Assert.Equal("20.5", number.Text);
    }

    [Fact]
    public void BoolLiterals()
    {
        var node = Assert.IsType<IfNode>(Assert.Single(ParseClean("{{ if true != false }}{{ end }}")));
        var comparison = Assert.IsType<BinaryExpression>(node.Branches[0].Condition);
        Assert.Equal(LiteralKind.Bool, Assert.IsType<LiteralExpression>(comparison.Left).Kind);
    }

    [Fact]
    public void ForLoopWithNestedIf()
    {
        var node = Assert.IsType<ForNode>(Assert.Single(ParseClean("{{ for line in cart.lines }}{{ if line.quantity > 1 }}{{ line.name }}{{ end }}{{ end }}")));
        Assert.Equal("line", node.Variable);
        Assert.Equal("lines", Assert.IsType<MemberExpression>(node.List).Member);
        var inner = Assert.IsType<IfNode>(Assert.Single(node.Body));
        Assert.IsType<OutputNode>(Assert.Single(inner.Branches[0].Body));
    }

    [Fact]
    public void WhitespaceControlTrimsAllWhitespaceOnItsSide()
    {
        var nodes = ParseClean("A \n {{- name -}} \u3000 B {{ name }}");
        Assert.Equal("A", Assert.IsType<TextNode>(nodes[0]).Text);
        Assert.Equal("B ", Assert.IsType<TextNode>(nodes[2]).Text);
    }

    [Fact]
    public void WhitespaceControlRemovingEverythingLeavesNoTextNode()
    {
        var nodes = ParseClean("{{ name -}}   {{- name }}");
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.IsType<OutputNode>(n));
    }

    [Fact]
    public void ClosingBracesInsideAStringDoNotEndTheBlock()
    {
        var output = Assert.IsType<OutputNode>(Assert.Single(ParseClean("{{ name | default '}}' }}")));
        Assert.Equal("}}", Assert.IsType<LiteralExpression>(Assert.Single(Assert.IsType<FilterExpression>(output.Expression).Arguments)).Text);
    }

    [Fact]
    public void PositionsAreIndicesIntoTheDecodedText()
    {
        var output = Assert.IsType<OutputNode>(ParseClean("ab{{ name }}")[1]);
        Assert.Equal(5, output.Start);
        Assert.Equal(9, output.End);
        Assert.Equal(5, output.Expression.Start);
        Assert.Equal(9, output.Expression.End);
    }

    [Fact]
    public void UnsupportedConstructsInSeveralBlocksAreAllReported()
    {
        var (_, text) = Parse("{{ a + 1 }}{{ b = 1 }}{{ c[0] }}");
        Assert.Equal(3, text.Diagnostics.Count);
    }

    [Fact]
    public void ScribanCommentsAndTildeWhitespaceControlAreScriban()
    {
        var nodes = ParseClean("a {{ # note }} b\n  {{~ name ~}}  c");
        Assert.Equal("a ", Assert.IsType<TextNode>(nodes[0]).Text);
        Assert.Equal(" b\n", Assert.IsType<TextNode>(nodes[1]).Text);
        Assert.IsType<OutputNode>(nodes[2]);
        Assert.Equal("c", Assert.IsType<TextNode>(nodes[3]).Text);
    }

    [Fact]
    public void VerbatimEscapeBlocksAreText() =>
        Assert.Equal(" {{ name }} ", Assert.IsType<TextNode>(ParseClean("{%{ {{ name }} }%}")[0]).Text);
}
