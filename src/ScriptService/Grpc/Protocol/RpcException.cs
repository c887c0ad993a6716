namespace ScriptService.Grpc.Protocol;

/// <summary>
/// Thrown by a service to end the call with a given status, and by the client when a call ends
/// with a non-OK status (mirrors Grpc.Core.RpcException).
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(Status status) : this(status, new Metadata(), status.Detail) { }

    public RpcException(Status status, Metadata trailers) : this(status, trailers, status.Detail) { }

    public RpcException(Status status, Metadata trailers, string message)
        : base($"Status(StatusCode=\"{status.StatusCode}\", Detail=\"{message}\")")
    {
        Status = status;
        Trailers = trailers;
    }

    public Status Status { get; }
    public StatusCode StatusCode => Status.StatusCode;
    public Metadata Trailers { get; }
}
