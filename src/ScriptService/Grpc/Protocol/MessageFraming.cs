using System.Buffers;
using System.Buffers.Binary;

namespace ScriptService.Grpc.Protocol;

/// <summary>
/// Length-prefixed messages: a compressed flag byte (0 or 1), a 4-byte big-endian length, the message.
/// Pure functions over buffers, so frames split across reads and several frames per read are table-tested.
/// </summary>
public static class MessageFraming
{
    /// <summary>
    /// Takes one whole frame from the front of <paramref name="buffer"/> if it is all there.
    /// Throws <see cref="RpcException"/> RESOURCE_EXHAUSTED as soon as the 5-byte header announces a
    /// message larger than <paramref name="maxMessageSize"/>, before any of its body is buffered,
    /// and INTERNAL for a flag byte other than 0 or 1.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxMessageSize, out bool compressed, out ReadOnlySequence<byte> message)
    {
        compressed = false;
        message = default;
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(new Status(StatusCode.Internal, "Invalid compressed flag value in message header.")),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."));
        }
        if (buffer.Length < GrpcProtocol.HeaderSize + length)
        {
            return false;
        }
        message = buffer.Slice(GrpcProtocol.HeaderSize, length);
        buffer = buffer.Slice(GrpcProtocol.HeaderSize + length);
        return true;
    }

    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}
