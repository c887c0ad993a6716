using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Server;

/// <summary>
/// What a service method sees of its call. Shaped like Grpc.Core.ServerCallContext so that service
/// implementations survive a swap to Grpc.AspNetCore with only their using directives changed.
/// </summary>
public abstract class ServerCallContext
{
    /// <summary>"/package.Service/Method".</summary>
    public abstract string Method { get; }
    public abstract string Host { get; }
    public abstract string Peer { get; }

    /// <summary>When the call's deadline passes (UTC); DateTime.MaxValue when the client set none.</summary>
    public abstract DateTime Deadline { get; }
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Cancelled when the client cancels or resets the stream, or the deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status sent at the end of a call that returns normally.</summary>
    public abstract Status Status { get; set; }

    /// <summary>Flags for the messages written from now on (e.g. <see cref="WriteFlags.NoCompress"/>).</summary>
    public abstract WriteOptions? WriteOptions { get; set; }

    /// <summary>
    /// The encoding to compress responses with ("gzip", "deflate"), used when the client accepts it.
    /// Grpc.AspNetCore sets this through the "grpc-internal-encoding-request" response header instead.
    /// </summary>
    public abstract string? ResponseCompressionAlgorithm { get; set; }

    /// <summary>Sends the response headers now, with this custom metadata. Only once, before any message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);
}

[Flags]
public enum WriteFlags
{
    BufferHint = 1,
    NoCompress = 2,
}

public sealed class WriteOptions
{
    public static readonly WriteOptions Default = new();

    public WriteOptions(WriteFlags flags = default) => Flags = flags;

    public WriteFlags Flags { get; }
}

/// <summary>Reads a client's stream of messages (mirrors Grpc.Core.IAsyncStreamReader).</summary>
public interface IAsyncStreamReader<out T>
{
    T Current { get; }
    Task<bool> MoveNext(CancellationToken cancellationToken);
}

/// <summary>Writes a stream of messages to the client (mirrors Grpc.Core.IServerStreamWriter). One write at a time.</summary>
public interface IServerStreamWriter<in T>
{
    WriteOptions? WriteOptions { get; set; }
    Task WriteAsync(T message);
    Task WriteAsync(T message, CancellationToken cancellationToken);
}

public static class AsyncStreamReaderExtensions
{
    /// <summary>await foreach over a request stream.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(this IAsyncStreamReader<T> reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
