using ScriptDsl.Matching;
using ScriptDsl.Model;

namespace ScriptDsl.Engine;

/// <summary>
/// Picks the intent a message triggers. Precedence: a quote (「一共多少钱」), the current stage's intents, then the shop-wide
/// ones (quick phrases, objections, order, farewell, complaint, escalation), then other stages'
/// intents (a buyer may go back), then nothing (the fallback answers). Within a tier the longest
/// match wins, then the trigger declared first. A mention preceded by one of its concept's negation
/// prefixes ("不贵") does not count. On a conversation's first turn the start intent (the greeting)
/// is reported apart, so "老板, 推荐一款卧室灯" is greeted and answered. A farewell's trigger ranks
/// below every other (「转人工谢谢」 escalates): a thank-you at the end of a question is politeness.
/// </summary>
internal static class IntentMatcher
{
    private const int TierQuote = 0;
    private const int TierCurrentStage = 1;
    private const int TierShopWide = 2;
    private const int TierOtherStage = 3;
    private const int TierFarewell = 4;

    /// <param name="StartHit">On the first turn: one of the start intent's own triggers (「在吗」) was in the message.</param>
    /// <param name="Negated">An intent one of whose triggers was in the message but negated (「不贵」), or -1: the classifier must not pick it either.</param>
    /// <param name="Start">Where the winning trigger's mention starts in the normalized message (with <paramref name="Length"/>, its span).</param>
    /// <param name="Hits">Every trigger mention the message holds (negated ones too), as the automaton found them.</param>
    public readonly record struct MatchResult(int Intent, int StartIntent, int Length, bool StartHit, int Negated, int Start, IReadOnlyList<TriggerHit> Hits)
    {
        /// <summary>Whether one of the message's triggers (negated or not) belongs to <paramref name="intent"/>.</summary>
        public bool Names(ShopDefinition shop, int intent)
        {
            foreach (var hit in Hits)
            {
                if (shop.Triggers[hit.Payload].Intent == intent)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public static MatchResult Match(ShopDefinition shop, int stage, string normalized, bool firstTurn)
    {
        var startIntent = -1;
        if (firstTurn)
        {
            for (var i = 0; i < shop.Intents.Count; i++)
            {
                if (shop.Intents[i].OnStart)
                {
                    startIntent = i;
                    break;
                }
            }
        }

        var hits = new List<TriggerHit>();
        shop.Automaton.FindAll(normalized, hits);
        var negations = ShopRuntime.For(shop).TriggerNegations;

        var best = -1;
        var bestTier = int.MaxValue;
        var bestLength = 0;
        var bestOrder = int.MaxValue;
        var bestStart = 0;
        var startHit = false;
        var negated = -1;
        foreach (var hit in hits)
        {
            var trigger = shop.Triggers[hit.Payload];
            if (negations[hit.Payload] is { } negation && negation.IsNegated(normalized, hit.Start))
            {
                negated = trigger.Intent;
                continue;
            }

            if (trigger.Intent == startIntent)
            {
                // On the first turn the greeting is said anyway; what else the buyer asked decides the rest.
                startHit = true;
                continue;
            }

            var intent = shop.Intents[trigger.Intent];
            var tier = TierOf(intent, stage);
            if (tier < bestTier
                || (tier == bestTier && hit.Length > bestLength)
                || (tier == bestTier && hit.Length == bestLength && trigger.Order < bestOrder))
            {
                best = trigger.Intent;
                bestTier = tier;
                bestLength = hit.Length;
                bestOrder = trigger.Order;
                bestStart = hit.Start;
            }
        }

        return new MatchResult(best, startIntent, bestLength, startHit, negated, bestStart, hits);
    }

    // A quote's trigger outranks every other: 「你推荐的这几款灯一共多少钱呀?」 names the goods with 推荐
    // but asks for the total.
    private static int TierOf(IntentDefinition intent, int stage) => intent.Kind switch
    {
        IntentKind.Quote => TierQuote,
        IntentKind.Farewell => TierFarewell,
        IntentKind.Stage when intent.Stage == stage => TierCurrentStage,
        IntentKind.Stage => TierOtherStage,
        _ => TierShopWide,
    };
}
