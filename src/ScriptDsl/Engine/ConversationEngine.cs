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

        var valid = StateValidator.Revalidate(shop, state);
        var turn = new TurnBuilder(shop, valid, context, options ?? TurnOptions.Default);
        var normalized = TextNormalizer.Normalize(message);
        var firstTurn = valid.Turn == 0;

        var filled = SlotExtractor.Extract(shop, turn, normalized);
        var match = IntentMatcher.Match(shop, turn.StageIndex, normalized, firstTurn);

        if (firstTurn && match.StartIntent >= 0 && match.Intent != match.StartIntent)
        {
            // The seeds' first rule: greet at once, then answer what was asked in the same turn.
            turn.RunIntent(match.StartIntent, greetingOnly: match.Intent >= 0);
        }

        if (match.Intent >= 0)
        {
            turn.RunIntent(match.Intent, greetingOnly: false);
        }
        else if (!(firstTurn && match.StartIntent >= 0))
        {
            if (!turn.ContinueOpenWork(filled, message))
            {
                turn.RunFallback();
            }
        }

        return turn.Finish();
    }
}

/// <summary>Hooks the engine calls out to; every one is optional.</summary>
public sealed record TurnOptions
{
    public static readonly TurnOptions Default = new();

    /// <summary>
    /// Answers an objection that uses a bargaining policy. Null: such an objection is answered by the
    /// fallback's wording, since the engine alone cannot price a cart.
    /// </summary>
    public PolicyHandler? Policy { get; init; }

    /// <summary>At most this many suggestions are returned.</summary>
    public int MaxSuggestions { get; init; } = 3;
}

/// <summary>Runs a shop's bargaining policy for a price objection raised in chat.</summary>
public delegate PolicyOutcome PolicyHandler(string policyName, ShopDefinition shop, ConversationState state, BuyerContext context, string message);

/// <summary>What a bargaining policy answered inside a chat turn.</summary>
public sealed record PolicyOutcome(IReadOnlyList<ReplyMessage> Messages, IReadOnlyList<TurnAction> Actions, ConversationState State);
