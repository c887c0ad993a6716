using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ScriptService.Grpc.Protocol;

using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ScriptService.Grpc.Client;

/// <summary>
/// A small gRPC client over HttpClient: HTTP/2 (cleartext with prior knowledge, or TLS), messages
/// framed by <see cref="MessageFraming"/>, the status read from trailers (or from the headers of a
/// trailers-only response). Calls are described by protobuf <see cref="MethodDescriptor"/>s, so one
/// generic client serves every service; <see cref="ServiceClient"/> names methods by their rpc name.
/// </summary>
public sealed class GrpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;

    public GrpcClient(Uri address, HttpMessageHandler? handler = null)
        : this(new HttpClient(handler ?? new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { BaseAddress = address }, ownsHttpClient: true)
    {
    }

    public GrpcClient(HttpClient httpClient, bool ownsHttpClient = false)
    {
        _http = httpClient;
        _http.DefaultRequestVersion = HttpVersion.Version20;
        _http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // deadlines are per call (grpc-timeout)
        _ownsHttpClient = ownsHttpClient;
    }

    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>The deadline of calls whose <see cref="CallOptions.Timeout"/> is not set; null for none.</summary>
    public TimeSpan? DefaultTimeout { get; set; }

    public ServiceClient ForService(ServiceDescriptor service) => new(this, service);

    /// <summary>Starts a call of any kind; the caller writes requests and reads responses.</summary>
    public GrpcCall<TRequest, TResponse> Start<TRequest, TResponse>(MethodDescriptor method, CallOptions? options = null)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException($"{method.FullName} takes {method.InputType.ClrType.Name} and returns {method.OutputType.ClrType.Name}.");
        }
        return new GrpcCall<TRequest, TResponse>(_http, "/" + method.Service.FullName + "/" + method.Name,
            (MessageParser<TResponse>)method.OutputType.Parser, WithDefaults(options ?? new CallOptions()), MaxReceiveMessageSize);
    }

    private CallOptions WithDefaults(CallOptions options) =>
        options.Timeout is null && DefaultTimeout is { } timeout ? options with { Timeout = timeout } : options;

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(MethodDescriptor method, TRequest request, CallOptions? options = null)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        await using var call = Start<TRequest, TResponse>(method, options);
        await call.WriteAsync(request).ConfigureAwait(false);
        await call.CompleteRequestAsync().ConfigureAwait(false);
        return await call.ReadSingleResponseAsync().ConfigureAwait(false);
    }

    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(MethodDescriptor method, TRequest request, CallOptions? options = null)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        await using var call = Start<TRequest, TResponse>(method, options);
        await call.WriteAsync(request).ConfigureAwait(false);
        await call.CompleteRequestAsync().ConfigureAwait(false);
        while (await call.MoveNextAsync().ConfigureAwait(false))
        {
            yield return call.Current;
        }
        call.EnsureSuccess();
    }

    public async Task<TResponse> ClientStreamingAsync<TRequest, TResponse>(MethodDescriptor method, IEnumerable<TRequest> requests, CallOptions? options = null)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        await using var call = Start<TRequest, TResponse>(method, options);
        foreach (var request in requests)
        {
            await call.WriteAsync(request).ConfigureAwait(false);
        }
        await call.CompleteRequestAsync().ConfigureAwait(false);
        return await call.ReadSingleResponseAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    /// <summary>The status a client derives from a non-200 HTTP response that carries no grpc-status (spec: HTTP to gRPC status mapping).</summary>
    public static StatusCode StatusFromHttp(HttpStatusCode code) => (int)code switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
