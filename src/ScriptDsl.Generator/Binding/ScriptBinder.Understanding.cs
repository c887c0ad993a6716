using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Parsing;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// The understanding half of binding (docs/design/understanding-spec.md §1): examples, labels,
    /// <c>like</c>, <c>use standard</c>, <c>understanding { … }</c>, units, <c>expect</c>, and the
    /// <c>quote</c> and <c>close</c> rules. Everything that needs the standard library (mapping,
    /// training, the expect checks) happens later, in <see cref="UnderstandingCompiler"/>, so that a
    /// library edit re-trains only the shops that use it.
    /// </summary>
    public sealed partial class ScriptBinder
    {
        /// <summary>The intent a quote or close rule adds (called from BindShop's member switch).</summary>
        private (Ident Head, IReadOnlyList<PhraseSyntax> Phrases, IntentModel Intent) BindQuoteOrClose(MemberSyntax member, ICollection<string> policies, string shopId)
        {
            var noFlags = EquatableArray<FlagModel>.Empty;
            var noSlots = EquatableArray<int>.Empty;
            if (member is QuoteSyntax quote)
            {
                var policy = quote.Policy.Name;
                if (!policies.Contains(policy))
                {
                    Report(DiagnosticDescriptors.UnknownPolicy, quote.Policy, policy, Names.Suggest(policy, policies), shopId);
                }

                var head = new Ident(quote.Pos, "quote");
                return (head, quote.Phrases, new IntentModel("quote", "Quote", -1, quote.Phrases.Any(p => p.Start), null, noSlots, -1, -1, "None", policy, noFlags, null, null, quote.Pos.Line));
            }

            var close = (CloseSyntax)member;
            // The close reply confirms the agreed total: it is bound like a policy reply ({{ total }}, {{ list_total }}),
            // the engine fills ScriptScope.Policy with the negotiated (or the cart's) total.
            var reply = BindReplies(close.Replies, "close", TemplateContextKind.Policy, close.Pos.Line);
            return (new Ident(close.Pos, "close"), close.Phrases, new IntentModel("close", "Close", -1, close.Phrases.Any(p => p.Start), reply, noSlots, -1, -1, "None", null, noFlags, null, null, close.Pos.Line));
        }

        /// <summary>Binds every understanding declaration of the shop; called once, when the shop's model is built.</summary>
        private UnderstandingRequest BindUnderstanding(ShopSyntax shop, IReadOnlyList<IntentModel> intents, IReadOnlyList<TriggerModel> triggers)
        {
            var uses = new List<UseModel>();
            var usePositions = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
            var threshold = UnderstandingRequest.DefaultThreshold;
            var margin = UnderstandingRequest.DefaultMargin;
            UnderstandingSyntax? block = null;
            var units = new List<UnitModel>();
            var expects = new List<ExpectModel>();
            var rules = new List<RuleUnderstandingModel>();
            var taken = new HashSet<int>();
            var examples = new Dictionary<string, (string Intent, int Line)>(StringComparer.Ordinal);

            void Rule(string intentName, Ident head, string mapsBy, IReadOnlyList<PhraseSyntax> phrases, IReadOnlyList<UnderstandSyntax> parts)
            {
                var index = -1;
                for (var i = 0; i < intents.Count; i++)
                {
                    if (intents[i].Name == intentName && !taken.Contains(i))
                    {
                        index = i;
                        break;
                    }
                }

                if (index < 0)
                {
                    return;
                }

                taken.Add(index);
                StringLit? label = null;
                Ident? like = null;
                UnderstandSyntax? labelPart = null;
                UnderstandSyntax? likePart = null;
                var own = new List<ExampleText>();
                foreach (var part in parts)
                {
                    switch (part.Keyword)
                    {
                        case "label" when labelPart is not null:
                        case "like" when likePart is not null:
                            Report(DiagnosticDescriptors.RepeatedRule, part.Pos, part.Keyword.Length, part.Keyword, Line((labelPart ?? likePart)!.Pos));
                            break;
                        case "label":
                            labelPart = part;
                            label = part.Label;
                            if (label is not null && label.Value.Trim().Length == 0)
                            {
                                Report(DiagnosticDescriptors.EmptyText, label.Pos, label.Raw.Length + 2, "label");
                            }

                            break;
                        case "like":
                            likePart = part;
                            like = part.Like;
                            break;
                        default:
                            foreach (var example in part.Examples)
                            {
                                var normalized = Integration.Normalize(example.Value);
                                if (normalized.Length == 0)
                                {
                                    Report(DiagnosticDescriptors.EmptyText, example.Pos, example.Raw.Length + 2, "example");
                                    continue;
                                }

                                if (examples.TryGetValue(normalized, out var first))
                                {
                                    if (!IsAllowed(DiagnosticDescriptors.DuplicateExample.Id, example.Pos.Line))
                                    {
                                        Report(DiagnosticDescriptors.DuplicateExample, example.Pos, example.Raw.Length + 2, example.Value, first.Intent, first.Line.ToString(CultureInfo.InvariantCulture));
                                    }
                                }
                                else
                                {
                                    examples[normalized] = (intentName, example.Pos.Line);
                                }

                                own.Add(new ExampleText(example.Value, example.Pos, example.Raw.Length + 2));
                            }

                            break;
                    }
                }

                if (phrases.Count == 0 && own.Count == 0 && like is null && parts.All(p => p.Keyword != "examples"))
                {
                    Report(DiagnosticDescriptors.RuleWithoutTriggers, head, intentName);
                }

                var ownTriggers = triggers.Where(t => t.Intent == index).Select(t => t.Phrase).ToArray();
                foreach (var example in own)
                {
                    CheckExampleAgainstTriggers(example, index, intentName, intents, triggers);
                }

                rules.Add(new RuleUnderstandingModel(index, mapsBy, like?.Name, like?.Pos ?? default, label?.Value, new EquatableArray<ExampleText>(own.ToArray()), new EquatableArray<string>(ownTriggers)));
            }

            foreach (var member in shop.Members)
            {
                switch (member)
                {
                    case UseStandardSyntax use:
                        if (usePositions.TryGetValue(use.Name.Name, out var firstUse))
                        {
                            Report(DiagnosticDescriptors.RepeatedRule, use.Name, "use standard " + use.Name.Name, Line(firstUse));
                        }
                        else
                        {
                            usePositions[use.Name.Name] = use.Name.Pos;
                            uses.Add(new UseModel(use.Name.Name, use.Name.Pos));
                        }

                        break;

                    case UnderstandingSyntax settings when block is not null:
                        Report(DiagnosticDescriptors.RepeatedSetting, settings.Pos, "understanding".Length, "understanding", Line(block.Pos));
                        break;

                    case UnderstandingSyntax settings:
                        block = settings;
                        BindUnderstandingSettings(settings, ref threshold, ref margin);
                        break;

                    case UnitSyntax unit:
                        BindUnit(unit, units);
                        break;

                    case ExpectSyntax expect:
                        if (Integration.Normalize(expect.Text.Value).Length == 0)
                        {
                            Report(DiagnosticDescriptors.EmptyText, expect.Text.Pos, expect.Text.Raw.Length + 2, "expected message");
                            break;
                        }

                        expects.Add(new ExpectModel(expect.Text.Value, expect.Text.Pos, expect.Text.Raw.Length + 2, expect.Intent.Name, expect.Intent.Pos));
                        break;

                    case StageSyntax stage:
                        foreach (var intent in stage.Intents)
                        {
                            var name = intent.Name?.Name ?? stage.Name.Name;
                            var onStart = intent.Phrases.Any(p => p.Start);
                            Rule(name, intent.Name ?? new Ident(intent.Pos, "on"), onStart ? "greet" : name, intent.Phrases, intent.Understand);
                        }

                        break;

                    case QuickSyntax quick:
                        Rule(quick.Name.Name, quick.Name, quick.Name.Name, quick.Phrases, quick.Understand);
                        break;

                    case ObjectionSyntax objection:
                        Rule(objection.Kind.Name + "_objection", objection.Kind, objection.Kind.Name, objection.Phrases, objection.Understand);
                        break;

                    case OrderSyntax order:
                        Rule("order_placed", new Ident(order.Pos, "order"), "order", order.Phrases, order.Understand);
                        break;

                    case FarewellSyntax farewell:
                        Rule("farewell", new Ident(farewell.Pos, "farewell"), "farewell", farewell.Phrases, farewell.Understand);
                        break;

                    case ComplaintSyntax complaint:
                        Rule("complaint", new Ident(complaint.Pos, "complaint"), "complaint", complaint.Phrases, complaint.Understand);
                        break;

                    case EscalateSyntax escalate:
                        Rule("escalate", new Ident(escalate.Pos, "escalate"), "escalate", escalate.Phrases, escalate.Understand);
                        break;

                    case QuoteSyntax quote:
                        Rule("quote", new Ident(quote.Pos, "quote"), "quote", quote.Phrases, quote.Understand);
                        break;

                    case CloseSyntax close:
                        Rule("close", new Ident(close.Pos, "close"), "close", close.Phrases, close.Understand);
                        break;
                }
            }

            return new UnderstandingRequest(
                new EquatableArray<UseModel>(uses.ToArray()),
                new EquatableArray<RuleUnderstandingModel>(rules.OrderBy(r => r.Intent).ToArray()),
                new EquatableArray<ExpectModel>(expects.ToArray()),
                threshold,
                margin,
                new EquatableArray<UnitModel>(units.ToArray()));
        }

        /// <summary>SDSL1008: an example that contains another rule's trigger never reaches the classifier.</summary>
        private void CheckExampleAgainstTriggers(ExampleText example, int intent, string intentName, IReadOnlyList<IntentModel> intents, IReadOnlyList<TriggerModel> triggers)
        {
            if (IsAllowed(DiagnosticDescriptors.ExampleHitsTrigger.Id, example.Pos.Line))
            {
                return;
            }

            var normalized = Integration.Normalize(example.Text);
            if (triggers.Any(t => t.Intent == intent && TriggerMatching.Occurs(normalized, t)))
            {
                return;
            }

            foreach (var trigger in triggers)
            {
                if (trigger.Intent != intent && TriggerMatching.Occurs(normalized, trigger))
                {
                    Report(DiagnosticDescriptors.ExampleHitsTrigger, example.Pos, example.Length, example.Text, intentName, trigger.Phrase, intents[trigger.Intent].Name);
                    return;
                }
            }
        }

        private void BindUnderstandingSettings(UnderstandingSyntax settings, ref double threshold, ref double margin)
        {
            var seen = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
            foreach (var setting in settings.Settings)
            {
                var key = setting.Keyword.Name;
                if (seen.TryGetValue(key, out var first))
                {
                    Report(DiagnosticDescriptors.RepeatedSetting, setting.Keyword, key, Line(first));
                    continue;
                }

                seen[key] = setting.Pos;
                var number = setting.Value;
                var length = number.Text.Length + (number.Percent ? 1 : 0);
                if (!TryDecimal(number, out var value))
                {
                    Report(DiagnosticDescriptors.InvalidNumber, number.Pos, length, number.Text + (number.Percent ? "%" : ""), key, "Write a probability between 0 and 1, e.g. 0.55.");
                    continue;
                }

                if (key == "threshold")
                {
                    if (value <= 0m || value > 1m)
                    {
                        Report(DiagnosticDescriptors.UnderstandingSettingRange, number.Pos, length, key, number.Text, "the threshold is the probability the best intent must reach, above 0 and at most 1 (default 0.55).");
                        continue;
                    }

                    threshold = (double)value;
                }
                else
                {
                    if (value >= 1m)
                    {
                        Report(DiagnosticDescriptors.UnderstandingSettingRange, number.Pos, length, key, number.Text, "the margin is how far the best intent must be ahead of the second, from 0 up to (not including) 1 (default 0.10).");
                        continue;
                    }

                    margin = (double)value;
                }
            }
        }

        private void BindUnit(UnitSyntax unit, List<UnitModel> units)
        {
            if (Integration.Normalize(unit.Word.Value).Length == 0)
            {
                Report(DiagnosticDescriptors.EmptyText, unit.Word.Pos, unit.Word.Raw.Length + 2, "unit word");
                return;
            }

            if (!TryDecimal(unit.Factor, out var factor) || factor <= 0m)
            {
                Report(DiagnosticDescriptors.InvalidNumber, unit.Factor.Pos, unit.Factor.Text.Length + (unit.Factor.Percent ? 1 : 0), unit.Factor.Text + (unit.Factor.Percent ? "%" : ""), "unit factor", "Write a positive number such as 0.5 or 100.");
                return;
            }

            var found = false;
            for (var i = 0; i < _slots.Count; i++)
            {
                if (_slots[i].Kind == ValueKind.Number && _slots[i].Units.Any(u => string.Equals(u, unit.Unit.Name, StringComparison.Ordinal)))
                {
                    found = true;
                    units.Add(new UnitModel(i, unit.Word.Value, factor.ToString(CultureInfo.InvariantCulture)));
                }
            }

            if (!found)
            {
                var known = _slots.Where(s => s.Kind == ValueKind.Number).SelectMany(s => s.Units).Distinct(StringComparer.Ordinal);
                Report(DiagnosticDescriptors.UnknownUnit, unit.Unit.Pos, unit.UnitLength, unit.Unit.Name, Names.Suggest(unit.Unit.Name, known));
            }
        }
    }
}
