using Grpc.Core;
using Grpc.Testing;

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
            var test = new TestService.TestServiceClient(server.Channel);
            var request = new StreamingOutputCallRequest();
            for (var i = 0; i < 4; i++)
            {
                request.ResponseParameters.Add(new ResponseParameters { Size = 8, IntervalUs = 250_000 });
            }

            using var call = test.StreamingOutputCall(request, ServiceServer.Options());
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

            // Stop while three responses are still to come, a quarter second apart.
            var stopping = server.StopAsync();
            var received = 1;
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                received++;
            }

            await stopping;
            Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
            Assert.Equal(4, received);
        }
        finally
        {
            await server.DisposeAsync();
            ServiceServer.DeleteFolder(server.DataFolder);
        }
    }
}
