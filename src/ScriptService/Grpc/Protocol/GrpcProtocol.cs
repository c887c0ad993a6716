namespace ScriptService.Grpc.Protocol;

/// <summary>Names and constants of the "gRPC over HTTP2" protocol.</summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string ContentTypeProto = "application/grpc+proto";

    public const string StatusTrailer = "grpc-status";
    public const string MessageTrailer = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string MessageTypeHeader = "grpc-message-type";
    public const string TeHeader = "te";
    public const string IdentityEncoding = "identity";

    /// <summary>1 byte compressed flag + 4 bytes big-endian length.</summary>
    public const int HeaderSize = 5;

    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;
    public const int DefaultMaxSendMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// True for "application/grpc" and "application/grpc+proto" (any case, with or without
    /// parameters such as "; charset=utf-8"). Other subtypes ("+json") are not served: we only speak proto.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }
        var semicolon = contentType.IndexOf(';');
        var mediaType = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return string.Equals(mediaType, ContentType, StringComparison.OrdinalIgnoreCase)
            || string.Equals(mediaType, ContentTypeProto, StringComparison.OrdinalIgnoreCase);
    }

    private static readonly System.Collections.Frozen.FrozenSet<string> ReservedHeaders = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        new[]
        {
            "content-type", "content-length", TeHeader, "host", "connection", "transfer-encoding", "upgrade",
            TimeoutHeader, EncodingHeader, AcceptEncodingHeader, StatusTrailer, MessageTrailer,
        },
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers that belong to the protocol (or to HTTP) and are never passed on as custom metadata.</summary>
    public static bool IsReservedHeader(string key) => key.Length == 0 || key[0] == ':' || ReservedHeaders.Contains(key);
}
