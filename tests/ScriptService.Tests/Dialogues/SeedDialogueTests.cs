using System.Globalization;
using ScriptDsl.Protocol.V1;
using ScriptDsl.Text;

namespace ScriptService.Tests.Dialogues;

/// <summary>
/// The seeds' own dialogues (tests/dialogues/*.dialogue, format in tests/dialogues/README.md),
/// replayed line by line through <c>Reply</c> over gRPC against the real service on a loopback
/// port: each shop turn is checked against what the dialogue expects (intent, reply kind, policy
/// step, actions, slots, words), and every amount of money it states against the cart's figures.
/// </summary>
public sealed class SeedDialogueTests : IAsyncLifetime
{
    private ServiceServer _server = null!;

    public async Task InitializeAsync() => _server = await ServiceServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        ServiceServer.DeleteFolder(_server.DataFolder);
    }

    public static TheoryData<string> Dialogues()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(DialogueFolder, "*.dialogue").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void EveryDialogueFileIsFound() =>
        Assert.True(Dialogues().Count >= 9, "tests/dialogues should hold the seeds' dialogues; found " + Dialogues().Count);

    [Theory]
    [MemberData(nameof(Dialogues))]
    public async Task TheDialogueReplaysAsTheSeedDescribes(string name)
    {
        var dialogue = Dialogue.Parse(name, File.ReadAllLines(Path.Combine(DialogueFolder, name)));
        var scripts = await _server.CallAsync(_server.Api.ListScriptsAsync, new ListScriptsRequest());
        var shop = scripts.Scripts.SingleOrDefault(s => s.ShopId == dialogue.Shop)
            ?? throw new InvalidOperationException(name + ": there is no shop '" + dialogue.Shop + "'.");
        var cart = new Cart();
        foreach (var sku in dialogue.Cart)
        {
            var item = shop.Items.SingleOrDefault(i => i.Sku == sku)
                ?? throw new InvalidOperationException(name + ": shop " + dialogue.Shop + " has no item " + sku + ".");
            cart.Lines.Add(new CartLine { Sku = item.Sku, Name = item.Name, UnitPriceMinor = item.PriceMinor, Quantity = 1, Category = item.Category });
        }

        var quote = cart.Lines.Count == 0 ? null : await _server.CallAsync(_server.Api.QuoteAsync, new QuoteRequest { ShopId = dialogue.Shop, Cart = cart, CustomerTier = dialogue.Tier });
        var conversation = "dialogue-" + Path.GetFileNameWithoutExtension(name);
        var failures = new List<string>();
        foreach (var turn in dialogue.Turns)
        {
            var reply = await _server.ReplyAsync(new ReplyRequest
            {
                ShopId = dialogue.Shop,
                ConversationId = conversation,
                Message = turn.Buyer,
                RequestId = conversation + "-" + turn.Line.ToString(CultureInfo.InvariantCulture),
                Context = new BuyerContext { Cart = cart, CustomerTier = dialogue.Tier },
            });
            var where = name + ":" + turn.Line.ToString(CultureInfo.InvariantCulture) + " 「" + turn.Buyer + "」 → " + Describe(reply) + ": ";
            failures.AddRange(turn.Check(reply).Select(f => where + f));
            failures.AddRange(FalseFigures(reply, cart, quote, shop).Select(f => where + f));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every amount the turn's messages state that is none of the figures of the cart in front of it.</summary>
    private static IEnumerable<string> FalseFigures(ReplyResponse reply, Cart cart, QuoteResponse? quote, ScriptInfo shop)
    {
        var allowed = new SortedSet<long>();
        foreach (var line in cart.Lines)
        {
            allowed.Add(line.UnitPriceMinor);
        }

        if (quote is not null)
        {
            allowed.UnionWith([quote.ListTotalMinor, quote.PayableTotalMinor, quote.PerDayMinor]);
            allowed.UnionWith(quote.Applied.Select(c => c.AmountMinor));
            if (quote.ToNextCouponMinor > 0 && quote.NextCoupon is not null)
            {
                allowed.UnionWith([quote.ToNextCouponMinor, quote.NextCoupon.ThresholdMinor, quote.NextCoupon.AmountMinor]);
            }
        }

        if (reply.Pricing is { } pricing)
        {
            allowed.UnionWith([pricing.ListTotalMinor, pricing.TotalMinor, pricing.AskTotalMinor, pricing.PerDayMinor, pricing.ToNextCouponMinor]);
        }

        foreach (var action in reply.Actions)
        {
            switch (action.KindCase)
            {
                case ScriptDsl.Protocol.V1.Action.KindOneofCase.Gift:
                    allowed.Add(action.Gift.CostMinor);
                    break;
                case ScriptDsl.Protocol.V1.Action.KindOneofCase.Coupon:
                    allowed.UnionWith([action.Coupon.AmountMinor, action.Coupon.ThresholdMinor]);
                    break;
                case ScriptDsl.Protocol.V1.Action.KindOneofCase.Recommend:
                    allowed.UnionWith(shop.Items.Where(i => i.Sku == action.Recommend.Sku).Select(i => i.PriceMinor));
                    break;
            }
        }

        allowed.Remove(0);
        // The product's own money reader finds the amounts (「785元」, 「一块钱」, 「1.37元」): the
        // same reading a buyer's 「900块」 gets, so a figure spelt in any way a shop writes it is found.
        var money = new QuantityExtractor(QuantityExtractor.MoneyUnits, digitsAfterUnitAreDecimals: true);
        foreach (var message in reply.Messages)
        {
            foreach (var hit in money.FindMoney(TextNormalizer.Normalize(message.Text)))
            {
                if (!allowed.Contains(hit.Fen))
                {
                    yield return "「" + message.Text + "」 states " + Yuan(hit.Fen) + ", which is none of this cart's figures ("
                        + string.Join(", ", allowed.Select(Yuan)) + ")";
                }
            }
        }
    }

    private static string Yuan(long fen) => (fen / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "元";

    private static string Describe(ReplyResponse reply) =>
        "[intent=" + reply.Intent + " kind=" + reply.ReplyKind + " match=" + reply.Match + (reply.Pricing is null ? "" : " step=" + reply.Pricing.Step)
        + "] " + string.Join(" / ", reply.Messages.Select(m => m.Text));

    private static string DialogueFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ScriptDsl.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("ScriptDsl.sln not found above " + AppContext.BaseDirectory), "tests", "dialogues");
        }
    }

    private sealed record Turn(int Line, string Buyer, IReadOnlyList<(string Key, string Value)> Expect)
    {
        private static readonly Dictionary<string, MatchKind> Matches = new(StringComparer.Ordinal)
        {
            ["trigger"] = MatchKind.MatchTrigger,
            ["examples"] = MatchKind.MatchExamples,
            ["clarified"] = MatchKind.MatchClarified,
            ["clarifying"] = MatchKind.MatchClarifying,
            ["continued"] = MatchKind.MatchContinued,
            ["fallback"] = MatchKind.MatchFallback,
        };

        private static readonly Dictionary<string, ScriptDsl.Protocol.V1.Action.KindOneofCase> Actions = new(StringComparer.Ordinal)
        {
            ["recommend"] = ScriptDsl.Protocol.V1.Action.KindOneofCase.Recommend,
            ["gift"] = ScriptDsl.Protocol.V1.Action.KindOneofCase.Gift,
            ["coupon"] = ScriptDsl.Protocol.V1.Action.KindOneofCase.Coupon,
            ["flag"] = ScriptDsl.Protocol.V1.Action.KindOneofCase.Flag,
            ["escalate"] = ScriptDsl.Protocol.V1.Action.KindOneofCase.Escalate,
        };

        public IEnumerable<string> Check(ReplyResponse reply)
        {
            foreach (var (key, value) in Expect)
            {
                var failure = key switch
                {
                    "intent" => reply.Intent == value ? null : "intent is '" + reply.Intent + "', expected '" + value + "'",
                    "kind" => reply.ReplyKind == value ? null : "reply kind is '" + reply.ReplyKind + "', expected '" + value + "'",
                    "match" => reply.Match == Matches[value] ? null : "match is " + reply.Match + ", expected " + value,
                    "step" => reply.Pricing?.Step == value ? null : "policy step is '" + reply.Pricing?.Step + "', expected '" + value + "'",
                    "stage" => reply.Stage == value ? null : "stage is '" + reply.Stage + "', expected '" + value + "'",
                    "action" => reply.Actions.Any(a => a.KindCase == Actions[value]) ? null : "no " + value + " action",
                    "no-action" => reply.Actions.All(a => a.KindCase != Actions[value]) ? null : "an unexpected " + value + " action",
                    "slot" => SlotCheck(reply, value),
                    "says" => reply.Messages.Any(m => m.Text.Contains(value, StringComparison.Ordinal)) ? null : "no message says 「" + value + "」",
                    "not-says" => reply.Messages.All(m => !m.Text.Contains(value, StringComparison.Ordinal)) ? null : "a message says 「" + value + "」",
                    _ => throw new InvalidOperationException("Unknown expectation '" + key + "' (line " + Line + ")."),
                };
                if (failure is not null)
                {
                    yield return failure;
                }
            }
        }

        private static string? SlotCheck(ReplyResponse reply, string value)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            var (slot, expected) = (value[..eq], value[(eq + 1)..]);
            return reply.Slots.TryGetValue(slot, out var actual) && actual == expected
                ? null
                : "slot " + slot + " is '" + (actual ?? "(unfilled)") + "', expected '" + expected + "'";
        }
    }

    private sealed record Dialogue(string Shop, IReadOnlyList<string> Cart, string Tier, IReadOnlyList<Turn> Turns)
    {
        private static readonly string[] Keys = ["intent", "kind", "match", "step", "stage", "action", "no-action", "slot", "says", "not-says"];

        public static Dialogue Parse(string name, string[] lines)
        {
            string? shop = null;
            var cart = new List<string>();
            var tier = "";
            var turns = new List<Turn>();
            (int Line, string Buyer)? pending = null;
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                var at = name + ":" + (i + 1).ToString(CultureInfo.InvariantCulture);
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                if (line.StartsWith("> ", StringComparison.Ordinal))
                {
                    if (pending is not null)
                    {
                        throw new FormatException(at + ": a buyer line follows a buyer line with no '<' expectations between them.");
                    }

                    pending = (i + 1, line[2..].Trim());
                    continue;
                }

                if (line.StartsWith('<'))
                {
                    if (pending is not { } buyer)
                    {
                        throw new FormatException(at + ": expectations without a buyer line before them.");
                    }

                    var expect = new List<(string, string)>();
                    foreach (var part in line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var eq = part.IndexOf('=', StringComparison.Ordinal);
                        var key = eq < 0 ? part : part[..eq];
                        if (eq < 0 || Array.IndexOf(Keys, key) < 0)
                        {
                            throw new FormatException(at + ": '" + part + "' is not one of " + string.Join(", ", Keys) + " with =VALUE.");
                        }

                        expect.Add((key, part[(eq + 1)..]));
                    }

                    turns.Add(new Turn(buyer.Line, buyer.Buyer, expect));
                    pending = null;
                    continue;
                }

                var hash = line.IndexOf(" #", StringComparison.Ordinal);
                var words = (hash < 0 ? line : line[..hash]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (words[0])
                {
                    case "shop" when words.Length == 2:
                        shop = words[1];
                        break;
                    case "cart":
                        cart.AddRange(words.Skip(1));
                        break;
                    case "tier" when words.Length == 2:
                        tier = words[1];
                        break;
                    default:
                        throw new FormatException(at + ": expected 'shop NAME', 'cart SKU…', 'tier TIER', '> buyer line' or '< expectations', not '" + line + "'.");
                }
            }

            if (pending is not null)
            {
                throw new FormatException(name + ": the last buyer line has no '<' expectations.");
            }

            return new Dialogue(shop ?? throw new FormatException(name + ": no 'shop' line."), cart, tier, turns);
        }
    }
}
