using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;
using ScriptService.Grpc.Interop;

namespace ScriptService.Hosting;

/// <summary>
/// The host setup: Kestrel speaking HTTP/2, and grpc-dotnet (Grpc.AspNetCore) with its limits, the
/// health and reflection services and, with --interop, grpc.testing.TestService. Endpoints and ports
/// are configured in one place, <see cref="ConfigureEndpoints"/>; services are added by the caller's
/// <c>customize</c> and mapped by its <c>mapServices</c> (see ScriptServiceSetup).
/// </summary>
public static class ServiceHost
{
    public const string InteropFlag = "--interop";

    /// <summary>The configuration key of ASP.NET Core's per-request log category (see <see cref="Build"/>).</summary>
    public const string RequestLogCategory = "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Builds the application from command-line arguments: "--urls" (default http://127.0.0.1:5000,
    /// cleartext HTTP/2 with prior knowledge), "--interop" to host grpc.testing.TestService, and any
    /// "--Grpc:Name=value" setting of <see cref="GrpcHostOptions"/>.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null, Action<WebApplication>? mapServices = null)
    {
        var interop = args.Contains(InteropFlag, StringComparer.Ordinal);
        var builder = WebApplication.CreateBuilder(args.Where(a => !string.Equals(a, InteropFlag, StringComparison.Ordinal)).ToArray());
        // While the category below is enabled at any level, ASP.NET Core's hosting layer starts an
        // Activity and a logging scope for every request, only for its "Request starting/finished"
        // lines: about 1 KB allocated per call (docs/grpc.md, "Logging and the cost of a call").
        // Off by default, as the lowest-priority setting: appsettings.json, environment variables
        // and the command line can still turn it on.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new KeyValuePair<string, string?>(RequestLogCategory, "None")],
        });
        var hostOptions = builder.Configuration.GetSection("Grpc").Get<GrpcHostOptions>() ?? new GrpcHostOptions();
        ConfigureEndpoints(builder, hostOptions);

        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = hostOptions.MaxReceiveMessageSize;
            options.MaxSendMessageSize = hostOptions.MaxSendMessageSize;
            options.EnableDetailedErrors = hostOptions.EnableDetailedErrors;
            // gzip is what clients use; deflate costs nothing to offer. Responses are compressed only
            // when a call asks for it (grpc-internal-encoding-request) and the client accepts it.
            options.CompressionProviders = [new GzipCompressionProvider(System.IO.Compression.CompressionLevel.Fastest), new DeflateCompressionProvider(System.IO.Compression.CompressionLevel.Fastest)];
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton<InteropTestService>();
        customize?.Invoke(builder);

        var app = builder.Build();
        if (interop)
        {
            app.MapGrpcService<InteropTestService>();
            app.MapGrpcService<UnimplementedInteropService>();
        }
        mapServices?.Invoke(app);
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>
    /// Where and how the host listens: the "urls" setting (default <see cref="GrpcHostOptions.DefaultUrl"/>),
    /// cleartext HTTP/2 with prior knowledge, or TLS with ALPN when a certificate is configured; the
    /// HTTP/2 stream limit. A second endpoint (e.g. gRPC-Web over HTTP/1.1) belongs here.
    /// </summary>
    private static void ConfigureEndpoints(WebApplicationBuilder builder, GrpcHostOptions hostOptions)
    {
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
                // h2 and HTTP/1.1, so that an HTTP/1.1 client is told 426 by grpc-dotnet instead of a closed socket.
                // The shop console's own endpoint (ShopConsole) speaks HTTP/1.1 for browsers' gRPC-Web.
                listen.Protocols = ShopConsole.Protocols(listen, builder.Configuration, tls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2));
            if (tls)
            {
                var certificate = X509CertificateLoader.LoadPkcs12FromFile(hostOptions.CertificatePath!, hostOptions.CertificatePassword);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
    }
}
