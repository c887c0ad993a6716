using ScriptDsl.Model;

namespace ScriptDsl.Engine;

/// <summary>
/// Makes a stored state safe to run against the shop as compiled now. A state from another version
/// of the script keeps what still makes sense; what does not is dropped with a note, never a crash.
/// </summary>
public static class StateValidator
{
    public static ConversationState Revalidate(ShopDefinition shop, ConversationState state)
    {
        if (state.ShopId.Length > 0 && !string.Equals(state.ShopId, shop.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The conversation belongs to shop '{state.ShopId}', not '{shop.Id}'.", nameof(state));
        }

        if (string.Equals(state.ScriptHash, shop.SourceHash, StringComparison.Ordinal) || state.Turn == 0)
        {
            return state with { ShopId = shop.Id, ScriptHash = shop.SourceHash };
        }

        var notes = new List<string>(state.Notes);
        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in state.Slots.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var definition = shop.Slots.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
            if (definition is null)
            {
                notes.Add($"slot '{name}' dropped: the script no longer declares it");
            }
            else if (!SlotValues.TryParse(definition, value, out _))
            {
                notes.Add($"slot '{name}' dropped: '{value}' is no longer a valid value");
            }
            else
            {
                slots[name] = value;
            }
        }

        var stage = state.Stage;
        if (stage.Length > 0 && !shop.Stages.Any(s => string.Equals(s.Name, stage, StringComparison.Ordinal)))
        {
            notes.Add($"stage '{stage}' no longer exists: back to '{shop.Stages[shop.InitialStage].Name}'");
            stage = shop.Stages[shop.InitialStage].Name;
        }

        var pendingIntent = shop.Intents.Any(i => string.Equals(i.Name, state.PendingIntent, StringComparison.Ordinal)) ? state.PendingIntent : "";
        var pendingSlot = shop.Slots.Any(s => string.Equals(s.Name, state.PendingSlot, StringComparison.Ordinal)) ? state.PendingSlot : "";
        var complaintStep = shop.Complaint is { } flow && state.ComplaintStep < flow.Steps.Count ? state.ComplaintStep : -1;

        return state with
        {
            ShopId = shop.Id,
            ScriptHash = shop.SourceHash,
            Slots = slots,
            Asked = state.Asked.Where(a => shop.Slots.Any(s => string.Equals(s.Name, a, StringComparison.Ordinal))).ToList(),
            Stage = stage,
            PendingIntent = pendingIntent,
            PendingSlot = pendingSlot,
            ComplaintStep = complaintStep,
            ComplaintWaiting = complaintStep >= 0 && state.ComplaintWaiting,
            ClarifyOptions = state.ClarifyOptions.All(o => shop.Intents.Any(i => string.Equals(i.Name, o, StringComparison.Ordinal))) ? state.ClarifyOptions : [],
            Notes = notes,
        };
    }
}
