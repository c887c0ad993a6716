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

        _ = ShopRuntime.For(shop); // refuses a shop built without its matching tables, before any work
        var valid = StateValidator.Revalidate(shop, state);
        var normalized = TextNormalizer.Normalize(message);
        var turn = new TurnBuilder(shop, valid, context, options ?? TurnOptions.Default, normalized);
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

/// <summary>What the caller knows that the engine must not look up itself.</summary>
public sealed record TurnOptions
{
    public static readonly TurnOptions Default = new();

    /// <summary>Remaining stock per gift name today (gifts with a daily limit); absent: the full limit.</summary>
    public IReadOnlyDictionary<string, int>? GiftStockToday { get; init; }

    /// <summary>At most this many suggestions are returned.</summary>
    public int MaxSuggestions { get; init; } = 3;
}
