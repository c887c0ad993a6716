using System.Globalization;
using ScriptDsl.Protocol.V1;

namespace LoadGen;

/// <summary>
/// The buyer's side of a short lamp-shop dialogue (after the shops' own seed "产品推荐—问出购物意向"):
/// ask for a bedroom lamp, answer the shop's questions (shape, budget, style), object to the price,
/// ask about delivery, say goodbye. The budget is the buyer's own figure, so every conversation
/// carries a value no other conversation in flight has: a reply that reports another buyer's
/// budget is an answer of the wrong conversation.
/// </summary>
public static class Dialogue
{
    /// <summary>The shop the dialogue is written for.</summary>
    public const string Shop = "lamp_shop";

    /// <summary>The turn after which the shop knows the buyer's budget.</summary>
    public const int BudgetTurn = 2;

    private static readonly string[] Lines =
    [
        "老板,请给我推荐一款卧室灯",
        "我更喜欢方形的",
        "预算{0}元左右",
        "我家是北欧装修风格,想要简单一点的",
        "你家灯怎么这么贵?",
        "发什么快递呀",
        "好的谢谢,我再看看",
    ];

    /// <summary>How many buyer lines one conversation has; after the last, a buyer starts a new conversation.</summary>
    public static int Length => Lines.Length;

    /// <summary>Buyer line <paramref name="turn"/> (0-based) of a buyer whose budget is <paramref name="budgetYuan"/> yuan.</summary>
    public static string Line(int turn, int budgetYuan) =>
        string.Format(CultureInfo.InvariantCulture, Lines[turn], budgetYuan);

    /// <summary>A budget, in whole yuan, distinct for each of up to 100,000 conversations in flight.</summary>
    public static int Budget(int conversationSlot) => 200 + conversationSlot;
}

/// <summary>What one turn of the dialogue answered when it ran alone (the reference the load's answers are checked against).</summary>
public sealed record ExpectedTurn(string Intent, string Stage, string ReplyKind, IReadOnlyList<string> SlotNames)
{
    public static ExpectedTurn Of(ReplyResponse reply) =>
        new(reply.Intent, reply.Stage, reply.ReplyKind, [.. reply.Slots.Keys.Order(StringComparer.Ordinal)]);
}

/// <summary>
/// Checks the answers of the load against the dialogue run alone, and against the conversation's own
/// budget: the answer to turn k of a conversation must have the intent, stage, kind and slot names
/// the same turn had alone, and report this conversation's budget once it was given.
/// </summary>
public sealed class ReplyValidator
{
    private readonly IReadOnlyList<ExpectedTurn> _expected;
    private readonly string _budgetSlot;
    private readonly Func<int, string> _budgetText;

    /// <param name="expected">The reference answers, one per turn.</param>
    /// <param name="budgetSlot">The slot that holds the budget ("budget").</param>
    /// <param name="budgetText">How the reference answer wrote the reference budget, as a function of the budget in yuan.</param>
    public ReplyValidator(IReadOnlyList<ExpectedTurn> expected, string budgetSlot, Func<int, string> budgetText)
    {
        _expected = expected;
        _budgetSlot = budgetSlot;
        _budgetText = budgetText;
    }

    /// <summary>Null when <paramref name="reply"/> is a valid answer to <paramref name="turn"/> of the conversation with this budget; else why not.</summary>
    public string? Check(ReplyResponse reply, int turn, int budgetYuan)
    {
        if (reply.Messages.Count == 0 || reply.Messages.Any(m => m.Text.Length == 0))
        {
            return $"turn {turn}: no message text";
        }

        var expected = _expected[turn];
        var actual = ExpectedTurn.Of(reply);
        if (!string.Equals(actual.Intent, expected.Intent, StringComparison.Ordinal)
            || !string.Equals(actual.Stage, expected.Stage, StringComparison.Ordinal)
            || !string.Equals(actual.ReplyKind, expected.ReplyKind, StringComparison.Ordinal)
            || !actual.SlotNames.SequenceEqual(expected.SlotNames, StringComparer.Ordinal))
        {
            return $"turn {turn}: intent '{actual.Intent}' stage '{actual.Stage}' kind '{actual.ReplyKind}' slots [{string.Join(",", actual.SlotNames)}], "
                + $"expected intent '{expected.Intent}' stage '{expected.Stage}' kind '{expected.ReplyKind}' slots [{string.Join(",", expected.SlotNames)}]";
        }

        return CheckBudget(reply, turn, budgetYuan);
    }

    /// <summary>
    /// The check that holds even when several streams share a conversation (workload b): a budget
    /// the answer reports is this conversation's own.
    /// </summary>
    public string? CheckBudget(ReplyResponse reply, int turn, int budgetYuan)
    {
        if (reply.Slots.TryGetValue(_budgetSlot, out var budget) && !string.Equals(budget, _budgetText(budgetYuan), StringComparison.Ordinal))
        {
            return $"turn {turn}: budget '{budget}', this conversation's is '{_budgetText(budgetYuan)}' (an answer of another conversation)";
        }

        return null;
    }

    /// <summary>
    /// Runs the dialogue once, alone, in a new conversation, and returns a validator of its answers.
    /// Fails if the dialogue does not run as written (e.g. the budget slot is never filled).
    /// </summary>
    public static async Task<ReplyValidator> LearnAsync(ScriptDsl.Protocol.V1.ScriptService.ScriptServiceClient client, string conversationId, TimeSpan callTimeout, CancellationToken cancellationToken)
    {
        var expected = new List<ExpectedTurn>(Dialogue.Length);
        var budget = Dialogue.Budget(99_999);
        string? budgetText = null;
        for (var turn = 0; turn < Dialogue.Length; turn++)
        {
            var reply = await client.ReplyAsync(
                new ReplyRequest { ShopId = Dialogue.Shop, ConversationId = conversationId, Message = Dialogue.Line(turn, budget) },
                deadline: DateTime.UtcNow + callTimeout, cancellationToken: cancellationToken);
            expected.Add(ExpectedTurn.Of(reply));
            if (turn == Dialogue.BudgetTurn)
            {
                budgetText = reply.Slots.TryGetValue("budget", out var b) ? b : null;
            }
        }

        var reference = budget.ToString(CultureInfo.InvariantCulture);
        if (budgetText is null || !budgetText.Contains(reference, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the dialogue's budget line did not fill slot 'budget' with {reference} (got '{budgetText}'); the lamp shop's script changed?");
        }

        // The slot's text for another budget: the reference's text with its figure replaced.
        var template = budgetText;
        return new ReplyValidator(expected, "budget", yuan => template.Replace(reference, yuan.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }
}
