using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScriptService.Grpc.CallHandlers;
using ScriptService.Grpc.Server;
using ScriptService.Grpc.Services;

using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace ScriptService.Grpc.Binding;

/// <summary>The host-facing surface of the gRPC layer: AddGrpcServer, AddGrpcService, MapGrpcServices.</summary>
public static class GrpcEndpointExtensions
{
    /// <summary>Registers the layer, the health service and server reflection (v1 and v1alpha).</summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GrpcServiceRegistry>();
        services.AddSingleton<HealthServiceImpl>();
        services.AddSingleton<ReflectionServiceV1Alpha>();
        services.AddSingleton<ReflectionServiceV1>();
        return services;
    }

    /// <summary>Hosts <paramref name="implementation"/> as the protobuf service <paramref name="descriptor"/>.</summary>
    public static IEndpointRouteBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, ServiceDescriptor descriptor, object implementation)
    {
        var provider = endpoints.ServiceProvider;
        provider.GetRequiredService<GrpcServiceRegistry>().Add(descriptor, implementation);
        var binder = new GrpcServiceBinder(
            provider.GetRequiredService<IOptions<GrpcServerOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>());
        foreach (var binding in binder.Bind(descriptor, implementation))
        {
            endpoints.MapPost(binding.Path, binding.Handler.HandleCallAsync).WithDisplayName("gRPC " + binding.Path);
        }
        // A hosted service is SERVING for health checks until the host says otherwise.
        provider.GetRequiredService<HealthServiceImpl>().SetStatus(descriptor.FullName, global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving);
        return endpoints;
    }

    /// <summary>
    /// Maps the standard services (health, reflection) and a catch-all that answers gRPC requests for
    /// unknown services or methods with UNIMPLEMENTED (other requests get 404).
    /// </summary>
    public static IEndpointRouteBuilder MapGrpcStandardServices(this IEndpointRouteBuilder endpoints)
    {
        var provider = endpoints.ServiceProvider;
        endpoints.MapGrpcService(global::Grpc.Health.V1.HealthReflection.Descriptor.Services[0], provider.GetRequiredService<HealthServiceImpl>());
        endpoints.MapGrpcService(global::Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0], provider.GetRequiredService<ReflectionServiceV1Alpha>());
        endpoints.MapGrpcService(global::Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services[0], provider.GetRequiredService<ReflectionServiceV1>());

        var options = provider.GetRequiredService<IOptions<GrpcServerOptions>>().Value;
        var timeProvider = provider.GetRequiredService<TimeProvider>();
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("ScriptService.Grpc.Unimplemented");
        var registry = provider.GetRequiredService<GrpcServiceRegistry>();
        endpoints.MapFallback(context =>
        {
            if (!Protocol.GrpcProtocol.IsGrpcContentType(context.Request.ContentType))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            var path = context.Request.Path.Value ?? "";
            var message = KnowsServiceOf(registry, path) ? "Method is unimplemented." : "Service is unimplemented.";
            return new UnimplementedServerCallHandler(path, message, options, timeProvider, logger).HandleCallAsync(context);
        });
        return endpoints;
    }

    private static bool KnowsServiceOf(GrpcServiceRegistry registry, string path)
    {
        var slash = path.IndexOf('/', 1);
        if (path.Length < 2 || slash < 0)
        {
            return false;
        }
        var service = path[1..slash];
        return registry.Services.Any(s => string.Equals(s.FullName, service, StringComparison.Ordinal));
    }
}
