using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Server;

/// <summary>Options of the gRPC layer (the names follow Grpc.AspNetCore's GrpcServiceOptions).</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest message accepted, after decompression; null for no limit. Default 4 MiB.</summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest message sent, before compression; null for no limit. Default 4 MiB.</summary>
    public int? MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxSendMessageSize;

    /// <summary>When true, a handler's exception type and message go to the client in grpc-message.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>Default response encoding when the client accepts it; null sends responses uncompressed.</summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>Supported message encodings besides identity.</summary>
    public IList<ICompressionProvider> CompressionProviders { get; } = new List<ICompressionProvider>
    {
        new GzipCompressionProvider(),
        new DeflateCompressionProvider(),
    };

    internal ICompressionProvider? FindProvider(string name)
    {
        foreach (var provider in CompressionProviders)
        {
            if (string.Equals(provider.EncodingName, name, StringComparison.Ordinal))
            {
                return provider;
            }
        }
        return null;
    }

    internal string AcceptEncodingValue =>
        _acceptEncoding ??= string.Join(",", new[] { GrpcProtocol.IdentityEncoding }.Concat(CompressionProviders.Select(p => p.EncodingName)));

    private string? _acceptEncoding;
}
