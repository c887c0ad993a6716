using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Client;

/// <summary>Per-call settings: custom metadata, deadline, request compression, cancellation.</summary>
public sealed record CallOptions(
    Metadata? Headers = null,
    TimeSpan? Timeout = null,
    string? RequestCompression = null,
    CancellationToken CancellationToken = default);
