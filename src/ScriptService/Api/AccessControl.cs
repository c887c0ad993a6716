using System.Security.Cryptography;
using System.Text;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Api;

/// <summary>One API key and the shop it opens (configuration section "Access:Keys").</summary>
public sealed class ApiKeyOptions
{
    public string Shop { get; set; } = "";

    public string Key { get; set; } = "";
}

public sealed class AccessOptions
{
    public List<ApiKeyOptions> Keys { get; set; } = [];
}

/// <summary>
/// Per-shop API keys from "authorization: Bearer &lt;key&gt;" metadata. A key opens exactly one shop:
/// another shop's data is PERMISSION_DENIED; a missing or unknown key is UNAUTHENTICATED. With no
/// keys configured every call is allowed, and the host binds to loopback only (see ServiceHost).
/// </summary>
public sealed class AccessControl
{
    private readonly Dictionary<string, string> _shopByKeyHash;

    public AccessControl(AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _shopByKeyHash = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in options.Keys)
        {
            if (string.IsNullOrWhiteSpace(entry.Key) || string.IsNullOrWhiteSpace(entry.Shop))
            {
                throw new ArgumentException("Every entry of Access:Keys needs both Shop and Key.", nameof(options));
            }

            if (!_shopByKeyHash.TryAdd(Hash(entry.Key), entry.Shop))
            {
                throw new ArgumentException($"An API key is configured twice (second time for shop '{entry.Shop}').", nameof(options));
            }
        }
    }

    public bool Enabled => _shopByKeyHash.Count > 0;

    /// <summary>The shop the caller's key opens; null when access control is off.</summary>
    public string? CallerShop(ServerCallContext context)
    {
        if (!Enabled)
        {
            return null;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authorization metadata is missing; send 'authorization: Bearer <key>' with the shop's API key."));
        }

        // Keys are compared by their SHA-256, so the lookup does not leak how much of a key matched.
        if (!_shopByKeyHash.TryGetValue(Hash(header[scheme.Length..].Trim()), out var shop))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the API key is not valid."));
        }

        return shop;
    }

    /// <summary>Refuses the call unless the caller's key (from <see cref="CallerShop"/>) opens <paramref name="shopId"/>.</summary>
    public static void Require(string? callerShop, string shopId)
    {
        if (callerShop is not null && !string.Equals(callerShop, shopId, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"this API key does not open shop '{shopId}'."));
        }
    }

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
