using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using ScriptDsl.Protocol.V1;

namespace ScriptService.Chat;

/// <summary>
/// A console chat against a running server: type as the buyer, see each reply with its intent,
/// stage and slots. Lines starting with "/" are commands (/help). With --replay FILE the lines come
/// from the file and the transcript goes to standard output, for CI.
/// </summary>
public sealed class ChatCommand
{
    public const string Usage = """
        usage: dotnet run --project src/ScriptService -- chat --shop SHOP [--server URL] [--key KEY]
                                                        [--tier TIER] [--conversation ID] [--replay FILE]
          --server        the service address (default http://127.0.0.1:5000)
          --key           the shop's API key, when the server has keys configured
          --replay FILE   read buyer lines and commands from FILE instead of the keyboard
        commands: /cart SKU [QTY]  /cart clear  /quote  /negotiate 700 | 8折 | shipping | any
                  /outcome ordered | paid AMOUNT | left   /stats   /unmatched [N]   /items   /help   /quit
        """;

    private readonly ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient _api;
    private readonly TextWriter _out;
    private readonly Metadata _headers = new();
    private readonly string _shop;
    private readonly string _tier;
    private readonly string _conversation;
    private readonly Cart _cart = new();
    private List<CatalogItem> _items = [];
    private int _requests;

    private ChatCommand(ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient api, TextWriter output, string shop, string? key, string tier, string conversation)
    {
        _api = api;
        _out = output;
        _shop = shop;
        _tier = tier;
        _conversation = conversation;
        if (key is not null)
        {
            _headers.Add("authorization", "Bearer " + key);
        }
    }

    /// <summary>Runs the chat; returns the process exit code (0 ok, 1 a call failed in replay, 2 bad usage).</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ParseOptions(args, output);
        if (options is null)
        {
            return 2;
        }

        using var channel = GrpcChannel.ForAddress(options.GetValueOrDefault("server", "http://127.0.0.1:5000"));
        var api = new ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient(channel);
        var chat = new ChatCommand(api, output, options["shop"], options.GetValueOrDefault("key"), options.GetValueOrDefault("tier", "new"),
            options.GetValueOrDefault("conversation", "chat-" + Guid.NewGuid().ToString("N")[..12]));
        var replay = options.TryGetValue("replay", out var file);
        using var reader = replay ? new StreamReader(file!) : null;
        return await chat.LoopAsync(reader ?? input, replay, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string>? ParseOptions(string[] args, TextWriter output)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length
                || args[i] is not ("--shop" or "--server" or "--key" or "--tier" or "--conversation" or "--replay"))
            {
                output.WriteLine($"chat: unexpected argument '{args[i]}'.");
                output.WriteLine(Usage);
                return null;
            }

