using Microsoft.AspNetCore.Http;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.CallHandlers;

/// <summary>Custom metadata to and from HTTP/2 header fields; "-bin" values are base64 on the wire.</summary>
internal static class MetadataHeaders
{
    public static void Append(Metadata metadata, Action<string, string> append)
    {
        foreach (var entry in metadata)
        {
            if (GrpcProtocol.IsReservedHeader(entry.Key))
            {
                continue;
            }
            append(entry.Key, entry.IsBinary ? MetadataEncoding.EncodeBinary(entry.ValueBytes) : entry.Value);
        }
    }

    /// <summary>The first "-bin" header whose value is not base64, or null.</summary>
    public static string? FindInvalidBinaryHeader(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            if (!Metadata.IsBinaryKey(header.Key))
            {
                continue;
            }
            foreach (var value in header.Value)
            {
                foreach (var part in (value ?? "").Split(','))
                {
                    if (!MetadataEncoding.TryDecodeBinary(part, out _))
                    {
                        return header.Key.ToLowerInvariant();
                    }
                }
            }
        }
        return null;
    }

    /// <summary>Request headers as metadata; false (with the bad key) when a -bin value is not base64.</summary>
    public static bool TryRead(IHeaderDictionary headers, out Metadata metadata, out string? badKey)
    {
        metadata = new Metadata();
        badKey = null;
        foreach (var header in headers)
        {
            var key = header.Key;
            if (GrpcProtocol.IsReservedHeader(key))
            {
                continue;
            }
            var lowerKey = key.ToLowerInvariant();
            foreach (var value in header.Value)
            {
                if (value is null)
                {
                    continue;
                }
                if (Metadata.IsBinaryKey(lowerKey))
                {
                    // Several values of one -bin key may arrive comma-joined; each is base64 on its own.
                    foreach (var part in value.Split(','))
                    {
                        if (!MetadataEncoding.TryDecodeBinary(part, out var bytes))
                        {
                            badKey = lowerKey;
                            return false;
                        }
                        TryAdd(metadata, new Func<Metadata.Entry>(() => new Metadata.Entry(lowerKey, bytes)));
                    }
                }
                else
                {
                    TryAdd(metadata, () => new Metadata.Entry(lowerKey, value));
                }
            }
        }
        return true;
    }

    // HTTP/2 allows header names that gRPC metadata keys do not; such headers are not metadata, so they are skipped.
    private static void TryAdd(Metadata metadata, Func<Metadata.Entry> create)
    {
        try
        {
            metadata.Add(create());
        }
        catch (ArgumentException)
        {
        }
    }
}
