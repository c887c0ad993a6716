using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using ScriptDsl.Protocol.V1;

namespace ScriptService.Tooling;

/// <summary>
/// Replays realistic buyer conversations against a running server, with their outcomes, so that the
/// console's dashboard and unmatched list have something to show:
/// <c>dotnet run --project src/ScriptService -- demo-traffic --shop lamp_shop --conversations 500</c>.
/// The buyers' lines are the situations of the shops' training documents (greeting, asking for a
/// recommendation, answering the agent's questions, the common questions, the seven objections,
/// bargaining, ordering, saying goodbye) plus questions the scripts do not cover. Deterministic for a
/// given --seed: the same conversations, carts, asks and outcomes every run.
/// </summary>
public sealed class DemoTrafficCommand
{
    public const string Usage = """
        usage: dotnet run --project src/ScriptService -- demo-traffic --shop SHOP [--conversations N]
                 [--server URL] [--key KEY] [--seed N] [--concurrency N]
          --conversations  how many buyer conversations to replay (1..100000, default 500)
          --server         the service address (default http://127.0.0.1:5000)
          --key            the shop's API key, when the server has keys configured
          --seed           the same seed replays the same conversations (default 1)
          --concurrency    conversations in flight at once (1..64, default 8)
        """;

    private readonly ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient _api;
    private readonly Metadata _headers = [];
    private readonly string _shop;
    private readonly BuyerLines _lines;
    private readonly IReadOnlyList<CatalogItem> _items;
    private readonly string _runId;
    private int _turns;
    private int _ordered;
    private int _paid;
    private int _negotiated;
    private int _missed;

    private DemoTrafficCommand(ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient api, string shop, string? key, BuyerLines lines, IReadOnlyList<CatalogItem> items, string runId)
    {
        _api = api;
        _shop = shop;
        _lines = lines;
        _items = items;
        _runId = runId;
        if (key is not null)
        {
            _headers.Add("authorization", "Bearer " + key);
        }
    }

    /// <summary>Runs the replay; returns the exit code (0 done, 1 a call failed, 2 bad usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ParseOptions(args, output);
        if (options is null)
        {
            return 2;
        }

        var shop = options.Shop;
        if (!BuyerLines.ByShop.TryGetValue(shop, out var lines))
        {
            output.WriteLine($"demo-traffic: no buyer lines for shop '{shop}' (there are for: {string.Join(", ", BuyerLines.ByShop.Keys.Order(StringComparer.Ordinal))}).");
            return 2;
        }

        using var channel = GrpcChannel.ForAddress(options.Server);
        var api = new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(channel);
        var headers = new Metadata();
        if (options.Key is not null)
        {
            headers.Add("authorization", "Bearer " + options.Key);
        }

        ScriptInfo? info;
        try
        {
            var scripts = await api.ListScriptsAsync(new ListScriptsRequest(), headers, DateTime.UtcNow.AddSeconds(10), cancellationToken).ConfigureAwait(false);
            info = scripts.Scripts.FirstOrDefault(s => string.Equals(s.ShopId, shop, StringComparison.Ordinal));
        }
        catch (RpcException e)
        {
            output.WriteLine($"demo-traffic: cannot reach {options.Server}: {e.StatusCode}: {e.Status.Detail}");
            return 1;
        }

        if (info is null)
        {
            output.WriteLine($"demo-traffic: the server at {options.Server} does not host shop '{shop}'.");
            return 2;
        }

