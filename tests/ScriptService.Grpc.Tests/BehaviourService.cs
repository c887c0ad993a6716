using Google.Protobuf;
using Grpc.Core;
using Grpc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ScriptService.Grpc.Tests;

/// <summary>
/// grpc.testing.TestService (on the generated base) with behaviours the tests need to observe from
/// inside the handler: a handler that throws, one that waits for its token, one that writes twice at once.
/// </summary>
public sealed class BehaviourService : TestService.TestServiceBase
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<DateTime> TokenCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<Exception?> SecondWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<ServerCallContext> Context { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task<Empty> EmptyCall(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    /// <summary>fill_username: throw a plain exception; fill_oauth_scope: wait until the call's token is cancelled.</summary>
    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
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
    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
    {
        await responseStream.WriteAsync(new StreamingOutputCallResponse());
        await WaitForCancellationAsync(context);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requestStream, ServerCallContext context)
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
    public override async Task FullDuplexCall(IAsyncStreamReader<StreamingOutputCallRequest> requestStream, IServerStreamWriter<StreamingOutputCallResponse> responseStream, ServerCallContext context)
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

    /// <summary>A host serving only this instance as grpc.testing.TestService.</summary>
    public static Task<TestServer> StartServerAsync(BehaviourService service, Action<global::Grpc.AspNetCore.Server.GrpcServiceOptions>? options = null,
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null) =>
        TestServer.StartAsync(interop: false, options,
            configure: builder => builder.Services.AddSingleton(service),
            map: app => app.MapGrpcService<BehaviourService>(), kestrel: kestrel);
}
