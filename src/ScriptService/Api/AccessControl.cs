using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

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
/// keys configured every call is allowed, and the host binds to loopback only (see ScriptServiceSetup).
/// <see cref="AccessInterceptor"/> authenticates every call of the API once, before the method runs;
/// the method reads the caller's shop with <see cref="CallerShop"/> and checks it with <see cref="Require"/>.
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

    /// <summary>The key under which the interceptor leaves the caller's shop in the call's UserState.</summary>
    private static readonly object CallerKey = new();

    /// <summary>
    /// The shop the caller's key opens, as <see cref="AccessInterceptor"/> found it; null when access
    /// control is off. A call that did not pass the interceptor is refused rather than let through.
    /// </summary>
    public string? CallerShop(ServerCallContext context)
    {
        if (!Enabled)
        {
            return null;
        }

        return context.UserState.TryGetValue(CallerKey, out var shop) && shop is string name
            ? name
            : throw new RpcException(new Status(StatusCode.Internal, "the call was not authenticated."));
    }

    /// <summary>Checks the caller's key and remembers the shop it opens for <see cref="CallerShop"/>.</summary>
    public void Authenticate(ServerCallContext context)
    {
        if (!Enabled)
        {
            return;
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

        context.UserState[CallerKey] = shop;
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

/// <summary>
/// The API keys as one gRPC interceptor, registered once for the scriptdsl.v1.ScriptService service
/// (ScriptServiceSetup): every call of every kind is authenticated before its method runs. Health and
/// reflection stay open, as before.
/// </summary>
public sealed class AccessInterceptor(AccessControl access) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        access.Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        access.Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        access.Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        access.Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }
}
