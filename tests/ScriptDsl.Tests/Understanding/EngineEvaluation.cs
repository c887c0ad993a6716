using ScriptDsl.Engine;
using ScriptDsl.Model;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// Labelled buyer lines through a compiled shop and the engine's whole decision (triggers,
/// counter-offers, the classifier with the shop's threshold and margin, clarification), each line a
/// new conversation (its earlier turns first). A line counts as understood when the reported intent
/// maps onto the line's standard intent; otherwise it is a wrong intent (the worst outcome: the
/// buyer gets another question's answer), a clarification question, or the fallback.
/// </summary>
internal static class EngineEvaluation
{
    public static string StandardOf(IntentDefinition intent) => intent.Standard.Length > 0 ? intent.Standard : intent.Name;

    /// <summary>The lines of <paramref name="lines"/> whose intent <paramref name="shop"/> has a rule for.</summary>
    public static List<LabelledMessage> Covered(ShopDefinition shop, IEnumerable<LabelledMessage> lines)
    {
        var covered = shop.Intents.Select(StandardOf).ToHashSet(StringComparer.Ordinal);
        return lines.Where(m => covered.Contains(m.Intent)).ToList();
    }

    public static Outcome Run(ShopDefinition shop, IReadOnlyList<LabelledMessage> lines)
    {
        var outcome = new Outcome();
        foreach (var line in lines)
        {
            var state = ConversationState.New(shop.Id, shop.SourceHash);
            TurnResult? turn = null;
            foreach (var message in line.EarlierTurns.Append(line.Message))
            {
                turn = ConversationEngine.Turn(shop, state, message, BuyerContext.Empty);
                state = turn.State;
            }

            var intent = shop.Intents.FirstOrDefault(i => i.Name == turn!.Intent);
            var standard = intent is null ? turn!.Intent : StandardOf(intent);
            outcome.Total++;
            if (standard == line.Intent)
            {
                outcome.Understood++;
                continue;
            }

            switch (turn!.Match)
            {
                case MatchKind.Clarifying:
                    outcome.Clarified++;
                    break;
                case MatchKind.Fallback:
                    outcome.Fallback++;
                    break;
                default:
                    outcome.Wrong++;
                    break;
            }

            outcome.Misses.Add($"{line.Intent} -> {(turn.Intent.Length == 0 ? "(none)" : standard)} ({turn.Match}, {turn.Confidence:F2}): {line.Message}");
        }

        return outcome;
    }

    internal sealed class Outcome
    {
        public int Total { get; set; }

        public int Understood { get; set; }

        public int Wrong { get; set; }

        public int Clarified { get; set; }

        public int Fallback { get; set; }

        public List<string> Misses { get; } = [];

        public double Accuracy => Total == 0 ? 0 : (double)Understood / Total;

        public override string ToString() =>
            $"{Accuracy:P1} ({Understood} of {Total}; wrong intent {Wrong}, clarify {Clarified}, fallback {Fallback})";
    }
}
