namespace ScriptService.Grpc.Protocol;

/// <summary>Binary ("-bin") metadata values: base64, padded or not on input, emitted without padding.</summary>
public static class MetadataEncoding
{
    public static string EncodeBinary(ReadOnlySpan<byte> value) => Convert.ToBase64String(value).TrimEnd('=');

    public static bool TryDecodeBinary(string value, out byte[] bytes)
    {
        bytes = Array.Empty<byte>();
        var trimmed = value.Trim();
        switch (trimmed.Length % 4)
        {
            case 1: return false;
            case 2: trimmed += "=="; break;
            case 3: trimmed += "="; break;
        }
        var buffer = new byte[trimmed.Length / 4 * 3];
        if (!Convert.TryFromBase64String(trimmed, buffer, out var written))
        {
            return false;
        }
        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }
}
