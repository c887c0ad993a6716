using Google.Protobuf;
using Grpc.Testing;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Server;

namespace ScriptService.Grpc.Tests;

/// <summary>
/// grpc.testing.TestService with behaviours the protocol tests need to observe from inside the
/// handler: a handler that throws, one that waits for its token, one that writes twice at once.
/// </summary>
public sealed class BehaviourService
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<DateTime> TokenCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<Exception?> SecondWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<ServerCallContext> Context { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    /// <summary>fill_username: throw a plain exception; fill_oauth_scope: wait until the call's token is cancelled.</summary>
    public async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        Context.TrySetResult(context);
        if (request.FillUsername)
        {
            throw new InvalidOperationException("secret detail");
        }
        if (request.FillOauthScope)
        {
            await WaitForCancellationAsync(context);
        }
        return new SimpleResponse { Payload = new Payload { Body = ByteString.CopyFrom(new byte[request.ResponseSize]) } };
    }

    /// <summary>Writes one response, then waits for cancellation (client reset or deadline).</summary>
    public async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new StreamingOutputCallResponse());
        await WaitForCancellationAsync(context);
    }

    public async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
    {
        Started.TrySetResult();
        var total = 0;
        try
        {
            while (await requestStream.MoveNext(CancellationToken.None))
            {
                total += requestStream.Current.Payload.Body.Length;
            }
        }
        catch (Exception)
        {
            TokenCancelled.TrySetResult(DateTime.UtcNow);
            throw;
        }
        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    /// <summary>Starts a 1 MiB write (it cannot complete before the client reads) and at once a second one.</summary>
    public async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        var first = responseStream.WriteAsync(new StreamingOutputCallResponse { Payload = new Payload { Body = ByteString.CopyFrom(new byte[1024 * 1024]) } });
        try
        {
            await responseStream.WriteAsync(new StreamingOutputCallResponse());
            SecondWrite.TrySetResult(null);
        }
        catch (Exception ex)
        {
            SecondWrite.TrySetResult(ex);
        }
        await first;
    }

    private async Task WaitForCancellationAsync(ServerCallContext context)
    {
        Started.TrySetResult();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (context.CancellationToken.Register(() => cancelled.TrySetResult()))
        {
            await Task.WhenAny(cancelled.Task, Task.Delay(TestServer.TestTimeout));
        }
        if (context.CancellationToken.IsCancellationRequested)
        {
            TokenCancelled.TrySetResult(DateTime.UtcNow);
        }
        context.CancellationToken.ThrowIfCancellationRequested();
    }

    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor =>
        TestReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("TestService");

    public static Task<TestServer> StartServerAsync(BehaviourService service, Action<GrpcServerOptions>? options = null, TimeProvider? timeProvider = null,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null) =>
        TestServer.StartAsync(interop: false, options, timeProvider, app => Binding.GrpcEndpointExtensions.MapGrpcService(app, Descriptor, service), kestrel: kestrel);
}
