using System.IO.Compression;

namespace ScriptService.Grpc.Protocol;

/// <summary>A message encoding named in grpc-encoding / grpc-accept-encoding.</summary>
public interface ICompressionProvider
{
    string EncodingName { get; }
    Stream CreateCompressionStream(Stream output);
    Stream CreateDecompressionStream(Stream input);
}

public sealed class GzipCompressionProvider : ICompressionProvider
{
    public string EncodingName => "gzip";
    public Stream CreateCompressionStream(Stream output) => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
    public Stream CreateDecompressionStream(Stream input) => new GZipStream(input, CompressionMode.Decompress, leaveOpen: true);
}

/// <summary>gRPC's "deflate" is the zlib format (RFC 1950), as in HTTP.</summary>
public sealed class DeflateCompressionProvider : ICompressionProvider
{
    public string EncodingName => "deflate";
    public Stream CreateCompressionStream(Stream output) => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true);
    public Stream CreateDecompressionStream(Stream input) => new ZLibStream(input, CompressionMode.Decompress, leaveOpen: true);
}

public static class MessageCompression
{
    public static byte[] Compress(ICompressionProvider provider, ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var compressor = provider.CreateCompressionStream(output))
        {
            compressor.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Decompresses, refusing (RESOURCE_EXHAUSTED) output larger than <paramref name="maxSize"/> without producing all of it.</summary>
    public static byte[] Decompress(ICompressionProvider provider, byte[] data, int maxSize)
    {
        using var input = new MemoryStream(data, writable: false);
        using var decompressor = provider.CreateDecompressionStream(input);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = decompressor.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > maxSize)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."));
                }
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Could not decompress the message."));
        }
        return output.ToArray();
    }
}
