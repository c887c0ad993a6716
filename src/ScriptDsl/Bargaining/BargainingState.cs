namespace ScriptDsl.Bargaining;

/// <summary>
/// Where a conversation's bargaining stands: a plain serializable value the conversation engine
/// stores between asks and hands back to <see cref="Negotiator.Decide"/>. Gifts are kept by name so a
/// stored conversation still reads after the ladder is reordered. Equality compares contents.
/// </summary>
/// <param name="Round">Asks answered so far (0 before the first).</param>
/// <param name="StepIndex">The step the next ask starts from; the steps before it are used up.</param>
/// <param name="OfferedMinor">The total offered after the last ask (meaningful when <paramref name="Round"/> &gt; 0).</param>
/// <param name="CartListTotalMinor">The list total of the cart that offer was for; a cart with another list total voids the offer (and re-checks the gifts).</param>
/// <param name="GiftCursor">The ladder index of the last gift granted (-1: none); gifts are granted only beyond it.</param>
/// <param name="GiftsGranted">The gifts granted and still held, in ladder order.</param>
/// <param name="Held">The policy has held its price: no further concession in this conversation.</param>
public sealed record BargainingState(
    int Round,
    int StepIndex,
    long OfferedMinor,
    long CartListTotalMinor,
    int GiftCursor,
    IReadOnlyList<string> GiftsGranted,
    bool Held)
{
    public static readonly BargainingState Initial = new(0, 0, 0, 0, -1, [], false);

    public bool Equals(BargainingState? other) =>
        other is not null
        && Round == other.Round
        && StepIndex == other.StepIndex
        && OfferedMinor == other.OfferedMinor
        && CartListTotalMinor == other.CartListTotalMinor
        && GiftCursor == other.GiftCursor
        && Held == other.Held
        && GiftsGranted.SequenceEqual(other.GiftsGranted, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = HashCode.Combine(Round, StepIndex, OfferedMinor, CartListTotalMinor, GiftCursor, Held);
        foreach (var gift in GiftsGranted)
        {
            hash = HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(gift));
        }

        return hash;
    }
}
