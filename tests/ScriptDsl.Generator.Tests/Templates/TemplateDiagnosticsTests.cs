using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Templates;
using static ScriptDsl.Generator.Tests.Templates.TemplateFixture;

namespace ScriptDsl.Generator.Tests.Templates;

/// <summary>
/// Every template diagnostic ID: the ID, the file, the line and the column inside the template.
/// Templates start at line 12, column 14 (<see cref="TemplateFixture.Start"/>), so a problem at
/// raw index i of the template is at column 14 + i.
/// </summary>
public class TemplateDiagnosticsTests
{
    private static DiagnosticInfo Single(string raw, TemplateContextKind context = TemplateContextKind.Reply)
    {
        var compiled = Compile(raw, context);
        Assert.True(compiled.Diagnostics.Count == 1, "Expected one diagnostic, got: " + string.Join("; ", compiled.Diagnostics.Select(d => d.Id + " at " + d.Start.Column + " " + d.FormatMessage())));
        Assert.Empty(compiled.BodyLines);
        return compiled.Diagnostics[0];
    }

    private static DiagnosticInfo Expect(string raw, string id, int rawIndex, TemplateContextKind context = TemplateContextKind.Reply)
    {
        var diagnostic = Single(raw, context);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(FilePath, diagnostic.FilePath);
        Assert.Equal(12, diagnostic.Start.Line);
        Assert.Equal(Start.Column + rawIndex, diagnostic.Start.Column);
        Assert.Equal(Start.Offset + rawIndex, diagnostic.Start.Offset);
        Assert.True(diagnostic.End.Offset >= diagnostic.Start.Offset);

        // Every message formats (no stray braces) and is reported through Roslyn with the help link.
        var roslyn = diagnostic.ToDiagnostic();
        Assert.Equal(id, roslyn.Id);
        Assert.Equal("docs/diagnostics/" + id + ".md", roslyn.Descriptor.HelpLinkUri);
        Assert.Equal(11, roslyn.Location.GetLineSpan().StartLinePosition.Line);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.FormatMessage()));
        return diagnostic;
    }

    [Fact]
    public void SDSL0200_SyntaxError() =>
        Assert.Contains("Scriban: ", Expect("{{ shop. }}", "SDSL0200", 9).FormatMessage(), StringComparison.Ordinal);

    [Fact]
    public void SDSL0103_UnknownNameNamesTheClosestKnownName()
    {
        var message = Expect("您家{{ rooom }}", "SDSL0103", 5).FormatMessage();
        Assert.Contains("'rooom'", message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'room'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SDSL0202_UnknownMemberNamesTheClosestMember()
    {
        var message = Expect("{{ shop.nam }}", "SDSL0202", 8).FormatMessage();
        Assert.Contains("did you mean 'shop.name'", message, StringComparison.Ordinal);
        Assert.Contains("name, id, honorific", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SDSL0202_MemberOfAValueWithoutMembers() =>
        Assert.Contains("has no members", Expect("{{ style.name }}", "SDSL0202", 9).FormatMessage(), StringComparison.Ordinal);

    [Fact]
    public void SDSL0203_UnterminatedBlock() => Expect("abc {{ name", "SDSL0203", 4);

    [Fact]
    public void SDSL0204_StrayClose() => Expect("abc }} x", "SDSL0204", 4);

    [Fact]
    public void SDSL0205_AssignmentIsOutsideTheSubset()
    {
        var message = Expect("{{ x = 1 }}", "SDSL0205", 5).FormatMessage();
        Assert.Contains("outside the supported Scriban subset", message, StringComparison.Ordinal);
        Assert.Contains("money, date", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ while true }}x{{ end }}", 3)]
    [InlineData("{{ capture x }}y{{ end }}", 3)]
    [InlineData("{{ for line in cart.lines }}{{ for.index }}{{ end }}", 31)]
    [InlineData("{{ string.upcase(name) }}", 3)]
    [InlineData("{{ upcase name }}", 3)]
    [InlineData("{{ cart.count + 1 }}", 14)]
    [InlineData("{{ cart.lines[0] }}", 13)]
    [InlineData("{{ $x }}", 3)]
    [InlineData("{{ null }}", 3)]
    [InlineData("{{ for line in cart.lines limit:2 }}{{ end }}", 26)]
    [InlineData("{{ for line in cart.lines }}a{{ else }}b{{ end }}", 32)]
    [InlineData("{{ if not room }}x{{ end }}", 6)]
    [InlineData("{{ budget ?? 1 }}", 10)]
    [InlineData("{{ if (name | default 'a') == 'a' }}x{{ end }}", 14)]
    public void SDSL0205_OtherConstructsOutsideTheSubset(string raw, int index) => Expect(raw, "SDSL0205", index);

    [Fact]
    public void SDSL0206_UnknownFilter()
    {
        var message = Expect("{{ name | upcase }}", "SDSL0206", 10).FormatMessage();
        Assert.Contains("'upcase'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SDSL0206_MisspelledFilterGetsASuggestion() =>
        Assert.Contains("did you mean 'money'", Expect("{{ budget | mony }}", "SDSL0206", 12).FormatMessage(), StringComparison.Ordinal);

    [Fact]
    public void SDSL0207_MoneyOnText() => Expect("{{ courier | money }}", "SDSL0207", 13);

    [Fact]
    public void SDSL0208_DateOnText() => Expect("{{ courier | date \\\"M月d日\\\" }}", "SDSL0208", 13);

    [Fact]
    public void SDSL0113_TextComparedWithNumber() => Expect("{{ if courier == 3 }}x{{ end }}", "SDSL0113", 6);

    [Fact]
    public void SDSL0113_MoneyComparedWithInt() => Expect("{{ if base_price == ship_within_hours }}x{{ end }}", "SDSL0113", 6);

    [Fact]
    public void SDSL0113_DateComparedWithNumber() => Expect("{{ if promo_end == 3 }}x{{ end }}", "SDSL0113", 6);

    [Fact]
    public void SDSL0113_ObjectsDoNotCompare() => Expect("{{ if shop == cart }}x{{ end }}", "SDSL0113", 6);

    [Fact]
    public void SDSL0210_OrderingOnText() => Expect("{{ if courier < 'a' }}x{{ end }}", "SDSL0210", 14);

    [Fact]
    public void SDSL0210_OrderingOnBool() => Expect("{{ if free_install >= true }}x{{ end }}", "SDSL0210", 19);

    [Fact]
    public void SDSL0211_ForOverNonList() => Expect("{{ for x in shop }}{{ end }}", "SDSL0211", 12);

    [Fact]
    public void SDSL0112_ChoiceComparedWithAValueNotInItsSet()
    {
        var message = Expect("{{ if room == '厨房' }}x{{ end }}", "SDSL0112", 14).FormatMessage();
        Assert.Contains("客厅, 卧室, 餐厅, 阳台, 书房", message, StringComparison.Ordinal);
    }

    [Fact]
    public void SDSL0213_ItemOutsideRecommend() => Expect("推荐{{ item.name }}", "SDSL0213", 5);

    [Fact]
    public void SDSL0213_ItemIsFineInCrossSell() =>
        Assert.Empty(Compile("{{ item.name }}", TemplateContextKind.CrossSell).Diagnostics);

    [Fact]
    public void SDSL0214_PolicyNameOutsidePolicy() => Expect("{{ ask | money }}", "SDSL0214", 3, TemplateContextKind.Recommend);

    [Fact]
    public void SDSL0215_EndWithoutIf() => Expect("a{{ end }}", "SDSL0215", 4);

    [Fact]
    public void SDSL0215_IfNeverClosed() => Expect("x{{ if room }}y", "SDSL0215", 14);

    [Fact]
    public void SDSL0215_ElseWithoutIf() => Expect("{{ else }}", "SDSL0215", 8);

    [Fact]
    public void SDSL0216_DateFormatOutsideTheSubset() => Expect("{{ promo_end | date 'MMM' }}", "SDSL0216", 20);

    [Fact]
    public void SDSL0217_InvalidCsdslEscape() => Expect("a\\tb", "SDSL0217", 1);

    [Fact]
    public void SDSL0217_InvalidEscapeInATemplateString() => Expect("{{ name | default '\\\\q' }}", "SDSL0200", 18);

    [Fact]
    public void SDSL0218_DefaultOnAValueThatAlwaysHasOne() => Expect("{{ ship_within_hours | default 'x' }}", "SDSL0218", 23);

    [Fact]
    public void SDSL0219_ConditionThatIsNotACondition() => Expect("{{ if courier }}x{{ end }}", "SDSL0219", 6);

    [Fact]
    public void SDSL0220_MoneyWithoutTheMoneyFilter() =>
        Assert.Contains("| money", Expect("{{ base_price }}", "SDSL0220", 3).FormatMessage(), StringComparison.Ordinal);

    [Fact]
    public void SDSL0220_ObjectWrittenAsIs() => Expect("{{ shop }}", "SDSL0220", 3);

    [Fact]
    public void SDSL0221_DateWithoutFormat() => Expect("{{ promo_end | date }}", "SDSL0221", 15);

    [Fact]
    public void SDSL0004_MoneyWithThreeDecimals() => Expect("{{ if base_price > 1.005 }}x{{ end }}", "SDSL0004", 19);

    [Fact]
    public void SDSL0222_MoneyBeyondWhatFenHold() => Expect("{{ if base_price > 100000000000000000 }}x{{ end }}", "SDSL0222", 19);

    /// <summary>An int compares with a number (as in rules, and as Scriban compares 48 > 1.5).</summary>
    [Fact]
    public void AnIntComparesWithAFraction() => Assert.Empty(Compile("{{ if ship_within_hours > 1.5 }}x{{ end }}").Diagnostics);

    [Fact]
    public void SDSL0222_NumberBeyondAnIntProperty() =>
        Expect("{{ if round > 3000000000 }}x{{ end }}", "SDSL0222", 14, TemplateContextKind.Policy);

    [Fact]
    public void SDSL0299_MisuseOfTheApiIsADiagnosticNotAnException()
    {
        var compiled = TemplateCompiler.Compile(new TemplateSource("{{ name }}", FilePath, Start), null!);
        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal("SDSL0299", diagnostic.Id);
        Assert.Equal(12, diagnostic.Start.Line);
        Assert.Equal(14, diagnostic.Start.Column);
    }

    [Fact]
    public void EscapesBeforeAProblemShiftItsColumn()
    {
        // Raw: \"x\" {{ nme }} — the escapes take two raw characters each.
        Expect("\\\"x\\\" {{ nme }}", "SDSL0103", 9);
    }

    [Fact]
    public void ARawNewlineMovesToTheNextLine()
    {
        var diagnostic = Single("ab\n{{ nme }}");
        Assert.Equal(13, diagnostic.Start.Line);
        Assert.Equal(4, diagnostic.Start.Column);
    }

    [Fact]
    public void SeveralProblemsAreAllReportedInOrder()
    {
        var compiled = Compile("{{ nme }} {{ courier | money }} {{ cart.count + 1 }}");
        Assert.Equal(["SDSL0103", "SDSL0207", "SDSL0205"], compiled.Diagnostics.Select(d => d.Id).ToArray());
    }

    [Fact]
    public void AScribanSyntaxErrorIsReportedAloneAtScribansPosition()
    {
        // Scriban's parse failed: its first error is the one to fix, and binding a partial tree would only add noise.
        var compiled = Compile("{{ nme }} {{ end }}");
        Assert.Equal("SDSL0215", Assert.Single(compiled.Diagnostics).Id);
    }

    [Fact]
    public void EveryTemplateIdHasADocsPage()
    {
        var root = FindRepositoryRoot();
        foreach (var descriptor in DiagnosticDescriptors.All.Where(d => string.CompareOrdinal(d.Id, "SDSL0200") >= 0 && string.CompareOrdinal(d.Id, "SDSL0299") <= 0))
        {
            var page = Path.Combine(root, "docs", "diagnostics", descriptor.Id + ".md");
            Assert.True(System.IO.File.Exists(page), "Missing " + page);
            var text = System.IO.File.ReadAllText(page);
            Assert.Contains(descriptor.Id, text, StringComparison.Ordinal);
            Assert.Contains("```csdsl", text, StringComparison.Ordinal);
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory != null && !System.IO.File.Exists(Path.Combine(directory.FullName, "ScriptDsl.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found");
    }
}
