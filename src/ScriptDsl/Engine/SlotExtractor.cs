using ScriptDsl.Matching;
using ScriptDsl.Model;
using ScriptDsl.Text;

namespace ScriptDsl.Engine;

/// <summary>
/// Fills slots from the buyer's words: choice values and their synonyms, numbers with a slot's
/// units, money, and a bare number answering the question just asked. Several slots can be filled
/// by one message ("我家北欧风, 卧室用"). Within a message the last mention of a slot wins.
/// </summary>
internal static class SlotExtractor
{
    public static IReadOnlyList<string> Extract(ShopDefinition shop, TurnBuilder turn, string normalized)
    {
        var filled = new List<string>();
        if (normalized.Length == 0)
        {
            return filled;
        }

        var runtime = ShopRuntime.For(shop);
        var hits = new List<TriggerHit>();
        shop.SlotPhraseAutomaton.FindAll(normalized, hits);

        // Per slot, the winning mention: the latest start, then the longest.
        var best = new Dictionary<int, (int Start, int Length, int Choice)>();
        foreach (var hit in hits)
        {
            if (ShopRuntime.ChoiceNegation.IsNegated(normalized, hit.Start))
            {
                continue;
            }

            var phrase = shop.SlotPhrases[hit.Payload];
            if (!best.TryGetValue(phrase.Slot, out var current)
                || hit.Start > current.Start
                || (hit.Start == current.Start && hit.Length > current.Length))
            {
                best[phrase.Slot] = (hit.Start, hit.Length, phrase.Choice);
            }
        }

        foreach (var (slot, mention) in best.OrderBy(p => p.Key))
        {
            var definition = shop.Slots[slot];
            turn.Fill(definition.Name, definition.Choices[mention.Choice].Value);
            filled.Add(definition.Name);
        }

        var quantities = new List<QuantityHit>();
        var money = new List<MoneyHit>();
        for (var slot = 0; slot < shop.Slots.Count; slot++)
        {
            var extractor = runtime.Extractors[slot];
            if (extractor is null)
            {
                continue;
            }

            var definition = shop.Slots[slot];
            if (definition.Kind == SlotKind.Money)
            {
                money.Clear();
                extractor.FindMoney(normalized, money);
                if (money.Count > 0)
                {
                    turn.Fill(definition.Name, money[^1].Fen.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    filled.Add(definition.Name);
                }
            }
            else
            {
                quantities.Clear();
                extractor.FindAll(normalized, quantities);
                if (quantities.Count > 0)
                {
                    turn.Fill(definition.Name, SlotValues.Canonical(quantities[^1].Value));
                    filled.Add(definition.Name);
                }
            }
        }

        FillBareNumber(shop, turn, normalized, filled);
        return filled;
    }

    /// <summary>"20" or "二十" alone answers the number or money question just asked.</summary>
    private static void FillBareNumber(ShopDefinition shop, TurnBuilder turn, string normalized, List<string> filled)
    {
        var pending = turn.PendingSlot;
        if (pending.Length == 0 || filled.Contains(pending, StringComparer.Ordinal))
        {
            return;
        }

        var definition = shop.Slots.FirstOrDefault(s => string.Equals(s.Name, pending, StringComparison.Ordinal));
        if (definition is null || (definition.Kind != SlotKind.Number && definition.Kind != SlotKind.Money))
        {
            return;
        }

        if (!ChineseNumber.TryParseDecimal(normalized.Trim(), out var number) || number < 0)
        {
            return;
        }

        if (definition.Kind == SlotKind.Money)
        {
            if (QuantityExtractor.TryToFen(number, out var fen))
            {
                turn.Fill(definition.Name, fen.ToString(System.Globalization.CultureInfo.InvariantCulture));
                filled.Add(definition.Name);
            }
        }
        else
        {
            turn.Fill(definition.Name, SlotValues.Canonical(number));
            filled.Add(definition.Name);
        }
    }
}
