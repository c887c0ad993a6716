using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Tests.ProtocolHelpers;

public class PercentEncodingTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain text ~!", "plain text ~!")]
    [InlineData("100%", "100%25")]
    [InlineData("a\tb\nc\r", "a%09b%0Ac%0D")]
    [InlineData("\u263a", "%E2%98%BA")]
    [InlineData("\U0001f608", "%F0%9F%98%88")]
    [InlineData("\u007f", "%7F")]
    [InlineData("\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n",
        "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A")]
    public void Encodes_and_decodes(string text, string encoded)
    {
        Assert.Equal(encoded, PercentEncoding.Encode(text));
        Assert.Equal(text, PercentEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz", "%zz")]
    [InlineData("50%-off", "50%-off")]
    [InlineData("%e2%98%ba", "\u263a")] // lower-case hex is accepted
    [InlineData("%E2%98", "\uFFFD")] // a truncated UTF-8 sequence decodes to the replacement character, never throws
    public void Decoding_is_lenient(string encoded, string expected)
    {
        Assert.Equal(expected, PercentEncoding.Decode(encoded));
    }
}
