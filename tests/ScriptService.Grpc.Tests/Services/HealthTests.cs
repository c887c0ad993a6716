using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ScriptService.Grpc.Client;
using ScriptService.Grpc.Protocol;
using ScriptService.Grpc.Services;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace ScriptService.Grpc.Tests.Services;

public class HealthTests
{
    private static ServiceClient Health(TestServer server) => server.Client.ForService(HealthReflection.Descriptor.Services[0]);

    [Fact]
    public async Task Check_reports_the_server_and_registered_services()
    {
        await using var server = await TestServer.StartAsync();
        var whole = await Health(server).UnaryAsync<HealthCheckRequest, HealthCheckResponse>("Check", new HealthCheckRequest());
        Assert.Equal(ServingStatus.Serving, whole.Status);
        var hosted = await Health(server).UnaryAsync<HealthCheckRequest, HealthCheckResponse>("Check", new HealthCheckRequest { Service = "grpc.testing.TestService" });
        Assert.Equal(ServingStatus.Serving, hosted.Status);

        server.Services.GetRequiredService<HealthServiceImpl>().SetStatus("grpc.testing.TestService", ServingStatus.NotServing);
        var named = await Health(server).UnaryAsync<HealthCheckRequest, HealthCheckResponse>("Check", new HealthCheckRequest { Service = "grpc.testing.TestService" });
        Assert.Equal(ServingStatus.NotServing, named.Status);

        var error = await Assert.ThrowsAsync<RpcException>(() => Health(server).UnaryAsync<HealthCheckRequest, HealthCheckResponse>("Check", new HealthCheckRequest { Service = "no.Such" }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Watch_sends_the_current_status_and_then_each_change()
    {
        await using var server = await TestServer.StartAsync();
        var health = server.Services.GetRequiredService<HealthServiceImpl>();
        await using var call = Health(server).Start<HealthCheckRequest, HealthCheckResponse>("Watch", new CallOptions(Timeout: TestServer.TestTimeout));
        await call.WriteAsync(new HealthCheckRequest { Service = "svc" });
        await call.CompleteRequestAsync();
        Assert.True(await call.MoveNextAsync());
        Assert.Equal(ServingStatus.ServiceUnknown, call.Current.Status);

        health.SetStatus("svc", ServingStatus.Serving);
        Assert.True(await call.MoveNextAsync());
        Assert.Equal(ServingStatus.Serving, call.Current.Status);

        health.SetStatus("svc", ServingStatus.NotServing);
        Assert.True(await call.MoveNextAsync());
        Assert.Equal(ServingStatus.NotServing, call.Current.Status);
    }
}
