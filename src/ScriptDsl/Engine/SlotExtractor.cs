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

        // Quantities with a unit word: every mention is "consumed" (so 110斤 is not also a bare
        // answer to the height question), the last one per slot fills it.
        var readings = new List<QuantityReading>();
        var consumed = new List<(int Start, int End)>();
        for (var slot = 0; slot < shop.Slots.Count; slot++)
        {
            var extractor = runtime.Extractors[slot];
            if (extractor is null)
            {
                continue;
            }

            var definition = shop.Slots[slot];
            readings.Clear();
            extractor.FindReadings(normalized, readings);
            foreach (var reading in readings)
            {
                consumed.Add((reading.Start, reading.Start + reading.Length));
            }

            for (var r = readings.Count - 1; r >= 0; r--)
            {
                if (TryEncode(definition, readings[r], out var text))
                {
                    turn.Fill(definition.Name, text);
                    filled.Add(definition.Name);
                    break;
                }
            }
        }

        FillPendingWithoutUnit(shop, runtime, turn, normalized, filled, consumed);
        return filled;
    }

    private static bool TryEncode(SlotDefinition definition, QuantityReading reading, out string text)
    {
        if (definition.Kind == SlotKind.Money)
        {
            return SlotValues.TryCanonicalMoney(reading, out text);
        }

        text = SlotValues.Canonical(reading);
        return true;
    }

    /// <summary>
    /// A quantity without a unit answers the number or money question just asked: the whole message
    /// ("170", "二十", "两百多", "1000-2000", "不超过800吧"), or else the one unitless quantity in it that
    /// stands alone ("我身高165体重110斤" while the height was asked: 110斤 is the weight, 165 the
    /// height; not 2个, 11月11号, 第2, an order or phone number).
    /// </summary>
    private static void FillPendingWithoutUnit(ShopDefinition shop, ShopRuntime runtime, TurnBuilder turn, string normalized, List<string> filled, List<(int Start, int End)> consumed)
    {
        var pending = turn.PendingSlot;
        if (pending.Length == 0 || filled.Contains(pending, StringComparer.Ordinal))
        {
            return;
        }

        var slot = -1;
        for (var i = 0; i < shop.Slots.Count; i++)
        {
            if (string.Equals(shop.Slots[i].Name, pending, StringComparison.Ordinal))
            {
                slot = i;
                break;
            }
        }

        if (slot < 0 || (shop.Slots[slot].Kind != SlotKind.Number && shop.Slots[slot].Kind != SlotKind.Money))
        {
            return;
        }

        var definition = shop.Slots[slot];
        var extractor = runtime.Extractors[slot] ?? QuantityExtractor.Unitless;
        if (!extractor.TryReadWhole(normalized, out var answer))
        {
            var candidates = new List<QuantityReading>();
            extractor.FindUnitlessReadings(normalized, candidates);
            candidates.RemoveAll(c => consumed.Exists(span => c.Start < span.End && span.Start < c.Start + c.Length));
            if (candidates.Count != 1)
            {
                return;
            }

            answer = candidates[0];
        }

        if (answer.Low < 0 || !TryEncode(definition, answer, out var text))
        {
            return;
        }

        turn.Fill(definition.Name, text);
        filled.Add(definition.Name);
    }
}
