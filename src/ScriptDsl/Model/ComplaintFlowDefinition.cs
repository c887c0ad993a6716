namespace ScriptDsl.Model;

/// <summary>The seeds' after-sale order: confirm, apologise, collect, remedy, ask opinion, follow up.</summary>
public enum ComplaintStepKind
{
    Confirm,
    Apologize,
    Collect,
    Remedy,
    Opinion,
    FollowUp,
}

public enum RemedyKind
{
    None,
    Coupon,
    Discount,
    Thanks,
}

/// <param name="Remedy">For a remedy step: coupon (amount in minor units), discount (percent) or thanks.</param>
public sealed record ComplaintStep(
    ComplaintStepKind Kind,
    ReplyDefinition Reply,
    IReadOnlyList<int> AskSlots,
    RemedyKind Remedy,
    string RemedyName,
    long RemedyAmountMinor,
    int RemedyPercent,
    int SourceLine);

/// <summary>The complaint intent and its fixed steps; escalation hands the buyer to a person.</summary>
public sealed record ComplaintFlowDefinition(int Intent, IReadOnlyList<ComplaintStep> Steps, int EscalationIntent);
