using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ScriptService.Grpc.Protocol;

using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ScriptService.Grpc.Client;

/// <summary>Typed access to one service's methods by rpc name, checked against its descriptor.</summary>
public sealed class ServiceClient
{
    private readonly GrpcClient _client;

    public ServiceClient(GrpcClient client, ServiceDescriptor service)
    {
        _client = client;
        Service = service;
    }

    public ServiceDescriptor Service { get; }

    public MethodDescriptor Method(string name) =>
        Service.FindMethodByName(name) ?? throw new ArgumentException($"{Service.FullName} has no rpc {name}.", nameof(name));

    public Task<TResponse> UnaryAsync<TRequest, TResponse>(string method, TRequest request, CallOptions? options = null)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        _client.UnaryAsync<TRequest, TResponse>(Method(method), request, options);

    public IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(string method, TRequest request, CallOptions? options = null)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        _client.ServerStreamingAsync<TRequest, TResponse>(Method(method), request, options);

    public Task<TResponse> ClientStreamingAsync<TRequest, TResponse>(string method, IEnumerable<TRequest> requests, CallOptions? options = null)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        _client.ClientStreamingAsync<TRequest, TResponse>(Method(method), requests, options);

    public GrpcCall<TRequest, TResponse> Start<TRequest, TResponse>(string method, CallOptions? options = null)
        where TRequest : IMessage<TRequest> where TResponse : IMessage<TResponse> =>
        _client.Start<TRequest, TResponse>(Method(method), options);
}
