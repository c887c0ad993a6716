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
    // The shop, along its seams: settings and declarations (facts, slots, items, concepts,
    // policies), stages, intents, recommend stages, triggers, structure checks, and the model.
    public sealed partial class ScriptBinder
    {
        /// <summary>The settings a shop states once (currency, honorific, particles, thresholds).</summary>
        private sealed record ShopSettings(string Currency, string Honorific, string[] Particles, int MinQuestions);

        /// <summary>Stages (recommend blocks are stages too) in declaration order, and their index by name.</summary>
        private sealed class StageTable
        {
            public List<MemberSyntax> Syntax { get; } = new List<MemberSyntax>();

            public Dictionary<string, int> Index { get; } = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        /// <summary>What binding the intents yields: the intents and their phrases, and the statements bound alongside.</summary>
        private sealed class IntentTable
        {
            public List<IntentModel> Intents { get; } = new List<IntentModel>();

            public List<(int Intent, IReadOnlyList<PhraseSyntax> Phrases)> Phrases { get; } = new List<(int, IReadOnlyList<PhraseSyntax>)>();

            public Dictionary<int, List<int>> StageIntents { get; } = new Dictionary<int, List<int>>();

            public List<CrossSellModel> CrossSells { get; } = new List<CrossSellModel>();

            public ComplaintModel? Complaint { get; set; }

            public ComplaintSyntax? ComplaintSyntax { get; set; }

            public PaymentModel? Payment { get; set; }

            public int EscalationIntent { get; set; } = -1;
        }

        private ShopModel? BindShop(ShopSyntax shop, IReadOnlyList<PolicySyntax> policies)
        {
            CollectPricing(policies);
            _className = Names.Pascal(shop.Id.Name);
            if (_className == "Facts" || _className == "Choices")
            {
                _className += "Shop";
            }

            var members = shop.Members;
            var settings = BindSettings(members);

            // Declarations.
            BindFacts(members.OfType<FactSyntax>());
            BindSlots(members.OfType<SlotSyntax>());
            var items = BindItems(members.OfType<ItemSyntax>(), out var itemIndex);
            var concepts = BindConcepts(members.OfType<ConceptSyntax>(), out var conceptIndex);
            var policyNames = DeclarePolicies(shop, policies);
            var stageTable = DeclareStages(members);

            // Stages and intents.
            var table = BindIntents(shop, members, stageTable, policyNames, new HashSet<string>(items.Select(i => i.Category), StringComparer.Ordinal));
            var stages = BindStages(stageTable, table.StageIntents, itemIndex);
            var intents = table.Intents;

            // Triggers.
            var triggers = BindTriggers(table, concepts, conceptIndex);
            var slotPhrases = BindSlotPhrases();

            // Structure checks.
            var initial = InitialStage(intents);
            CheckReachability(stages, intents, stageTable.Syntax, initial);
            CheckQuestionsBeforeRecommend(stages, intents, stageTable.Syntax, settings.MinQuestions);
            CheckStagesReply(stages, intents, stageTable.Syntax);
            if (table.ComplaintSyntax is not null)
            {
                CheckComplaintOrder(table.ComplaintSyntax);
            }

            // Bargaining policies and the fallback.
            var policyModels = BindPolicies(shop, policies, items, intents);
            var fallback = BindFallback(shop, members.OfType<FallbackSyntax>().ToList());

            return new ShopModel(
                SourcePath: _path,
                RelativePath: RelativePath(_path),
                Id: shop.Id.Name,
                ClassName: _className,
                DisplayName: shop.DisplayName.Value,
                Currency: settings.Currency,
                Honorific: settings.Honorific,
                Particles: new EquatableArray<string>(settings.Particles),
                SourceHash: Hash(_text),
                MinQuestions: settings.MinQuestions,
                ShopLine: shop.Pos.Line,
                Facts: new EquatableArray<FactModel>(_facts),
                Slots: new EquatableArray<SlotModel>(_slots),
                Concepts: new EquatableArray<ConceptModel>(concepts),
                Items: new EquatableArray<ItemModel>(items),
                Intents: new EquatableArray<IntentModel>(intents),
                Stages: new EquatableArray<StageModel>(stages),
                InitialStage: stages.Count == 0 ? -1 : initial,
                Triggers: new EquatableArray<TriggerModel>(triggers),
                TriggerAutomaton: Integration.BuildAutomaton(triggers.Select((t, i) => (t.Phrase, i))),
                SlotPhrases: new EquatableArray<SlotPhraseModel>(slotPhrases),
                SlotPhraseAutomaton: Integration.BuildAutomaton(slotPhrases.Select((p, i) => (p.Phrase, i))),
                CrossSells: new EquatableArray<CrossSellModel>(table.CrossSells),
                Complaint: table.Complaint,
                Payment: table.Payment,
                Fallback: fallback,
                PolicyNames: new EquatableArray<string>(policyNames.Names.ToArray()),
                Templates: new EquatableArray<TemplateModel>(_templates),
                Conditions: new EquatableArray<ConditionModel>(_conditions),
                Policies: policyModels)
            {
                Understanding = BindUnderstanding(shop, intents, triggers),
            };
        }

        // ------------------------------------------------------------------ settings and declarations

        private ShopSettings BindSettings(IReadOnlyList<MemberSyntax> members)
        {
            // Statements a shop may have once: the second and later ones are SDSL0122.
            var once = new Declarations(this, DiagnosticDescriptors.RepeatedSetting);
            void Single<T>(string keyword)
                where T : MemberSyntax
            {
                foreach (var m in members.OfType<T>())
                {
                    once.First(keyword, m.Pos, keyword.Length);
                }
            }

            Single<CurrencySyntax>("currency");
            Single<HonorificSyntax>("honorific");
            Single<ParticlesSyntax>("particles");
            Single<OrderSyntax>("order");
            Single<PaymentSyntax>("payment_reminder");
            Single<FarewellSyntax>("farewell");
            Single<ComplaintSyntax>("complaint");
            Single<EscalateSyntax>("escalate");
            foreach (var setting in members.OfType<SettingSyntax>())
            {
                once.First(setting.Keyword, setting.Pos, setting.Keyword.Length);
            }

            var currency = members.OfType<CurrencySyntax>().FirstOrDefault()?.Code.Name ?? "CNY";
            var honorific = members.OfType<HonorificSyntax>().FirstOrDefault()?.Text.Value ?? "亲";
            var particles = members.OfType<ParticlesSyntax>().FirstOrDefault()?.Particles.Select(p => p.Value).ToArray() ?? Array.Empty<string>();
            _particles = particles.Where(p => p.Length > 0).ToArray();
            var minQuestions = 2;
            var questionsSetting = members.OfType<SettingSyntax>().FirstOrDefault(s => s.Keyword == "questions_before_recommend");
            if (questionsSetting is not null && TryInt(questionsSetting.Value, "number of questions", out var q))
            {
                minQuestions = (int)Math.Min(q, 100);
            }

            _maxReplyLength = _options.MaxReplyLength;
            var lengthSetting = members.OfType<SettingSyntax>().FirstOrDefault(s => s.Keyword == "max_reply_length");
            if (lengthSetting is not null && TryInt(lengthSetting.Value, "reply length", out var max))
            {
                _maxReplyLength = (int)Math.Min(max, int.MaxValue);
            }

            return new ShopSettings(Currency: currency, Honorific: honorific, Particles: particles, MinQuestions: minQuestions);
        }

        /// <summary>The policies of this file, by name (in declaration order); a policy for another shop is SDSL0311, a second of one name SDSL0312.</summary>
        private Declarations DeclarePolicies(ShopSyntax shop, IReadOnlyList<PolicySyntax> policies)
        {
            var declared = new Declarations(this, DiagnosticDescriptors.DuplicatePolicy);
            foreach (var policy in policies)
            {
                if (!string.Equals(policy.Shop.Name, shop.Id.Name, StringComparison.Ordinal))
                {
                    Report(DiagnosticDescriptors.PolicyForOtherShop, policy.Shop, policy.Name.Name, policy.Shop.Name, shop.Id.Name);
                }

                declared.First(policy.Name);
            }

            return declared;
        }

        private StageTable DeclareStages(IReadOnlyList<MemberSyntax> members)
        {
            var table = new StageTable();
            var declared = new Declarations(this, DiagnosticDescriptors.DuplicateStage);
            foreach (var member in members)
            {
                var name = StageName(member);
                if (name is null || !declared.First(name))
                {
                    continue;
                }

                table.Index[name.Name] = table.Syntax.Count;
                table.Syntax.Add(member);
            }

            return table;
        }

        /// <summary>The name of a stage or recommend block (an unnamed recommend is "recommend"); null for other statements.</summary>
        private static Ident? StageName(MemberSyntax member) => member switch
        {
            StageSyntax s => s.Name,
            RecommendSyntax r => r.Name ?? new Ident(r.Pos, "recommend"),
            _ => null,
        };

        private int ResolveStage(StageTable stages, Ident? name)
        {
            if (name is null)
            {
                return -1;
            }

            if (stages.Index.TryGetValue(name.Name, out var index))
            {
                return index;
            }

            Report(DiagnosticDescriptors.UnknownStage, name, name.Name, Names.Suggest(name.Name, stages.Index.Keys));
            return -1;
        }

        private int ResolveSlot(Ident name)
        {
            for (var i = 0; i < _slots.Count; i++)
            {
                if (_slots[i].Name == name.Name)
                {
                    return i;
                }
            }

            Report(DiagnosticDescriptors.UnknownSlot, name, name.Name, Names.Suggest(name.Name, _slots.Select(s => s.Name)));
            return -1;
        }

        private EquatableArray<int> ResolveSlots(IReadOnlyList<Ident> names) =>
            new EquatableArray<int>(names.Select(ResolveSlot).Where(i => i >= 0).ToArray());

        // ------------------------------------------------------------------ intents

        /// <summary>Every intent in declaration order (stage intents, quick answers, objections, order, farewell, escalation, complaint, quote/close), with the cross-sells and payment reminder.</summary>
        private IntentTable BindIntents(ShopSyntax shop, IReadOnlyList<MemberSyntax> members, StageTable stages, Declarations policies, HashSet<string> categories)
        {
            var table = new IntentTable();
            var declared = new Declarations(this, DiagnosticDescriptors.DuplicateIntent);

            int Add(Ident name, IntentModel intent, IReadOnlyList<PhraseSyntax> phrases)
            {
                declared.First(intent.Name, name.Pos, name.Name.Length);
                table.Intents.Add(intent);
                table.Phrases.Add((table.Intents.Count - 1, phrases));
                return table.Intents.Count - 1;
            }

            // An intent outside stages: no stage, slots, moves, objection, policy, flags or escalation unless given.
            IntentModel Global(string name, string kind, IReadOnlyList<PhraseSyntax> phrases, ReplyModel? reply, int line,
                string objection = "None", string? policy = null, EquatableArray<FlagModel> flags = default, string? escalateTo = null, string? escalateReason = null) =>
                new IntentModel(
                    Name: name, Kind: kind, Stage: -1, OnStart: OnStart(phrases), Reply: reply, AskSlots: EquatableArray<int>.Empty,
                    Then: -1, Next: -1, Objection: objection, Policy: policy, Flags: flags.Count == 0 ? EquatableArray<FlagModel>.Empty : flags,
                    EscalateTo: escalateTo, EscalateReason: escalateReason, Line: line);

            foreach (var member in members)
            {
                _cancellation.ThrowIfCancellationRequested();
                switch (member)
                {
                    case StageSyntax stage when stages.Index.TryGetValue(stage.Name.Name, out var own) && ReferenceEquals(stages.Syntax[own], stage):
                        table.StageIntents[own] = BindStageIntents(stage, own, stages, Add);
                        break;

                    case QuickSyntax quick:
                        Add(quick.Name, Global(quick.Name.Name, "Quick", quick.Phrases, BindReplies(quick.Replies, quick.Name.Name, TemplateContextKind.Reply, quick.Pos.Line), quick.Pos.Line), quick.Phrases);
                        break;

                    case ObjectionSyntax objection:
                    {
                        var name = objection.Kind.Name + "_objection";
                        string? policy = null;
                        if (objection.Policy is not null)
                        {
                            policy = objection.Policy.Name;
                            if (!policies.Contains(policy))
                            {
                                Report(DiagnosticDescriptors.UnknownPolicy, objection.Policy, policy, Names.Suggest(policy, policies.Names), shop.Id.Name);
                            }
                        }

                        var reply = objection.Replies is null ? null : BindReplies(objection.Replies, name, TemplateContextKind.Reply, objection.Pos.Line);
                        var kind = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(objection.Kind.Name);
                        Add(new Ident(objection.Kind.Pos, name), Global(name, "Objection", objection.Phrases, reply, objection.Pos.Line, objection: kind, policy: policy), objection.Phrases);
                        break;
                    }

                    case OrderSyntax order:
                        Add(new Ident(order.Pos, "order_placed"), Global("order_placed", "OrderPlaced", order.Phrases, BindReplies(order.Replies, "order_placed", TemplateContextKind.Reply, order.Pos.Line), order.Pos.Line,
                            flags: BindFlags(order.Flags)), order.Phrases);
                        break;

                    case FarewellSyntax farewell:
                        Add(new Ident(farewell.Pos, "farewell"), Global("farewell", "Farewell", farewell.Phrases, BindReplies(farewell.Replies, "farewell", TemplateContextKind.Reply, farewell.Pos.Line), farewell.Pos.Line), farewell.Phrases);
                        break;

                    case EscalateSyntax escalate:
                        table.EscalationIntent = Add(new Ident(escalate.Pos, "escalate"), Global("escalate", "Escalation", escalate.Phrases, BindReplies(escalate.Replies, "escalate", TemplateContextKind.Reply, escalate.Pos.Line), escalate.Pos.Line,
                            escalateTo: escalate.To.Value, escalateReason: escalate.Reason?.Value ?? ""), escalate.Phrases);
                        break;

                    case ComplaintSyntax c when table.ComplaintSyntax is null:
                    {
                        table.ComplaintSyntax = c;
                        var intent = Add(new Ident(c.Pos, "complaint"), Global("complaint", "Complaint", c.Phrases, null, c.Pos.Line), c.Phrases);
                        table.Complaint = new ComplaintModel(Intent: intent, Steps: BindComplaintSteps(c, ResolveSlots), EscalationIntent: -1);
                        break;
                    }

                    case CrossSellSyntax cross:
                        table.CrossSells.Add(BindCrossSell(cross, categories));
                        break;

                    case QuoteSyntax or CloseSyntax:
                    {
                        var (head, phrases, model) = BindQuoteOrClose(member, policies.Names, shop.Id.Name);
                        Add(head, model, phrases);
                        break;
                    }

                    case PaymentSyntax pay when table.Payment is null:
                        if (TryInt(pay.Days, "number of days", out var days))
                        {
                            table.Payment = new PaymentModel(WithinDays: (int)Math.Min(days, 3650), Reply: BindReplies(pay.Replies, "payment_reminder", TemplateContextKind.Reply, pay.Pos.Line));
                        }

                        break;
                }
            }

            if (table.Complaint is not null)
            {
                table.Complaint = table.Complaint with { EscalationIntent = table.EscalationIntent };
            }

            return table;
        }

        private static bool OnStart(IReadOnlyList<PhraseSyntax> phrases) => phrases.Any(p => p.Start);

        /// <summary>The intents of one stage (an unnamed one is named after the stage; a second unnamed one is SDSL0125).</summary>
        private List<int> BindStageIntents(StageSyntax stage, int own, StageTable stages, Func<Ident, IntentModel, IReadOnlyList<PhraseSyntax>, int> add)
        {
            var next = -1;
            foreach (var n in stage.Next)
            {
                next = ResolveStage(stages, n);
            }

            var list = new List<int>();
            StageIntentSyntax? unnamed = null;
            foreach (var intent in stage.Intents)
            {
                Ident name;
                if (intent.Name is null)
                {
                    if (unnamed is not null)
                    {
                        // Reported once, as what the author wrote (two unnamed intents), not also as a
                        // duplicate of the stage-named intent it would have become (SDSL0117).
                        Report(DiagnosticDescriptors.UnnamedIntentTwice, intent.Pos, 2, stage.Name.Name, Line(unnamed.Pos));
                        continue;
                    }

                    unnamed = intent;
                    name = new Ident(intent.Pos, stage.Name.Name);
                }
                else
                {
                    name = intent.Name;
                }

                var reply = intent.Body.Replies is null ? null : BindReplies(intent.Body.Replies, name.Name, TemplateContextKind.Reply, intent.Pos.Line);
                var model = new IntentModel(
                    Name: name.Name, Kind: "Stage", Stage: own, OnStart: OnStart(intent.Phrases), Reply: reply, AskSlots: ResolveSlots(intent.Body.Ask),
                    Then: ResolveStage(stages, intent.Body.Then), Next: next, Objection: "None", Policy: null, Flags: BindFlags(intent.Body.Flags),
                    EscalateTo: null, EscalateReason: null, Line: intent.Pos.Line);
                list.Add(add(name, model, intent.Phrases));
            }

            return list;
        }

        private CrossSellModel BindCrossSell(CrossSellSyntax cross, HashSet<string> categories)
        {
            foreach (var category in new[] { cross.After }.Concat(cross.Offer))
            {
                if (!categories.Contains(category.Name))
                {
                    Report(DiagnosticDescriptors.UnknownCategory, category, category.Name, Names.Suggest(category.Name, categories));
                }
            }

            var reply = BindReplies(cross.Replies, "cross_sell_" + cross.After.Name, TemplateContextKind.CrossSell, cross.Pos.Line);
            return new CrossSellModel(After: cross.After.Name, Offer: new EquatableArray<string>(cross.Offer.Select(o => o.Name).ToArray()), Reply: reply, Line: cross.Pos.Line);
        }

        // ------------------------------------------------------------------ stages

        /// <summary>The stages in declaration order; a recommend block's rules and conditions are bound here.</summary>
        private List<StageModel> BindStages(StageTable table, Dictionary<int, List<int>> stageIntents, Dictionary<string, int> itemIndex)
        {
            var stages = new List<StageModel>();
            for (var i = 0; i < table.Syntax.Count; i++)
            {
                switch (table.Syntax[i])
                {
                    case StageSyntax stage:
                    {
                        var next = -1;
                        foreach (var n in stage.Next)
                        {
                            next = table.Index.TryGetValue(n.Name, out var ni) ? ni : -1;
                        }

                        var intents = stageIntents.TryGetValue(i, out var list) ? list.ToArray() : Array.Empty<int>();
                        stages.Add(new StageModel(Name: stage.Name.Name, IsRecommend: false, Intents: new EquatableArray<int>(intents), Next: next, Recommend: null, Line: stage.Pos.Line));
                        break;
                    }

                    case RecommendSyntax recommend:
                    {
                        var name = recommend.Name?.Name ?? "recommend";
                        stages.Add(new StageModel(Name: name, IsRecommend: true, Intents: EquatableArray<int>.Empty, Next: -1, Recommend: BindRecommend(recommend, name, itemIndex), Line: recommend.Pos.Line));
                        break;
                    }
                }
            }

            return stages;
        }

        /// <summary>The first stage with an `on start` intent (else the first stage) is where a conversation starts.</summary>
        private static int InitialStage(List<IntentModel> intents)
        {
            foreach (var intent in intents)
            {
                if (intent.Kind == "Stage" && intent.OnStart)
                {
                    return intent.Stage;
                }
            }

            return 0;
        }

        // ------------------------------------------------------------------ triggers

        /// <summary>Every phrase, normalized; concepts expanded; a phrase already taken in the same scope is SDSL0116.</summary>
        private List<TriggerModel> BindTriggers(IntentTable table, List<ConceptModel> concepts, Dictionary<string, int> conceptIndex)
        {
            var intents = table.Intents;
            var triggers = new List<TriggerModel>();
            var seen = new Dictionary<(int Scope, string Phrase), (string Intent, int Line)>();
            foreach (var (intent, phrases) in table.Phrases)
            {
                var scope = intents[intent].Kind == "Stage" ? intents[intent].Stage : -1;
                foreach (var phrase in phrases)
                {
                    if (phrase.Start)
                    {
                        continue;
                    }

                    var expanded = new List<(string Phrase, int Concept, EquatableArray<string> Negations)>();
                    if (phrase.Text is not null)
                    {
                        expanded.Add((phrase.Text.Value, -1, EquatableArray<string>.Empty));
                    }
                    else if (phrase.Concept is not null)
                    {
                        if (conceptIndex.TryGetValue(phrase.Concept.Name, out var ci))
                        {
                            foreach (var p in concepts[ci].Phrases)
                            {
                                expanded.Add((p, ci, concepts[ci].Negations));
                            }
                        }
                        else
                        {
                            Report(DiagnosticDescriptors.UnknownConcept, phrase.Concept, phrase.Concept.Name, Names.Suggest(phrase.Concept.Name, conceptIndex.Keys));
                        }
                    }

                    foreach (var (text, concept, negations) in expanded)
                    {
                        var normalized = Integration.Normalize(text);
                        if (normalized.Length == 0)
                        {
                            continue;
                        }

                        if (seen.TryGetValue((scope, normalized), out var earlier))
                        {
                            Report(DiagnosticDescriptors.ShadowedTrigger, phrase.Pos, 1, text, intents[intent].Name, earlier.Intent, earlier.Line.ToString(CultureInfo.InvariantCulture));
                            continue;
                        }

                        seen[(scope, normalized)] = (intents[intent].Name, phrase.Pos.Line);
                        triggers.Add(new TriggerModel(Intent: intent, Phrase: normalized, Concept: concept, Negations: negations, Order: triggers.Count));
                    }
                }
            }

            return triggers;
        }

        /// <summary>Every choice's value and synonyms, normalized, for recognizing answers.</summary>
        private List<SlotPhraseModel> BindSlotPhrases()
        {
            var slotPhrases = new List<SlotPhraseModel>();
            for (var s = 0; s < _slots.Count; s++)
            {
                for (var c = 0; c < _slots[s].Choices.Count; c++)
                {
                    var choice = _slots[s].Choices[c];
                    foreach (var phrase in new[] { Integration.Normalize(choice.Value) }.Concat(choice.Synonyms).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal))
                    {
                        slotPhrases.Add(new SlotPhraseModel(Slot: s, Choice: c, Phrase: phrase));
                    }
                }
            }

            return slotPhrases;
        }

        // ------------------------------------------------------------------ fallback

        /// <summary>Exactly one fallback (SDSL0121 for none or a second).</summary>
        private ReplyModel BindFallback(ShopSyntax shop, List<FallbackSyntax> fallbacks)
        {
            if (fallbacks.Count == 0)
            {
                Report(DiagnosticDescriptors.FallbackCount, shop.Id, shop.Id.Name, "has no fallback");
                return new ReplyModel(EquatableArray<VariantModel>.Empty);
            }

            foreach (var extra in fallbacks.Skip(1))
            {
                Report(DiagnosticDescriptors.FallbackCount, extra.Pos, "fallback".Length, shop.Id.Name, "has a second fallback (first on line " + Line(fallbacks[0].Pos) + ")");
            }

            return BindReplies(fallbacks[0].Replies, "fallback", TemplateContextKind.Reply, fallbacks[0].Pos.Line);
        }
    }
}
