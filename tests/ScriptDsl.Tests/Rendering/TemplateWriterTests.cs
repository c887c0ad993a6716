using System.Globalization;
using ScriptDsl.Templates;

namespace ScriptDsl.Tests.Rendering;

public class TemplateWriterTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(10L)]
    [InlineData(-1L)]
    [InlineData(20000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void IntegersAreWrittenLikeTheInvariantFormatter(long value)
    {
        var writer = new TemplateWriter(new char[4]);
        writer.Append("n=");
        writer.AppendInt(value);
        Assert.Equal("n=" + value.ToString(CultureInfo.InvariantCulture), writer.ToString());
        writer.Dispose();
    }

    [Theory]
    [InlineData(78500L, "785")]
    [InlineData(108L, "1.08")]
    [InlineData(5L, "0.05")]
    [InlineData(0L, "0")]
    [InlineData(-50L, "-0.50")]
    [InlineData(long.MinValue, "-92233720368547758.08")]
    [InlineData(long.MaxValue, "92233720368547758.07")]
    public void MoneyIsWrittenAsTheSeedsWriteIt(long fen, string expected)
    {
        var writer = new TemplateWriter(new char[2]);
        writer.AppendMoney(fen);
        Assert.Equal(expected, writer.ToString());
        Assert.Equal(expected, MoneyText.Format(fen));
        writer.Dispose();
    }
}
