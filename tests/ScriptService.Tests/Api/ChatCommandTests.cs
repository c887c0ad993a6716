using ScriptService.Chat;

namespace ScriptService.Tests.Api;

/// <summary>The chat command line replaying a file of buyer lines against a real server, as CI would.</summary>
public sealed class ChatCommandTests : IAsyncLifetime
{
    private ServiceServer _server = null!;
    private readonly string _file = Path.GetTempFileName();

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
        File.Delete(_file);
    }

    private async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        using var timeout = new CancellationTokenSource(ServiceServer.Timeout);
        var code = await ChatCommand.RunAsync(args, TextReader.Null, output, timeout.Token);
        return (code, output.ToString());
    }

    [Fact]
    public async Task ReplayingTheSeedsDialoguePrintsRepliesIntentsAndSlots()
    {
        await File.WriteAllLinesAsync(_file, ["# the bedroom lamp dialogue", "老板,请给我推荐一款卧室灯", "我更喜欢方形的", "我家是北欧装修风格", "/items", "/cart NB-201 1", "/outcome ordered", "/stats"]);
        var (code, output) = await Run("--shop", "lamp_shop", "--server", _server.Address.ToString(), "--replay", _file, "--conversation", "cli-1");

        Assert.Equal(0, code);
        Assert.Contains("== 明亮灯饰 (lamp_shop), conversation cli-1", output);
        Assert.Contains("买家> 老板,请给我推荐一款卧室灯", output);
        Assert.Contains("店铺> 亲, 您好, 欢迎光临明亮灯饰", output);
        Assert.Contains("[intent=recommend stage=consult slots: room=卧室]", output);
        Assert.Contains("action: recommend NB-201 北欧简约卧室吸顶灯", output);
        Assert.Contains("cart: NB-201×1", output);
        Assert.Contains("recorded Ordered", output);
        Assert.Contains("conversations 1, ordered 1", output);
        Assert.DoesNotContain("# the bedroom", output);
    }

    [Fact]
    public async Task AFailedCallInAReplayFailsTheRun()
    {
        await File.WriteAllLinesAsync(_file, ["在吗", "/outcome paid 0"]);
        var (code, output) = await Run("--shop", "lamp_shop", "--server", _server.Address.ToString(), "--replay", _file);
        Assert.Equal(1, code);
        Assert.Contains("!! InvalidArgument: paid_total_minor", output);
    }

    [Fact]
    public async Task AnUnknownShopIsReportedWithTheShopsTheServerHosts()
    {
        var (code, output) = await Run("--shop", "no_shop", "--server", _server.Address.ToString(), "--replay", _file);
        Assert.Equal(2, code);
        Assert.Contains("apparel_shop, lamp_shop", output);
    }

    [Fact]
    public async Task BadUsageShowsHowToUseIt()
    {
        var (code, output) = await Run("--server", _server.Address.ToString());
        Assert.Equal(2, code);
        Assert.Contains("--shop is required", output);
        Assert.Contains("usage:", output);
    }

    [Fact]
    public async Task AnUnreachableServerIsReported()
    {
        var (code, output) = await Run("--shop", "lamp_shop", "--server", "http://127.0.0.1:9", "--replay", _file);
        Assert.Equal(1, code);
        Assert.Contains("cannot reach the server", output);
    }
}
