using System.Globalization;
using System.Text.RegularExpressions;
using ScriptDsl.Matching;
using ScriptDsl.Tests.Support;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Matching;

public class TriggerAutomatonSourceTests
{
    private static TriggerAutomatonData Sample()
    {
        var builder = new TriggerAutomatonBuilder();
        foreach (string phrase in new[] { "包邮", "包邮吗", "太贵了", "贵", "便宜点", "發貨", "iphone 15", "20平" })
        {
            builder.Add(TextNormalizer.Normalize(phrase), -phrase.Length); // negative payloads too
        }

        return builder.Build();
    }

    [Fact]
    public void WritesAnExpressionThatReadsBackToTheSameTables()
    {
        TriggerAutomatonData data = Sample();
        string source = TriggerAutomatonSource.ToCSharpExpression(data, "        ");

        Assert.StartsWith("new global::ScriptDsl.Matching.TriggerAutomatonData(\n", source, StringComparison.Ordinal);
        Assert.EndsWith(")", source, StringComparison.Ordinal);
        Assert.DoesNotContain("包", source, StringComparison.Ordinal); // characters are escaped

        TriggerAutomatonData back = ReadBack(source);
        Assert.Equal(data.Alphabet, back.Alphabet);
        Assert.Equal(data.EdgeOffsets, back.EdgeOffsets);
        Assert.Equal(data.EdgeClasses, back.EdgeClasses);
        Assert.Equal(data.EdgeTargets, back.EdgeTargets);
        Assert.Equal(data.Failure, back.Failure);
        Assert.Equal(data.OutputLink, back.OutputLink);
        Assert.Equal(data.OutputOffsets, back.OutputOffsets);
        Assert.Equal(data.OutputPatterns, back.OutputPatterns);
        Assert.Equal(data.PatternPayloads, back.PatternPayloads);
        Assert.Equal(data.PatternLengths, back.PatternLengths);
    }

    [Theory]
    [MemberData(nameof(HostileCulture.Names), MemberType = typeof(HostileCulture))]
    public void IgnoresTheCurrentCulture(string culture)
    {
        string expected = TriggerAutomatonSource.ToCSharpExpression(Sample(), "");
        using (new HostileCulture(culture))
        {
            Assert.Equal(expected, TriggerAutomatonSource.ToCSharpExpression(Sample(), ""));
        }
    }

    [Fact]
    public void WritesAnEmptyAutomaton()
    {
        TriggerAutomatonData back = ReadBack(TriggerAutomatonSource.ToCSharpExpression(new TriggerAutomatonBuilder().Build(), ""));
        Assert.Empty(back.Alphabet);
        Assert.Equal(1, back.StateCount);
    }

    // A reader for exactly the shape the writer produces: ten array initializers in order.
    private static TriggerAutomatonData ReadBack(string source)
    {
        MatchCollection arrays = Regex.Matches(source, @"new (char|int)\[\] \{([^}]*)\}");
        Assert.Equal(10, arrays.Count);
        char[] alphabet = Values(arrays[0]).Select(v => (char)int.Parse(v.Trim('\'')[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        int[][] ints = arrays.Skip(1).Select(m => Values(m).Select(v => int.Parse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return new TriggerAutomatonData(alphabet, ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], ints[6], ints[7], ints[8]);
    }

    private static string[] Values(Match array) =>
        array.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