        var runId = options.Seed.ToString(CultureInfo.InvariantCulture) + "-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var command = new DemoTrafficCommand(api, shop, options.Key, lines, info.Items, runId);
        var clock = Stopwatch.StartNew();
        var next = -1;
        var failure = (RpcException?)null;
        async Task Worker()
        {
            for (var i = Interlocked.Increment(ref next); i < options.Conversations && failure is null; i = Interlocked.Increment(ref next))
            {
                try
                {
                    await command.ConverseAsync(i, new Random(HashCode.Combine(options.Seed, i)), cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e)
                {
                    failure ??= e;
                }

                if ((i + 1) % 100 == 0)
                {
                    output.WriteLine($"demo-traffic: {i + 1}/{options.Conversations} conversations");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Worker())).ConfigureAwait(false);
        if (failure is not null)
        {
            output.WriteLine($"demo-traffic: a call failed: {failure.StatusCode}: {failure.Status.Detail}");
            return 1;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"demo-traffic: {options.Conversations} conversations with {shop} ({command._turns} buyer messages, {command._negotiated} bargained, {command._missed} with a question the script missed): {command._ordered} ordered, {command._paid} paid, in {clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    /// <summary>One buyer: opens, asks, answers, asks the common questions, objects, maybe bargains, then orders, pays or leaves.</summary>
    private async Task ConverseAsync(int index, Random random, CancellationToken cancellationToken)
    {
        var conversation = $"demo-{_runId}-{index.ToString(CultureInfo.InvariantCulture)}";
        var cart = PickCart(random);
        var context = new BuyerContext { CustomerTier = random.Next(5) == 0 ? "returning" : "new", Cart = cart };
        var interest = 0.30;

        await SayAsync(conversation, Pick(random, _lines.Openings), context, cancellationToken).ConfigureAwait(false);
        if (random.NextDouble() < 0.8)
        {
            await SayAsync(conversation, Pick(random, _lines.Needs), context, cancellationToken).ConfigureAwait(false);
            foreach (var answer in PickSome(random, _lines.Answers, random.Next(1, 4)))
            {
                await SayAsync(conversation, answer, context, cancellationToken).ConfigureAwait(false);
            }

            interest += 0.15;
        }

        foreach (var question in PickSome(random, _lines.Questions, random.Next(0, 3)))
        {
            await SayAsync(conversation, question, context, cancellationToken).ConfigureAwait(false);
        }

        if (random.NextDouble() < 0.25)
        {
            var reply = await SayAsync(conversation, Pick(random, _lines.Missed), context, cancellationToken).ConfigureAwait(false);
            if (reply.Match is MatchKind.MatchFallback or MatchKind.MatchClarifying || reply.Intent.Length == 0)
            {
                Interlocked.Increment(ref _missed);
                interest -= 0.10;
            }
        }

        var objection = random.NextDouble();
        if (objection < 0.25)
        {
            await SayAsync(conversation, Pick(random, _lines.Hesitations), context, cancellationToken).ConfigureAwait(false);
            interest -= 0.10;
        }

        long? agreed = null;
        if (cart.Lines.Count > 0 && objection is >= 0.25 and < 0.7)
        {
            agreed = await BargainAsync(conversation, cart, context.CustomerTier, random, cancellationToken).ConfigureAwait(false);
            interest += agreed is null ? 0.0 : 0.15;
        }

        var quote = cart.Lines.Count == 0 ? null
            : await _api.QuoteAsync(new QuoteRequest { ShopId = _shop, Cart = cart, CustomerTier = context.CustomerTier }, _headers, Deadline(), cancellationToken).ConfigureAwait(false);
        if (random.NextDouble() < interest)
        {
            await SayAsync(conversation, Pick(random, _lines.Orders), context, cancellationToken).ConfigureAwait(false);
            await OutcomeAsync(conversation, RecordOutcomeRequest.Types.Outcome.Ordered, 0, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _ordered);
            if (random.NextDouble() < 0.8)
            {
                var paid = agreed ?? quote?.PayableTotalMinor ?? 0;
                await OutcomeAsync(conversation, RecordOutcomeRequest.Types.Outcome.Paid, paid, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _paid);
            }

            await SayAsync(conversation, Pick(random, _lines.Goodbyes), context, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await OutcomeAsync(conversation, RecordOutcomeRequest.Types.Outcome.Left, 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One to three asks: a price the buyer names (75–95% of the list price), "any better", free shipping; the agreed total, if any.</summary>
    private async Task<long?> BargainAsync(string conversation, Cart cart, string tier, Random random, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _negotiated);
        var list = cart.Lines.Sum(l => l.UnitPriceMinor * l.Quantity);
        long? agreed = null;
        for (var round = random.Next(1, 4); round > 0; round--)
        {
            var request = new NegotiateRequest { ShopId = _shop, ConversationId = conversation, Cart = cart, CustomerTier = tier, RequestId = Guid.NewGuid().ToString("N") };
            switch (random.Next(3))
            {
                case 0:
                    // Whole yuan, as buyers name prices.
                    request.TargetTotalMinor = list * random.Next(75, 96) / 100 / 100 * 100;
                    request.Message = string.Create(CultureInfo.InvariantCulture, $"{request.TargetTotalMinor / 100}可以吗");
                    break;
                case 1:
                    request.AnyBetter = true;
                    request.Message = "不能再优惠一点吗";
                    break;
                default:
                    request.FreeShipping = true;
                    request.Message = "包个邮吧";
                    break;
            }

            var decision = await _api.NegotiateAsync(request, _headers, Deadline(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _turns);
            agreed = decision.TotalMinor;
            if (decision.Decision is NegotiateResponse.Types.Decision.Accept or NegotiateResponse.Types.Decision.Hold)
            {
                break;
            }
        }

        return agreed;
    }

    private async Task<ReplyResponse> SayAsync(string conversation, string message, BuyerContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _turns);
        return await _api.ReplyAsync(
            new ReplyRequest { ShopId = _shop, ConversationId = conversation, Message = message, Context = context, RequestId = Guid.NewGuid().ToString("N") },
            _headers, Deadline(), cancellationToken).ConfigureAwait(false);
    }

    private Task OutcomeAsync(string conversation, RecordOutcomeRequest.Types.Outcome outcome, long paid, CancellationToken cancellationToken) =>
        _api.RecordOutcomeAsync(new RecordOutcomeRequest { ShopId = _shop, ConversationId = conversation, Outcome = outcome, PaidTotalMinor = paid },
            _headers, Deadline(), cancellationToken).ResponseAsync;

    private Cart PickCart(Random random)
    {
        var cart = new Cart();
        foreach (var item in PickSome(random, _items, _items.Count == 0 ? 0 : random.Next(1, Math.Min(3, _items.Count) + 1)))
        {
            cart.Lines.Add(new CartLine { Sku = item.Sku, Name = item.Name, UnitPriceMinor = item.PriceMinor, Quantity = random.Next(4) == 0 ? 2 : 1, Category = item.Category });
        }

        return cart;
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(30);

    private static T Pick<T>(Random random, IReadOnlyList<T> list) => list[random.Next(list.Count)];

    private static List<T> PickSome<T>(Random random, IReadOnlyList<T> list, int count)
    {
        var indices = Enumerable.Range(0, list.Count).ToList();
        var picked = new List<T>(count);
        for (var i = 0; i < count && indices.Count > 0; i++)
        {
            var at = random.Next(indices.Count);
            picked.Add(list[indices[at]]);
            indices.RemoveAt(at);
        }

        return picked;
    }

    private sealed record Options(string Shop, int Conversations, string Server, string? Key, int Seed, int Concurrency);

    private static Options? ParseOptions(string[] args, TextWriter output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is not ("--shop" or "--conversations" or "--server" or "--key" or "--seed" or "--concurrency") || i + 1 >= args.Length)
            {
                output.WriteLine($"demo-traffic: unexpected argument '{args[i]}'.");
                output.WriteLine(Usage);
                return null;
            }

            values[args[i][2..]] = args[++i];
        }

        if (!values.TryGetValue("shop", out var shop) || shop.Length == 0)
        {
            output.WriteLine("demo-traffic: --shop is required.");
            output.WriteLine(Usage);
            return null;
        }

        int? Number(string name, int fallback, int min, int max)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            {
                return n;
            }

            output.WriteLine($"demo-traffic: --{name} must be a whole number from {min} to {max}, not '{text}'.");
            return null;
        }

        var conversations = Number("conversations", 500, 1, 100_000);
        var seed = Number("seed", 1, 0, int.MaxValue);
        var concurrency = Number("concurrency", 8, 1, 64);
        if (conversations is null || seed is null || concurrency is null)
        {
            return null;
        }

        return new Options(shop, conversations.Value, values.GetValueOrDefault("server", "http://127.0.0.1:5000"), values.GetValueOrDefault("key"), seed.Value, concurrency.Value);
    }
}
