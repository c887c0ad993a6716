using System;
using ScriptDsl.Generator.Infrastructure;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// The engine's trigger decision (IntentMatcher and NegationFilter in src/ScriptDsl), redone on
    /// the model for the build-time checks: the runtime's versions use APIs netstandard2.0 lacks and
    /// an automaton the model holds only as tables, and a script has few enough triggers that a
    /// plain ordinal search is fast. GeneratorParityTests keep the two in agreement.
    /// </summary>
    public static class TriggerMatching
    {
        /// <summary>Equal to NegationFilter.DefaultInterveningCharacters.</summary>
        public const string InterveningCharacters = "很太算是那这么怎咋大够特别非常真";

        /// <summary>Equal to NegationFilter.DefaultMaxIntervening.</summary>
        public const int MaxIntervening = 3;

        /// <summary>True when <paramref name="trigger"/> occurs in <paramref name="normalized"/> at least once un-negated.</summary>
        public static bool Occurs(string normalized, TriggerModel trigger) => FirstHit(normalized, trigger) >= 0;

        public static int FirstHit(string normalized, TriggerModel trigger)
        {
            if (trigger.Phrase.Length == 0)
            {
                return -1;
            }

            var from = 0;
            while (from <= normalized.Length - trigger.Phrase.Length)
            {
                var at = normalized.IndexOf(trigger.Phrase, from, StringComparison.Ordinal);
                if (at < 0)
                {
                    return -1;
                }

                if (!IsNegated(normalized, at, trigger.Negations))
                {
                    return at;
                }

                from = at + 1;
            }

            return -1;
        }

        public static bool IsNegated(string text, int hitStart, EquatableArray<string> prefixes)
        {
            if (prefixes.Count == 0)
            {
                return false;
            }

            for (var gap = 0; gap <= MaxIntervening && gap <= hitStart; gap++)
            {
                if (gap > 0 && InterveningCharacters.IndexOf(text[hitStart - gap]) < 0)
                {
                    return false;
                }

                var end = hitStart - gap;
                foreach (var prefix in prefixes)
                {
                    if (prefix.Length > 0 && prefix.Length <= end && string.CompareOrdinal(text, end - prefix.Length, prefix, 0, prefix.Length) == 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// The intent a message's triggers pick while the conversation is in <paramref name="stage"/>
        /// (not its first turn), or -1: the stage's own intents first, then shop-wide rules, then other
        /// stages' intents; within a tier the longest phrase, then the one declared first.
        /// </summary>
        public static int Decide(ShopModel shop, string normalized, int stage, out string phrase)
        {
            phrase = "";
            var best = -1;
            var bestTier = int.MaxValue;
            var bestLength = 0;
            var bestOrder = int.MaxValue;
            foreach (var trigger in shop.Triggers)
            {
                if (!Occurs(normalized, trigger))
                {
                    continue;
                }

                var intent = shop.Intents[trigger.Intent];
                var tier = intent.Kind != "Stage" ? 1 : intent.Stage == stage ? 0 : 2;
                var length = trigger.Phrase.Length;
                if (tier < bestTier || tier == bestTier && length > bestLength || tier == bestTier && length == bestLength && trigger.Order < bestOrder)
                {
                    best = trigger.Intent;
                    bestTier = tier;
                    bestLength = length;
                    bestOrder = trigger.Order;
                    phrase = trigger.Phrase;
                }
            }

            return best;
        }
    }
}
