using ScriptDsl.Protocol.V1;
using Grpc.Core;

namespace ScriptService.Tests.Api;

/// <summary>ListScripts, Reply, Converse, RecordOutcome and GetStats end to end over a real loopback server.</summary>
public sealed class ReplyApiTests : IAsyncLifetime
{
    private ServiceServer _server = null!;

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    private static ReplyRequest Message(string conversation, string text, string requestId = "") =>
        new() { ShopId = "lamp_shop", ConversationId = conversation, Message = text, RequestId = requestId };

    [Fact]
    public async Task ListScriptsDescribesEveryCompiledShop()
    {
        var list = await _server.CallAsync(_server.Api.ListScriptsAsync, new ListScriptsRequest());
        Assert.Equal(["apparel_shop", "lamp_shop"], list.Scripts.Select(s => s.ShopId));
        var lamp = list.Scripts.Single(s => s.ShopId == "lamp_shop");
        Assert.Equal("明亮灯饰", lamp.DisplayName);
        Assert.Contains("price_objection", lamp.Intents);
        Assert.Contains("greet", lamp.Stages);
        Assert.Contains("bargain", lamp.Policies);
        Assert.Equal(64, lamp.SourceHash.Length);
        Assert.Contains(lamp.Items, i => i.Sku == "NB-201" && i.PriceMinor == 29900);
    }

    [Fact]
    public async Task TheBedroomLampDialogueOverTheWire()
    {
        var first = await _server.ReplyAsync(Message("c1", "老板,请给我推荐一款卧室灯"));
        Assert.Equal("recommend", first.Intent);
        Assert.Contains("欢迎光临", first.Messages[0].Text);
        Assert.Equal("卧室", first.Slots["room"]);
        Assert.All(first.Messages, m => Assert.NotEmpty(m.VariantId));

        await _server.ReplyAsync(Message("c1", "我更喜欢方形的"));
        var third = await _server.ReplyAsync(Message("c1", "我家是北欧装修风格,想要简单一点的"));
        Assert.Equal("NB-201", Assert.Single(third.Actions).Recommend.Sku);
        Assert.Equal(3, third.Slots.Count);
    }

    [Fact]
    public async Task ARetriedRequestReturnsTheFirstAnswerAndChangesNothing()
    {
        var first = await _server.ReplyAsync(Message("c2", "老板,请给我推荐一款卧室灯", "r-1"));
        var retry = await _server.ReplyAsync(Message("c2", "老板,请给我推荐一款卧室灯", "r-1"));
        Assert.Equal(first, retry);

        // Had the retry run again, the variant rotation and the questions asked would have moved on.
        var next = await _server.ReplyAsync(Message("c2", "我更喜欢方形的", "r-2"));
        var fresh = await _server.ReplyAsync(Message("c2-control", "老板,请给我推荐一款卧室灯"));
        var freshNext = await _server.ReplyAsync(Message("c2-control", "我更喜欢方形的"));
        Assert.Equal(freshNext.Messages, next.Messages);
        Assert.Equal(first.Messages, fresh.Messages);
    }

