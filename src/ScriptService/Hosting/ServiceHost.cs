using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ScriptService.Grpc.Binding;
using ScriptService.Grpc.Interop;

namespace ScriptService.Hosting;

/// <summary>
/// The host setup: Kestrel speaking HTTP/2, and the gRPC layer with its services. The only place
/// besides src/ScriptService/Grpc/ that a swap to Grpc.AspNetCore would touch.
/// </summary>
public static class ServiceHost
{
    public const string InteropFlag = "--interop";

    /// <summary>
    /// Builds the application from command-line arguments: "--urls" (default http://127.0.0.1:5000,
    /// cleartext HTTP/2 with prior knowledge), "--interop" to host grpc.testing.TestService, and any
    /// "--Grpc:Name=value" setting of <see cref="GrpcHostOptions"/>.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null, Action<WebApplication>? mapServices = null)
    {
        var interop = args.Contains(InteropFlag, StringComparer.Ordinal);
        var builder = WebApplication.CreateBuilder(args.Where(a => !string.Equals(a, InteropFlag, StringComparison.Ordinal)).ToArray());

        var hostOptions = builder.Configuration.GetSection("Grpc").Get<GrpcHostOptions>() ?? new GrpcHostOptions();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(GrpcHostOptions.DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = hostOptions.MaxStreamsPerConnection;
            var tls = !string.IsNullOrEmpty(hostOptions.CertificatePath);
            kestrel.ConfigureEndpointDefaults(listen =>
                // Cleartext: HTTP/2 only, prior knowledge (Kestrel cannot upgrade h2c). With TLS, ALPN offers
                // h2 and HTTP/1.1, so that an HTTP/1.1 client is told 426 by the gRPC gate instead of a closed socket.
                listen.Protocols = tls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2);
            if (tls)
            {
                var certificate = X509CertificateLoader.LoadPkcs12FromFile(hostOptions.CertificatePath!, hostOptions.CertificatePassword);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });

        builder.Services.AddGrpcServer(options =>
        {
            options.MaxReceiveMessageSize = hostOptions.MaxReceiveMessageSize;
            options.MaxSendMessageSize = hostOptions.MaxSendMessageSize;
            options.EnableDetailedErrors = hostOptions.EnableDetailedErrors;
        });
        customize?.Invoke(builder);

        var app = builder.Build();
        if (interop)
        {
            var testService = new InteropTestService();
            app.MapGrpcService(global::Grpc.Testing.TestReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("TestService"), testService);
            app.MapGrpcService(global::Grpc.Testing.TestReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.ServiceDescriptor>("UnimplementedService"), new object());
            PlainEndpoints.Map(app);
        }
        mapServices?.Invoke(app);
        app.MapGrpcStandardServices();
        return app;
    }
}
