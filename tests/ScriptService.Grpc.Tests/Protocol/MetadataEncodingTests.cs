using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Tests.ProtocolHelpers;

public class MetadataEncodingTests
{
    [Theory]
    [InlineData("", new byte[0])]
    [InlineData("AQ==", new byte[] { 1 })]
    [InlineData("AQ", new byte[] { 1 })]
    [InlineData("AQI=", new byte[] { 1, 2 })]
    [InlineData("AQI", new byte[] { 1, 2 })]
    [InlineData("AQID", new byte[] { 1, 2, 3 })]
    [InlineData("CgsKCwoL", new byte[] { 0x0a, 0x0b, 0x0a, 0x0b, 0x0a, 0x0b })]
    [InlineData(" AQI ", new byte[] { 1, 2 })]
    public void Decodes_padded_and_unpadded(string text, byte[] expected)
    {
        Assert.True(MetadataEncoding.TryDecodeBinary(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("A$==")]
    [InlineData("AQID!")]
    public void Refuses_invalid_base64(string text)
    {
        Assert.False(MetadataEncoding.TryDecodeBinary(text, out _));
    }

    [Theory]
    [InlineData(new byte[] { 1 }, "AQ")]
    [InlineData(new byte[] { 1, 2 }, "AQI")]
    [InlineData(new byte[] { 1, 2, 3 }, "AQID")]
    public void Encodes_without_padding(byte[] bytes, string expected)
    {
        Assert.Equal(expected, MetadataEncoding.EncodeBinary(bytes));
    }

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("Application/GRPC", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc+json", false)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData("text/plain", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Recognises_grpc_content_types(string? contentType, bool expected)
    {
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));
    }
}
