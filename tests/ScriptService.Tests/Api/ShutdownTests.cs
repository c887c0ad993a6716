using Grpc.Testing;
using ScriptService.Grpc.Client;

namespace ScriptService.Tests.Api;

/// <summary>Stopping the host lets calls in flight finish.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task AStopWaitsForCallsInFlight()
    {
        var server = await ServiceServer.StartAsync(null, "--interop");
        try
        {
            var test = server.Client.ForService(TestReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("TestService"));
            var request = new StreamingOutputCallRequest();
            for (var i = 0; i < 4; i++)
            {
                request.ResponseParameters.Add(new ResponseParameters { Size = 8, IntervalUs = 250_000 });
            }

            await using var call = test.Start<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", new CallOptions(Timeout: ServiceServer.Timeout));
            await call.WriteAsync(request);
            await call.CompleteRequestAsync();
            Assert.True(await call.MoveNextAsync());

            // Stop while three responses are still to come, a quarter second apart.
            var stopping = server.StopAsync();
            var received = 1;
            while (await call.MoveNextAsync())
            {
                received++;
            }

            await stopping;
            call.EnsureSuccess();
            Assert.Equal(4, received);
        }
        finally
        {
            await server.DisposeAsync();
            ServiceServer.DeleteFolder(server.DataFolder);
        }
    }
}
