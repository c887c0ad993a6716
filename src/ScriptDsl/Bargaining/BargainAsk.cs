namespace ScriptDsl.Bargaining;

/// <summary>The kinds of the proto's <c>NegotiateRequest.ask</c> oneof.</summary>
public enum AskKind
{
    /// <summary>"785 is too much, 700 ok?"</summary>
    TargetTotal = 1,

    /// <summary>"打八折" = 20.</summary>
    DiscountPercent = 2,

    /// <summary>"包个邮吗?"</summary>
    FreeShipping = 3,

    /// <summary>"不能再优惠一点吗?"</summary>
    AnyBetter = 4,
}

/// <summary>What the buyer asks for. Build it with the factories; <see cref="Negotiator"/> rejects anything else.</summary>
public readonly record struct BargainAsk(AskKind Kind, long TargetTotalMinor, int DiscountPercent)
{
    public static BargainAsk Target(long totalMinor) => new(AskKind.TargetTotal, totalMinor, 0);

    public static BargainAsk PercentOff(int percent) => new(AskKind.DiscountPercent, 0, percent);

    public static BargainAsk FreeShipping() => new(AskKind.FreeShipping, 0, 0);

    public static BargainAsk AnyBetter() => new(AskKind.AnyBetter, 0, 0);
}
