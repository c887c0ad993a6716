using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptDsl.Text;

namespace ScriptDsl.Engine;

/// <summary>
/// The turn function: (compiled shop, conversation state, buyer message, buyer context) →
/// (replies, matched intent, new state, actions, suggestions). Pure: it reads no clock, no random
/// source and no global state, so replaying the same messages replays the same conversation.
/// </summary>
public static class ConversationEngine
{
    /// <summary>The longest buyer message the engine accepts; the service checks the same limit first.</summary>
    public const int MaxMessageLength = 2000;

    public static TurnResult Turn(ShopDefinition shop, ConversationState state, string message, BuyerContext context, TurnOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shop);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        if (message.Length > MaxMessageLength)
        {
            throw new ArgumentException($"The message has {message.Length} characters; at most {MaxMessageLength} are accepted.", nameof(message));
        }

        var runtime = ShopRuntime.For(shop); // refuses a shop built without its matching tables, before any work
        var valid = StateValidator.Revalidate(shop, state);
        var normalized = TextNormalizer.Normalize(message);
        var turn = new TurnBuilder(shop, valid, context, options ?? TurnOptions.Default, normalized);
        var firstTurn = valid.Turn == 0;

        // 1. Slot filling first: an answer to the open question is not classified.
        var pendingBefore = turn.PendingSlot;
        var filled = SlotExtractor.Extract(shop, turn, normalized);
        var match = IntentMatcher.Match(shop, turn.StageIndex, normalized, firstTurn);
        var decision = Decide(shop, runtime, turn, valid, normalized, pendingBefore, filled, match);

        var greet = firstTurn && match.StartIntent >= 0;
        if (greet && decision.Intent != match.StartIntent && (decision.Intent >= 0 || decision.Ask is not null || decision.Clarify.First >= 0))
        {
            // The seeds' first rule: greet at once, then answer what was asked in the same turn.
            turn.RunIntent(match.StartIntent, greetingOnly: true);
        }

        if (decision.Ask is { } ask)
        {
            turn.RunCounterOffer(runtime.PriceIntent, ask);
        }
        else if (decision.Clarify.First >= 0)
        {
            turn.RunClarify(decision.Clarify.First, decision.Clarify.Second);
        }
        else if (decision.Intent >= 0)
        {
            turn.RunIntent(decision.Intent, greetingOnly: false);
        }
        else if (greet)
        {
            // A first message that asked nothing understood: the greeting answers it.
            turn.RunIntent(match.StartIntent, greetingOnly: false);
            return match.StartHit || decision.Empty ? turn.Finish(MatchKind.Trigger, 1) : turn.Finish(MatchKind.Fallback, 0);
        }
        else if (turn.ContinueOpenWork(filled, message))
        {
            return turn.Finish(MatchKind.Continued, 1);
        }
        else
        {
            turn.RunFallback();
            return turn.Finish(MatchKind.Fallback, 0);
        }

        if (greet && match.StartHit && decision.Intent == match.StartIntent)
        {
            // 「在吗」: the greeting's own trigger, whatever the classifier thought of it.
            return turn.Finish(MatchKind.Trigger, 1);
        }