    [Fact]
    public async Task AReusedRequestIdWithAnotherMessageIsRefused()
    {
        await _server.ReplyAsync(Message("c3", "在吗", "same"));
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.ReplyAsync(Message("c3", "推荐一款灯", "same")));
        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("request_id", error.Status.Detail);
    }

    [Fact]
    public async Task ConverseStreamsAWholeChat()
    {
        using var call = _server.Api.Converse(ServiceServer.Options());
        string[] lines = ["老板,请给我推荐一款卧室灯", "我更喜欢方形的", "我家是北欧装修风格"];
        var replies = new List<ReplyResponse>();
        foreach (var line in lines)
        {
            await call.RequestStream.WriteAsync(new ConverseRequest { Message = Message("stream-1", line) });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            replies.Add(call.ResponseStream.Current);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("recommend", replies[0].Intent);
        Assert.Equal("NB-201", replies[2].Actions.Single().Recommend.Sku);
    }

    [Fact]
    public async Task ABadMessageInAStreamEndsItWithInvalidArgument()
    {
        using var call = _server.Api.Converse(ServiceServer.Options());
        await call.RequestStream.WriteAsync(new ConverseRequest { Message = Message("stream-2", "在吗") });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(new ConverseRequest { Message = Message("stream-2", "") });
        await call.RequestStream.CompleteAsync();
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("message", error.Status.Detail);
    }

    [Fact]
    public async Task OutcomesAndStatisticsReportConversionPerVariant()
    {
        await _server.ReplyAsync(Message("s1", "在吗"));
        await _server.ReplyAsync(Message("s1", "我已经拍下了"));
        await _server.ReplyAsync(Message("s2", "在吗"));

        await _server.CallAsync(_server.Api.RecordOutcomeAsync,
            new RecordOutcomeRequest { ShopId = "lamp_shop", ConversationId = "s1", Outcome = RecordOutcomeRequest.Types.Outcome.Ordered });
        await _server.CallAsync(_server.Api.RecordOutcomeAsync,
            new RecordOutcomeRequest { ShopId = "lamp_shop", ConversationId = "s1", Outcome = RecordOutcomeRequest.Types.Outcome.Paid, PaidTotalMinor = 29900 });
        await _server.CallAsync(_server.Api.RecordOutcomeAsync,
            new RecordOutcomeRequest { ShopId = "lamp_shop", ConversationId = "s2", Outcome = RecordOutcomeRequest.Types.Outcome.Left });

        var stats = await _server.CallAsync(_server.Api.GetStatsAsync, new GetStatsRequest { ShopId = "lamp_shop" });
        Assert.Equal(2, stats.Conversations);
        Assert.Equal(1, stats.Ordered);
        Assert.Equal(1, stats.Paid);
        Assert.Equal(0.5, stats.InquiryConversion);
        Assert.Equal(1.0, stats.PaymentRate);
        Assert.Equal(29900, stats.AveragePaidMinor);
        var greeting = stats.Variants.Where(v => v.Intent == "greet").ToList();
        Assert.Equal(2, greeting.Sum(v => v.Shown));
        Assert.Equal(1, greeting.Sum(v => v.OrderedAfter));
        Assert.Contains(stats.Variants, v => v.Intent == "order_placed" && v.OrderedAfter == 1);
    }

    [Fact]
    public async Task AnOutcomeForAConversationThatNeverHappenedIsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.CallAsync(_server.Api.RecordOutcomeAsync,
            new RecordOutcomeRequest { ShopId = "lamp_shop", ConversationId = "never", Outcome = RecordOutcomeRequest.Types.Outcome.Ordered }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task HealthReportsTheServerAndTheServiceServingFromTheStoresCheck()
    {
        var health = new global::Grpc.Health.V1.Health.HealthClient(_server.Channel);
        foreach (var service in new[] { "", "scriptdsl.v1.ScriptService" })
        {
            var response = await health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest { Service = service }, ServiceServer.Options());
            Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
        }

        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest { Service = "no.Such" }, ServiceServer.Options()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ReflectionListsTheApiAndHealthAndDescribesTheApi()
    {
        var reflection = new global::Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(_server.Channel);
        using var call = reflection.ServerReflectionInfo(ServiceServer.Options());
        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "*" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("scriptdsl.v1.ScriptService", names);
        Assert.Contains("grpc.health.v1.Health", names);

        await call.RequestStream.WriteAsync(new global::Grpc.Reflection.V1.ServerReflectionRequest { FileContainingSymbol = "scriptdsl.v1.ScriptService" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var file = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("scriptdsl/v1/script_service.proto", file.Name);
        Assert.Contains(file.Service.Single().Method, m => m.Name == "Reply");
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }

    [Fact]
    public async Task HealthAndReflectionStayOpenWhileTheApiNeedsAKey()
    {
        // The access interceptor is registered on the API only.
        var guarded = await ServiceServer.StartAsync(null, "--Access:Keys:0:Shop=lamp_shop", "--Access:Keys:0:Key=k");
        try
        {
            var health = new global::Grpc.Health.V1.Health.HealthClient(guarded.Channel);
            Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving,
                (await health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest(), ServiceServer.Options())).Status);
            var error = await Assert.ThrowsAsync<RpcException>(() => guarded.CallAsync(guarded.Api.ListScriptsAsync, new ListScriptsRequest()));
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
            Assert.Single((await guarded.CallAsync(guarded.Api.ListScriptsAsync, new ListScriptsRequest(), "k")).Scripts);
        }
        finally
        {
            await guarded.DisposeAsync();
            ServiceServer.DeleteFolder(guarded.DataFolder);
        }
    }
}
