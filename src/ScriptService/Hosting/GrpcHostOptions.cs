namespace ScriptService.Hosting;

/// <summary>Settings of the host's HTTP/2 endpoint and of grpc-dotnet, from the "Grpc" configuration section.</summary>
public sealed class GrpcHostOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Kestrel's limit of concurrent streams (calls) per HTTP/2 connection.</summary>
    public int MaxStreamsPerConnection { get; set; } = 100;

    /// <summary>Largest request message after decompression (grpc-dotnet's GrpcServiceOptions); null for no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest response message; null for no limit.</summary>
    public int? MaxSendMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>When true, a handler's exception message goes to the client in grpc-message.</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>A PKCS#12 file; when set, https endpoints serve TLS with ALPN h2.</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
}
