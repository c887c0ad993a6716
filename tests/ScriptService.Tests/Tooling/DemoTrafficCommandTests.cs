using System.Globalization;
using System.Text.RegularExpressions;
using ScriptDsl.Protocol.V1;
using ScriptService.Tooling;

namespace ScriptService.Tests.Tooling;

/// <summary>demo-traffic against a real server: what it says it did is what the server's statistics count.</summary>
public sealed partial class DemoTrafficCommandTests
{
    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var code = await DemoTrafficCommand.RunAsync(args, output, timeout.Token);
        return (code, output.ToString());
    }

    [GeneratedRegex(@"demo-traffic: (\d+) conversations with (\w+) \((\d+) buyer messages, (\d+) bargained, (\d+) with a question the script missed\): (\d+) ordered, (\d+) paid")]
    private static partial Regex Summary();

    private static long Field(Match m, int group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ReplayedConversationsAndOutcomesShowInTheStatistics()
    {
        await using var server = await ServiceServer.StartAsync();
        try
        {
            var (code, output) = await Run("--shop", "lamp_shop", "--conversations", "40", "--server", server.Address.ToString(), "--seed", "7");
            Assert.Equal(0, code);
            var summary = Summary().Match(output);
            Assert.True(summary.Success, output);
            Assert.Equal(40, Field(summary, 1));

            var stats = await server.CallAsync(server.Api.GetStatsAsync, new GetStatsRequest { ShopId = "lamp_shop" });
            Assert.Equal(40, stats.Conversations);
            Assert.Equal(Field(summary, 6), stats.Ordered);
            Assert.Equal(Field(summary, 7), stats.Paid);
            Assert.True(stats.Paid > 0 && stats.Paid <= stats.Ordered && stats.Ordered < stats.Conversations, output);
            Assert.True(stats.AveragePaidMinor > 0);
            Assert.Contains(stats.Variants, v => v.Intent == "recommend" && v.Shown > 0);
            Assert.True(Field(summary, 4) > 0, "some buyers bargained");
            Assert.Contains(stats.PolicySteps, s => s.Used > 0);
        }
        finally
        {
            ServiceServer.DeleteFolder(server.DataFolder);
        }
    }

    [Fact]
    public async Task TheSameSeedReplaysTheSameConversations()
    {
        var results = new List<GetStatsResponse>();
        for (var run = 0; run < 2; run++)
        {
            await using var server = await ServiceServer.StartAsync();
            try
            {
                var (code, _) = await Run("--shop", "apparel_shop", "--conversations", "15", "--server", server.Address.ToString(), "--seed", "3", "--concurrency", "3");
                Assert.Equal(0, code);
                results.Add(await server.CallAsync(server.Api.GetStatsAsync, new GetStatsRequest { ShopId = "apparel_shop" }));
            }
            finally
            {
                ServiceServer.DeleteFolder(server.DataFolder);
            }
        }

        Assert.Equal(results[0].Ordered, results[1].Ordered);
        Assert.Equal(results[0].Paid, results[1].Paid);
        Assert.Equal(results[0].AveragePaidMinor, results[1].AveragePaidMinor);
        Assert.Equal(results[0].Variants.Select(v => (v.VariantId, v.Shown)).Order(), results[1].Variants.Select(v => (v.VariantId, v.Shown)).Order());
    }

    [Theory]
    [InlineData(new[] { "--conversations", "10" }, "--shop is required")]
    [InlineData(new[] { "--shop", "lamp_shop", "--conversations", "0" }, "--conversations must be a whole number from 1 to 100000, not '0'")]
    [InlineData(new[] { "--shop", "lamp_shop", "--concurrency", "-1" }, "--concurrency must be a whole number from 1 to 64")]
    [InlineData(new[] { "--shop", "lamp_shop", "--what", "x" }, "unexpected argument '--what'")]
    [InlineData(new[] { "--shop", "no_shop" }, "no buyer lines for shop 'no_shop' (there are for: apparel_shop, lamp_shop)")]
    public async Task BadArgumentsAreRefusedWithTheReason(string[] args, string message)
    {
        var (code, output) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task AnUnreachableServerFailsTheRun()
    {
        var (code, output) = await Run("--shop", "lamp_shop", "--server", "http://127.0.0.1:1", "--conversations", "1");
        Assert.Equal(1, code);
        Assert.Contains("cannot reach http://127.0.0.1:1", output);
    }
}