            options[args[i][2..]] = args[++i];
        }

        if (!options.ContainsKey("shop"))
        {
            output.WriteLine("chat: --shop is required.");
            output.WriteLine(Usage);
            return null;
        }

        return options;
    }

    private async Task<int> LoopAsync(TextReader input, bool replay, CancellationToken cancellationToken)
    {
        try
        {
            var list = await Call(_api.ListScriptsAsync, new ListScriptsRequest(), cancellationToken).ConfigureAwait(false);
            var script = list.Scripts.FirstOrDefault(s => string.Equals(s.ShopId, _shop, StringComparison.Ordinal));
            if (script is null)
            {
                _out.WriteLine($"chat: the server does not host '{_shop}'. It hosts: {string.Join(", ", list.Scripts.Select(s => s.ShopId))}.");
                return 2;
            }

            _items = [.. script.Items];
            _out.WriteLine($"== {script.DisplayName} ({script.ShopId}), conversation {_conversation}. /help for commands.");
        }
        catch (Exception e) when (e is RpcException or HttpRequestException)
        {
            _out.WriteLine("chat: cannot reach the server: " + e.Message);
            return 1;
        }

        var failed = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!replay)
            {
                _out.Write("买家> ");
            }

            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null || line.Trim() is "/quit" or "/exit")
            {
                break;
            }

            line = line.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (replay)
            {
                _out.WriteLine("买家> " + line);
            }

            try
            {
                await HandleAsync(line, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                failed = true;
                _out.WriteLine($"!! {e.StatusCode}: {e.Status.Detail}");
            }
            catch (HttpRequestException e)
            {
                failed = true;
                _out.WriteLine("!! the server did not answer: " + e.Message);
            }
        }

        return replay && failed ? 1 : 0;
    }

    private async Task HandleAsync(string line, CancellationToken cancellationToken)
    {
        if (!line.StartsWith('/'))
        {
            var reply = await Call(_api.ReplyAsync, new ReplyRequest
            {
                ShopId = _shop,
                ConversationId = _conversation,
                Message = line,
                RequestId = NextRequestId(),
                Context = new BuyerContext { CustomerTier = _tier, Cart = _cart.Clone() },
            }, cancellationToken).ConfigureAwait(false);
            Print(reply);
            return;
        }

        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (parts[0])
        {
            case "/help":
                _out.WriteLine(Usage);
                break;
            case "/items":
                foreach (var item in _items)
                {
                    _out.WriteLine($"   {item.Sku}  {item.Name}  {Money(item.PriceMinor)}元  [{item.Category}]");
                }

                break;
            case "/cart":
                EditCart(parts);
                break;
            case "/quote":
                var quote = await Call(_api.QuoteAsync, new QuoteRequest { ShopId = _shop, Cart = _cart.Clone(), CustomerTier = _tier }, cancellationToken).ConfigureAwait(false);
                _out.WriteLine($"   list {Money(quote.ListTotalMinor)}元, payable {Money(quote.PayableTotalMinor)}元, per day {Money(quote.PerDayMinor)}元"
                    + (quote.NextCoupon is null ? "" : $", {Money(quote.ToNextCouponMinor)}元 more for {quote.NextCoupon.Name}"));
                foreach (var message in quote.Messages)
                {
                    _out.WriteLine("店铺> " + message.Text);
                }

                break;
            case "/negotiate":
                var request = new NegotiateRequest { ShopId = _shop, ConversationId = _conversation, Cart = _cart.Clone(), CustomerTier = _tier, RequestId = NextRequestId(), Message = line };
                if (!SetAsk(request, parts.Length > 1 ? parts[1] : "any"))
                {
                    _out.WriteLine("   /negotiate 700 | 8折 | shipping | any");
                    break;
                }

                var decision = await Call(_api.NegotiateAsync, request, cancellationToken).ConfigureAwait(false);
                foreach (var message in decision.Messages)
                {
                    _out.WriteLine("店铺> " + message.Text);
                }

                _out.WriteLine($"   [{decision.Decision} step={decision.Step} round={decision.Round} total={Money(decision.TotalMinor)}元"
                    + (decision.Gifts.Count == 0 ? "" : " gifts=" + string.Join("+", decision.Gifts.Select(g => g.Name))) + "]");
                break;
            case "/outcome":
                var outcome = new RecordOutcomeRequest { ShopId = _shop, ConversationId = _conversation };
                switch (parts.Length > 1 ? parts[1] : "")
                {
                    case "ordered":
                        outcome.Outcome = RecordOutcomeRequest.Types.Outcome.Ordered;
                        break;
                    case "paid" when parts.Length > 2 && decimal.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan):
                        outcome.Outcome = RecordOutcomeRequest.Types.Outcome.Paid;
                        outcome.PaidTotalMinor = (long)(yuan * 100m);
                        break;
                    case "left":
                        outcome.Outcome = RecordOutcomeRequest.Types.Outcome.Left;
                        break;
                    default:
                        _out.WriteLine("   /outcome ordered | paid AMOUNT | left");
                        return;
                }

                await Call(_api.RecordOutcomeAsync, outcome, cancellationToken).ConfigureAwait(false);
                _out.WriteLine("   recorded " + outcome.Outcome);
                break;
            case "/stats":
                var stats = await Call(_api.GetStatsAsync, new GetStatsRequest { ShopId = _shop }, cancellationToken).ConfigureAwait(false);
                _out.WriteLine($"   conversations {stats.Conversations}, ordered {stats.Ordered}, paid {stats.Paid}, "
                    + $"conversion {stats.InquiryConversion.ToString("P0", CultureInfo.InvariantCulture)}, average paid {Money(stats.AveragePaidMinor)}元");
                foreach (var v in stats.Variants)
                {
                    _out.WriteLine($"   {v.Intent}/{v.VariantId}: shown {v.Shown}, ordered after {v.OrderedAfter}");
                }

                foreach (var s in stats.PolicySteps)
                {
                    _out.WriteLine($"   {s.Policy}.{s.Step}: used {s.Used}, ordered after {s.OrderedAfter}");
                }

                break;
            case "/unmatched":
                // What the shop's script did not understand, most frequent first (ListUnmatched).
                var limit = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 20;
                var unmatched = await Call(_api.ListUnmatchedAsync, new ListUnmatchedRequest { ShopId = _shop, Limit = limit }, cancellationToken).ConfigureAwait(false);
                if (unmatched.Messages.Count == 0)
                {
                    _out.WriteLine("   nothing unmatched yet");
                }

                foreach (var m in unmatched.Messages)
                {
                    var how = m.Match == MatchKind.MatchClarifying ? " (asked: " + string.Join(" / ", m.ClarifyOptions) + ")" : "";
                    _out.WriteLine($"   {m.Count}× {m.Text}{how}");
                }

                break;
            default:
                _out.WriteLine($"   unknown command {parts[0]}; /help lists them.");
                break;
        }
    }

    private void EditCart(string[] parts)
    {
        if (parts.Length == 2 && parts[1] == "clear")
        {
            _cart.Lines.Clear();
        }
        else if (parts.Length >= 2)
        {
            var item = _items.FirstOrDefault(i => string.Equals(i.Sku, parts[1], StringComparison.Ordinal));
            var quantity = parts.Length > 2 && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var q) ? q : 1;
            if (item is null)
            {
                _out.WriteLine($"   no item '{parts[1]}'; /items lists them.");
                return;
            }

            _cart.Lines.Add(new CartLine { Sku = item.Sku, Name = item.Name, UnitPriceMinor = item.PriceMinor, Quantity = quantity, Category = item.Category });
        }

        _out.WriteLine("   cart: " + (_cart.Lines.Count == 0 ? "empty" : string.Join(", ", _cart.Lines.Select(l => $"{l.Sku}×{l.Quantity}"))));
    }

    private static bool SetAsk(NegotiateRequest request, string ask)
    {
        if (ask is "any")
        {
            request.AnyBetter = true;
        }
        else if (ask is "shipping")
        {
            request.FreeShipping = true;
        }
        else if (ask.EndsWith('折') && int.TryParse(ask[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate is > 0 and < 100)
        {
            request.DiscountPercent = rate < 10 ? 100 - (rate * 10) : 100 - rate;
        }
        else if (decimal.TryParse(ask, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan) && yuan > 0)
        {
            request.TargetTotalMinor = (long)(yuan * 100m);
        }
        else
        {
            return false;
        }

        return true;
    }

    private void Print(ReplyResponse reply)
    {
        foreach (var message in reply.Messages)
        {
            _out.WriteLine("店铺> " + message.Text);
        }

        var slots = string.Join(", ", reply.Slots.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        _out.WriteLine($"   [intent={(reply.Intent.Length == 0 ? "(fallback)" : reply.Intent)} stage={reply.Stage}" + (slots.Length == 0 ? "" : " slots: " + slots) + "]");
        foreach (var action in reply.Actions)
        {
            _out.WriteLine("   action: " + action.KindCase switch
            {
                ScriptDsl.Protocol.V1.Action.KindOneofCase.Recommend => $"recommend {action.Recommend.Sku} {action.Recommend.Name}",
                ScriptDsl.Protocol.V1.Action.KindOneofCase.Gift => $"gift {action.Gift.Name}",
                ScriptDsl.Protocol.V1.Action.KindOneofCase.Coupon => $"coupon {action.Coupon.Name} {Money(action.Coupon.AmountMinor)}元",
                ScriptDsl.Protocol.V1.Action.KindOneofCase.Flag => $"flag {action.Flag.Color}: {action.Flag.Note}",
                ScriptDsl.Protocol.V1.Action.KindOneofCase.Escalate => $"escalate to {action.Escalate.To}",
                _ => action.ToString(),
            });
        }

        if (reply.Suggestions.Count > 0)
        {
            _out.WriteLine("   suggestions: " + string.Join(" | ", reply.Suggestions));
        }
    }

    /// <summary>One unary call with the key's metadata, a 10-second deadline and the command's cancellation.</summary>
    private async Task<TResponse> Call<TRequest, TResponse>(Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>> method, TRequest request, CancellationToken cancellationToken) =>
        await method(request, new CallOptions(_headers, DateTime.UtcNow.AddSeconds(10), cancellationToken)).ConfigureAwait(false);

    private string NextRequestId() => _conversation + "-" + (++_requests).ToString(CultureInfo.InvariantCulture);

    private static string Money(long minor) => ScriptDsl.Templates.MoneyText.Format(minor);
}
