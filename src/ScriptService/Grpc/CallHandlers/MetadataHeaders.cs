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
            // HTTP/2 header names that gRPC metadata keys cannot have are not metadata: skipped.
            if (GrpcProtocol.IsReservedHeader(key) || !Metadata.Entry.IsValidKey(key))
            {
                continue;
            }
            // Kestrel names its known headers in canonical case ("User-Agent"); metadata keys are lower case.
            var lowerKey = !HasUpper(key) ? key : LowerCaseNames.TryGetValue(key, out var known) ? known : key.ToLowerInvariant();
            var binary = Metadata.IsBinaryKey(lowerKey);
            foreach (var value in header.Value)
            {
                if (value is null)
                {
                    continue;
                }
                if (!binary)
                {
                    metadata.Add(Metadata.Entry.Trusted(lowerKey, value));
                    continue;
                }
                // Several values of one -bin key may arrive comma-joined; each is base64 on its own.
                foreach (var part in value.Split(','))
                {
                    if (!MetadataEncoding.TryDecodeBinary(part, out var bytes))
                    {
                        badKey = lowerKey;
                        return false;
                    }
                    metadata.Add(Metadata.Entry.Trusted(lowerKey, bytes));
                }
            }
        }
        return true;
    }

    // Kestrel's names for the request headers it knows, lower-cased once rather than on every call.
    private static readonly System.Collections.Frozen.FrozenDictionary<string, string> LowerCaseNames =
        System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(
            new[]
            {
                "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "Baggage", "Cache-Control",
                "Cookie", "Correlation-Context", "Date", "Expect", "From", "If-Match", "If-Modified-Since", "If-None-Match",
                "Origin", "Pragma", "Referer", "Trace-Parent", "Trace-State", "TraceParent", "TraceState", "User-Agent", "Via",
                "Warning", "Keep-Alive", "Proxy-Authorization", "Range", "Request-Id", "Max-Forwards",
            },
            name => name,
            name => name.ToLowerInvariant(),
            StringComparer.Ordinal);

    private static bool HasUpper(string key)
    {
        foreach (var c in key)
        {
            if (c is >= 'A' and <= 'Z')
            {
                return true;
            }
        }
        return false;
    }
}
