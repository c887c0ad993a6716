using Google.Protobuf;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.CallHandlers;

// The four service method shapes of Grpc.Core, as delegates bound once per method at startup.
public delegate Task<TResponse> UnaryMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);
public delegate Task ServerStreamingMethod<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
public delegate Task<TResponse> ClientStreamingMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);
public delegate Task DuplexStreamingMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);
