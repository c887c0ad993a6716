using ScriptService.Grpc.Protocol;

namespace ScriptService.Grpc.Tests.ProtocolHelpers;

public class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 36_000_000_000L)]
    [InlineData("2M", 1_200_000_000L)]
    [InlineData("3S", 30_000_000L)]
    [InlineData("250m", 2_500_000L)]
    [InlineData("1500u", 15_000L)]
    [InlineData("1u", 10L)]
    [InlineData("1000n", 10L)]
    [InlineData("1n", 1L)] // below one tick: rounded up, never zero
    [InlineData("0S", 0L)]
    [InlineData("99999999S", 999_999_990_000_000L)]
    [InlineData("00000007m", 70_000L)]
    public void Parses_every_unit(string header, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("1")]
    [InlineData("123456789S")] // nine digits: the specification allows at most eight
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    [InlineData("1 S")]
    [InlineData("1s")] // units are case-sensitive: 's' is not a unit
    [InlineData("1h")]
    [InlineData("1x")]
    [InlineData("١S")] // a non-ASCII digit
    public void Refuses_what_the_specification_does_not_allow(string header)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _));
    }

    [Theory]
    [InlineData(1L, "100n")]
    [InlineData(10_000L, "1000000n")]
    [InlineData(50_000_000L, "5000000u")]
    [InlineData(36_000_000_000L, "3600000m")]
    [InlineData(-5L, "1n")]
    public void Formats_within_eight_digits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_never_shortens_and_always_parses()
    {
        foreach (var ticks in new[] { 1L, 7L, 12_345L, 987_654_321L, TimeSpan.FromDays(3).Ticks, TimeSpan.FromDays(36_000).Ticks })
        {
            var text = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));
            Assert.True(text.Length <= 9, text);
            Assert.True(GrpcTimeout.TryParse(text, out var back), text);
            Assert.True(back.Ticks >= ticks || text.EndsWith('H'), text);
        }
    }
}
