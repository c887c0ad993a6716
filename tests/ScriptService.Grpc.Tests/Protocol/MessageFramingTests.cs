using System.Buffers;
using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Tests.ProtocolHelpers;

public class MessageFramingTests
{
    private static byte[] Frame(byte flag, params byte[] payload)
    {
        var frame = Raw.Frame(payload);
        frame[0] = flag;
        return frame;
    }

    /// <summary>The bytes as a sequence of segments cut at the given offsets, as a pipe hands them over.</summary>
    private static ReadOnlySequence<byte> Segments(byte[] bytes, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Prepend(0).Append(bytes.Length).ToArray();
        Segment? first = null, last = null;
        for (var i = 0; i + 1 < bounds.Length; i++)
        {
            var piece = bytes.AsMemory(bounds[i], bounds[i + 1] - bounds[i]);
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    [Fact]
    public void Reads_a_frame_split_at_every_possible_point()
    {
        var bytes = Frame(0, 1, 2, 3, 4, 5, 6, 7);
        for (var a = 0; a <= bytes.Length; a++)
        {
            for (var b = a; b <= bytes.Length; b++)
            {
                var buffer = Segments(bytes, a, b);
                Assert.True(MessageFraming.TryReadFrame(ref buffer, 100, out var compressed, out var message), $"cut at {a},{b}");
                Assert.False(compressed);
                Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, message.ToArray());
                Assert.Equal(0, buffer.Length);
            }
        }
    }

    [Fact]
    public void Waits_for_the_rest_of_a_partial_frame_at_every_length()
    {
        var bytes = Frame(0, 9, 9, 9);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = Segments(bytes[..length], length / 2);
            var before = buffer;
            Assert.False(MessageFraming.TryReadFrame(ref buffer, 100, out _, out _));
            Assert.Equal(before.Length, buffer.Length); // nothing consumed
        }
    }

    [Fact]
    public void Reads_several_frames_from_one_buffer_including_empty_messages()
    {
        var bytes = Frame(0).Concat(Frame(1, 42)).Concat(Frame(0, 1, 2)).Concat(Frame(0, 7)[..3]).ToArray();
        var buffer = Segments(bytes, 4, 11);
        var read = new List<(bool, byte[])>();
        while (MessageFraming.TryReadFrame(ref buffer, 100, out var compressed, out var message))
        {
            read.Add((compressed, message.ToArray()));
        }
        Assert.Equal(3, read.Count);
        Assert.False(read[0].Item1);
        Assert.Empty(read[0].Item2);
        Assert.True(read[1].Item1);
        Assert.Equal(new byte[] { 42 }, read[1].Item2);
        Assert.Equal(new byte[] { 1, 2 }, read[2].Item2);
        Assert.Equal(3, buffer.Length); // the start of the fourth frame is left for the next read
    }

    [Fact]
    public void Refuses_an_oversized_message_from_its_header_alone()
    {
        // Only the 5-byte header is there: the refusal must not wait for (or buffer) the body.
        var header = new byte[] { 0, 0, 0, 4, 1 }; // 1025 bytes announced
        var buffer = new ReadOnlySequence<byte>(header);
        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadFrame(ref buffer, 1024, out _, out _));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void Accepts_a_message_of_exactly_the_limit()
    {
        var bytes = Raw.Frame(new byte[1024]);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(MessageFraming.TryReadFrame(ref buffer, 1024, out _, out var message));
        Assert.Equal(1024, message.Length);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Refuses_an_unknown_flag(byte flag)
    {
        var buffer = new ReadOnlySequence<byte>(Frame(flag, 1));
        var error = Assert.Throws<RpcException>(() => MessageFraming.TryReadFrame(ref buffer, 100, out _, out _));
        Assert.Equal(StatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public void Header_is_flag_then_big_endian_length()
    {
        var header = new byte[5];
        MessageFraming.WriteHeader(header, compressed: true, 0x01020304);
        Assert.Equal(new byte[] { 1, 1, 2, 3, 4 }, header);
    }
}