        return turn.Finish(decision.Match, decision.Confidence);
    }

    /// <summary>What the message asks for, decided in the order of docs/engine.md ("The decision").</summary>
    private readonly record struct Decision(int Intent, BargainAsk? Ask, (int First, int Second) Clarify, MatchKind Match, double Confidence, bool Empty)
    {
        public static Decision Nothing(bool empty) => new(-1, null, (-1, -1), MatchKind.Unspecified, 0, empty);

        public static Decision Of(int intent, MatchKind match, double confidence) => new(intent, null, (-1, -1), match, confidence, false);
    }

    private static Decision Decide(
        ShopDefinition shop,
        ShopRuntime runtime,
        TurnBuilder turn,
        ConversationState state,
        string normalized,
        string pendingBefore,
        IReadOnlyList<string> filled,
        IntentMatcher.MatchResult match)
    {
        var options = state.ClarifyOptions;

        // 2. A trigger hit is certain; naming one of the options asked about is the buyer's pick.
        var complaintOpen = state.ComplaintStep >= 0;
        var flowOpen = complaintOpen || state.PendingIntent.Length > 0 || pendingBefore.Length > 0;
        if (match.Intent >= 0 && complaintOpen && shop.Intents[match.Intent].Kind == IntentKind.Complaint)
        {
            // 「对 就是不亮了」 inside the complaint flow: the buyer describes the problem being handled;
            // the flow goes on, it does not start again.
            return Decision.Nothing(empty: true);
        }

        if (match.Intent >= 0 && shop.Intents[match.Intent].Kind == IntentKind.Farewell
            && ReadAroundThanks(shop, runtime, normalized, match) is { Intent: >= 0 } asked)
        {
            // 「总价算一下 谢谢」: the thanks is politeness; what the rest asks is the question.
            return asked;
        }

        if (match.Intent >= 0 && !complaintOpen && YieldsToTheClassifier(shop, runtime, normalized, match, options) is { Intent: >= 0 } reading)
        {
            // 「东西是好 可惜我预算只有三百 贵了点」: 贵 is a word of the message, not its question.
            return reading;
        }

        if (match.Intent >= 0)
        {
            var picked = IsOption(options, shop.Intents[match.Intent].Name);
            return Decision.Of(match.Intent, picked ? MatchKind.Clarified : MatchKind.Trigger, 1);
        }

        // An answer while questions are open (the recommendation's, the complaint's) continues them:
        // 「我更喜欢方形的」 fills a slot, it is not a new question to classify.
        if (filled.Count > 0 && (state.PendingIntent.Length > 0 || state.ComplaintStep >= 0))
        {
            return Decision.Nothing(empty: true);
        }

        // Inside an open flow an answer that opens with 好的/嗯/可以/对 continues it: answers are not
        // intents (only a trigger, above, may interrupt: 「找你们领导」).
        if (flowOpen && MessageReading.StartsWithAcknowledgement(normalized))
        {
            // Outside the complaint flow, an acknowledgement that fills nothing and goes on to say
            // something the classifier reads with confidence (「好 就要你说的这个」 after a question) is
            // that: the buyer closes the question and asks or decides something new.
            return !complaintOpen && filled.Count == 0 && ReadAfterAcknowledgement(shop, runtime, normalized, match) is { Intent: >= 0 } after
                ? after
                : Decision.Nothing(empty: true);
        }

        // 「我家20平」 with no question open: slot filling consumed the message; it is an answer.
        if (MessageReading.ConsumedBySlots(shop, runtime, normalized, filled))
        {
            return Decision.Nothing(empty: true);
        }

        // What the answer to the open question consumed is not read again.
        var rest = MessageReading.Residual(shop, runtime, normalized, pendingBefore, filled);
        if (rest.Length == 0)
        {
            return Decision.Nothing(empty: true);
        }

        // 3. A counter-offer: a total, a rate or an amount off, plausible for the cart.
        if (runtime.PriceIntent >= 0 && turn.Cart() is { } cart && turn.PolicyOf(shop.Intents[runtime.PriceIntent]) is { } policy
            && TryCounterOffer(turn, policy, cart, rest, runtime.NumberUnits) is { } ask)
        {
            return new Decision(-1, ask, (-1, -1), MatchKind.Trigger, 1, false);
        }

        // Acknowledgements (好的, 嗯, 可以) carry no question: they continue what is open.
        if (MessageReading.IsAcknowledgement(rest))
        {
            return Decision.Nothing(empty: true);
        }

        // The buyer answers last turn's clarification: 「第一个」, 「后面那个」, or the label's words.
        if (options.Count == 2 && MessageReading.PickOption(shop, options, rest) is var pick and >= 0)
        {
            return Decision.Of(pick, MatchKind.Clarified, 1);
        }

        // 4. The classifier.
        var understanding = shop.Understanding;
        if (understanding.Classifier is not { } classifier || rest.Length < MessageReading.MinClassifiedLength)
        {
            return Decision.Nothing(empty: false);
        }

        var map = runtime.ClassifierIntents;
        var result = classifier.Classify(rest);
        if (result.Best < 0 || map[result.Best] < 0)
        {
            return Decision.Nothing(empty: false);
        }

        var best = map[result.Best];
        var second = result.Second >= 0 ? map[result.Second] : -1;
        if (best == match.Negated)
        {
            // 「不贵」: the trigger was negated; the classifier must not bring the objection back.
            return Decision.Nothing(empty: false);
        }

        if (options.Count == 2)
        {
            // A classifier win between the two options asked about.
            var probabilities = classifier.Probabilities(rest);
            var a = MessageReading.ClassifierIndex(classifier, options[0]);
            var b = MessageReading.ClassifierIndex(classifier, options[1]);
            if (a >= 0 && b >= 0 && probabilities[a] + probabilities[b] >= understanding.Threshold
                && Math.Abs(probabilities[a] - probabilities[b]) >= understanding.Margin / 2)
            {
                var winner = probabilities[a] > probabilities[b] ? a : b;
                return Decision.Of(map[winner], MatchKind.Clarified, probabilities[winner]);
            }
        }

        if (result.BestProbability >= understanding.Threshold && result.Margin >= understanding.Margin)
        {
            return Decision.Of(best, MatchKind.Examples, result.BestProbability);
        }

        var floor = understanding.Threshold / 2;
        if (second >= 0 && second != best && result.Margin < understanding.Margin && result.SecondProbability >= floor
            && !(IsOption(options, shop.Intents[best].Name) && IsOption(options, shop.Intents[second].Name)))
        {
            // Too close to call, and both plausible: ask (but never the same question twice in a row).
            return new Decision(-1, null, (best, second), MatchKind.Clarifying, result.BestProbability, false);
        }

        return Decision.Nothing(empty: false);
    }

    /// <summary>A trigger of at most this many characters is short: one word (贵, 包邮, 发货, 优惠).</summary>
    internal const int ShortTrigger = 2;

    /// <summary>
    /// A short trigger covers little of a message when it is at most a third of the message's
    /// characters (separators not counted): 包邮 in a message of six or more characters.
    /// </summary>
    internal const int LittleCover = 3;

    /// <summary>
    /// A short trigger that covers little of a long message (「东西是好 可惜我预算只有三百 贵了点」: 贵 is
    /// one character of fourteen) is a word of the message, not necessarily its question: the
    /// classifier reads the whole message, and a confident answer naming another intent (not the
    /// greeting, not the farewell, not an intent whose trigger was negated nor one another trigger of
    /// the message names) is taken,
    /// <see cref="MatchKind.Examples"/>. Otherwise, or when the classifier agrees, the trigger stands.
    /// A quote's trigger (it outranks every other on purpose), the farewell's (read around by
    /// <see cref="ReadAroundThanks"/>) and a pick of a clarification's option by its trigger stand too.
    /// The numbers were chosen on the dev sets (docs/benchmarks.md, "third pass").
    /// </summary>
    private static Decision YieldsToTheClassifier(ShopDefinition shop, ShopRuntime runtime, string normalized, IntentMatcher.MatchResult match, IReadOnlyList<string> options)
    {
        var understanding = shop.Understanding;
        if (understanding.Classifier is not { } classifier || match.Length <= 0 || match.Length > ShortTrigger
            || shop.Intents[match.Intent].Kind is IntentKind.Quote or IntentKind.Farewell || IsOption(options, shop.Intents[match.Intent].Name))
        {
            return Decision.Nothing(empty: false);
        }

        var characters = 0;
        foreach (var c in normalized)
        {
            if (c != TextNormalizer.Separator)
            {
                characters++;
            }
        }

        if (characters < match.Length * LittleCover)
        {
            return Decision.Nothing(empty: false);
        }

        // Usually the classifier agrees with the trigger, and then the trigger stands whatever the
        // confidence: its best intent is found without the softmax (ClassifyUnless).
        var agreed = match.Intent >= 0 ? runtime.IntentClasses[match.Intent] : -1;
        var result = classifier.ClassifyUnless(normalized, agreed);
        if (agreed >= 0 && result.Best == agreed)
        {
            return Decision.Nothing(empty: false);
        }

        var reading = ConfidentQuestion(shop, runtime, result, match.Negated);
        if (reading.Intent < 0 || reading.Intent == match.Intent)
        {
            return Decision.Nothing(empty: false);
        }

        // Between intents the message triggered, the tiers decide (「这个清仓特价的能退货吗」 is the
        // clearance rule's, whose answer covers returns): the classifier only brings in an intent no
        // trigger of the message names.
        return match.Names(shop, reading.Intent) ? Decision.Nothing(empty: false) : reading;
    }

    /// <summary>
    /// The message after its opening acknowledgement (「嗯 我先想想 过两天定」 → 「我先想想 过两天定」),
    /// classified: a confident answer that is not the greeting, the farewell or a negated intent, or
    /// nothing (the acknowledgement continues the open question, as before).
    /// </summary>
    private static Decision ReadAfterAcknowledgement(ShopDefinition shop, ShopRuntime runtime, string normalized, IntentMatcher.MatchResult match)
    {
        var understanding = shop.Understanding;
        var trimmed = normalized.Trim(TextNormalizer.Separator);
        var cut = trimmed.IndexOf(TextNormalizer.Separator);
        if (understanding.Classifier is not { } classifier || cut <= 0)
        {
            return Decision.Nothing(empty: false);
        }

        var rest = trimmed[(cut + 1)..];
        if (rest.Length < MessageReading.MinClassifiedLength || MessageReading.IsAcknowledgement(rest) || MessageReading.StartsWithAcknowledgement(rest))
        {
            return Decision.Nothing(empty: false);
        }

        return ConfidentQuestion(shop, runtime, classifier, rest, match.Negated);
    }

    /// <summary>What may follow a thank-you and belongs to it: whom it thanks and the particles.</summary>
    private const string ThanksTail = "你您亲啦了哈啊呀哦喔噢嗷咯呢~";

    /// <summary>
    /// A farewell trigger (谢谢, 拜拜) in a message that says more (「这个我现在用不到 谢谢」): the classifier
    /// reads the message without the farewell's mention, and a confident answer that is not the
    /// farewell is the question asked (<see cref="MatchKind.Examples"/>). Otherwise nothing (the
    /// farewell stands): an acknowledgement or too little left (「好的谢谢」), or no confident answer.
    /// </summary>
    private static Decision ReadAroundThanks(ShopDefinition shop, ShopRuntime runtime, string normalized, IntentMatcher.MatchResult match)
    {
        var understanding = shop.Understanding;
        if (understanding.Classifier is not { } classifier || match.Length <= 0 || match.Start + match.Length > normalized.Length)
        {
            return Decision.Nothing(empty: false);
        }

        // The thanks and whom it thanks (「谢谢你啦」「谢谢亲」) are taken out.
        var end = match.Start + match.Length;
        while (end < normalized.Length && ThanksTail.IndexOf(normalized[end], StringComparison.Ordinal) >= 0)
        {
            end++;
        }

        var chars = normalized.ToCharArray();
        Array.Fill(chars, TextNormalizer.Separator, match.Start, end - match.Start);
        var rest = new string(chars).Trim(TextNormalizer.Separator);
        if (rest.Length < MessageReading.MinClassifiedLength || MessageReading.IsAcknowledgement(rest) || MessageReading.StartsWithAcknowledgement(rest))
        {
            return Decision.Nothing(empty: false);
        }

        return ConfidentQuestion(shop, runtime, classifier, rest, match.Negated);
    }

    /// <summary>
    /// The classifier's reading of <paramref name="text"/> when it is a confident question (the shop's
    /// threshold and margin), <see cref="MatchKind.Examples"/>; otherwise nothing. Never the farewell
    /// nor the greeting (a greeting is no question: 「谢谢客服小姐姐」 addresses the agent, it does not
    /// greet again), nor the intent whose trigger the message negated.
    /// </summary>
    private static Decision ConfidentQuestion(ShopDefinition shop, ShopRuntime runtime, Understanding.IntentClassifier classifier, string text, int negated) =>
        ConfidentQuestion(shop, runtime, classifier.Classify(text), negated);

    private static Decision ConfidentQuestion(ShopDefinition shop, ShopRuntime runtime, Understanding.ClassifierResult result, int negated)
    {
        var understanding = shop.Understanding;
        var best = result.Best < 0 ? -1 : runtime.ClassifierIntents[result.Best];
        if (best < 0 || best == negated || shop.Intents[best].Kind == IntentKind.Farewell || shop.Intents[best].OnStart
            || string.Equals(shop.Intents[best].Standard, "greet", StringComparison.Ordinal)
            || result.BestProbability < understanding.Threshold || result.Margin < understanding.Margin)
        {
            return Decision.Nothing(empty: false);
        }

        return Decision.Of(best, MatchKind.Examples, result.BestProbability);
    }

    private static BargainAsk? TryCounterOffer(TurnBuilder turn, PolicyDefinition policy, Templates.CartView cart, string rest, IReadOnlyList<string> units)
    {
        long reference;
        try
        {
            reference = turn.ReferenceTotal(policy, cart);
        }
        catch (NegotiationInputException)
        {
            // A cart the policy cannot price (a line without a price): nothing to bargain over, and
            // no reason to refuse a message that may be about something else entirely.
            return null;
        }

        return BargainAskParser.TryCounterOffer(rest, cart.TotalMinor, reference, units, out var ask) ? ask : null;
    }

    private static bool IsOption(IReadOnlyList<string> options, string name)
    {
        foreach (var option in options)
        {
            if (string.Equals(option, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>What the caller knows that the engine must not look up itself.</summary>
public sealed record TurnOptions
{
    public static readonly TurnOptions Default = new();

    /// <summary>Remaining stock per gift name today (gifts with a daily limit); absent: the full limit.</summary>
    public IReadOnlyDictionary<string, int>? GiftStockToday { get; init; }

    /// <summary>At most this many suggestions are returned.</summary>
    public int MaxSuggestions { get; init; } = 3;
}
