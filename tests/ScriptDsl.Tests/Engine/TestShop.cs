using ScriptDsl.Matching;
using ScriptDsl.Model;
using ScriptDsl.Templates;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Engine;

/// <summary>
/// A small shop built by hand (the way generated code builds one), so the engine's rules can be
/// tested apart from the compiler. Replies are literal templates; "{slot}" placeholders render the
/// slot's value and "{item}" the item's name.
/// </summary>
internal sealed class TestShop
{
    private readonly List<SlotDefinition> _slots = [];
    private readonly List<IntentDefinition> _intents = [];
    private readonly List<(string Name, StageKind Kind, int Next, RecommendDefinition? Recommend)> _stages = [];
    private readonly List<TriggerDefinition> _triggers = [];
    private readonly List<ItemDefinition> _items = [];
    private readonly List<CrossSellDefinition> _crossSells = [];
    private ComplaintFlowDefinition? _complaint;
    private ReplyDefinition _fallback = Replies("fallback", "亲, 这个问题我帮您确认一下, 稍等哦~", "亲, 您可以说得再具体一点吗?");

    public TestShop Slot(string name, SlotKind kind, string question, string[]? choices = null, string[]? units = null, Dictionary<string, string[]>? synonyms = null, UnitFactor[]? factors = null)
    {
        var values = (choices ?? []).Select(c => new ChoiceValue(c, synonyms is not null && synonyms.TryGetValue(c, out var s) ? s : [])).ToList();
        _slots.Add(new SlotDefinition(name, kind, values, units ?? [], QuestionKind.Open, Replies("ask:" + name, question)) { UnitFactors = factors ?? [] });
        return this;
    }

    public TestShop Stage(string name, string next = "", StageKind kind = StageKind.Normal)
    {
        _stages.Add((name, kind, -1, null));
        _pendingNext[name] = next;
        return this;
    }

    public TestShop Recommend(string name, string reply, params (Func<ScriptScope, bool>? When, string Sku)[] rules)
    {
        _stages.Add((name, StageKind.Recommend, -1, null));
        _pendingRecommend[name] = (reply, rules);
        return this;
    }

    public TestShop Item(string sku, string name, long price, string category, string point = "")
    {
        _items.Add(new ItemDefinition(sku, sku, name, price, category, point));
        return this;
    }

    public TestShop Intent(string name, IntentKind kind, string stage, string[] phrases, string[]? replies = null,
        string[]? ask = null, string then = "", string next = "", bool onStart = false, string[]? negations = null,
        ObjectionKind objection = ObjectionKind.None, string? policy = null, OrderFlag[]? flags = null, Escalation? escalation = null)
    {
        _pendingIntents.Add((name, kind, stage, phrases, replies, ask, then, next, onStart, negations ?? [], objection, policy, flags ?? [], escalation));
        return this;
    }

    public TestShop CrossSell(string after, string[] offer, string reply)
    {
        _crossSells.Add(new CrossSellDefinition(after, offer, Replies("cross_sell:" + after, reply), 0));
        return this;
    }

    public TestShop Fallback(params string[] variants)
    {
        _fallback = Replies("fallback", variants);
        return this;
    }

    public TestShop Complaint(string intent, params ComplaintStep[] steps)
    {
        _complaintSpec = (intent, steps);
        return this;
    }

    private readonly Dictionary<string, string> _pendingNext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Reply, (Func<ScriptScope, bool>? When, string Sku)[] Rules)> _pendingRecommend = new(StringComparer.Ordinal);
    private readonly List<(string Name, IntentKind Kind, string Stage, string[] Phrases, string[]? Replies, string[]? Ask, string Then, string Next, bool OnStart, string[] Negations, ObjectionKind Objection, string? Policy, OrderFlag[] Flags, Escalation? Escalation)> _pendingIntents = [];
    private (string Intent, ComplaintStep[] Steps)? _complaintSpec;

    public ShopDefinition Build(string hash = "hash-1")
    {
        int StageIndex(string name) => name.Length == 0 ? -1 : _stages.FindIndex(s => s.Name == name) is var i and >= 0 ? i : throw new ArgumentException("no stage " + name);
        int SlotIndex(string name) => _slots.FindIndex(s => s.Name == name) is var i and >= 0 ? i : throw new ArgumentException("no slot " + name);

        var order = 0;
        foreach (var spec in _pendingIntents)
        {
            var index = _intents.Count;
            _intents.Add(new IntentDefinition(
                spec.Name, spec.Kind, spec.Stage.Length == 0 ? -1 : StageIndex(spec.Stage), spec.OnStart,
                spec.Replies is null ? null : Replies(spec.Name, spec.Replies),
                (spec.Ask ?? []).Select(SlotIndex).ToList(), StageIndex(spec.Then), StageIndex(spec.Next),
                spec.Objection, spec.Policy, spec.Flags, spec.Escalation, 0));
            foreach (var phrase in spec.Phrases)
            {
                _triggers.Add(new TriggerDefinition(index, TextNormalizer.Normalize(phrase), -1, spec.Negations, order++));
            }
        }

        var stages = _stages.Select((s, i) =>
        {
            RecommendDefinition? recommend = null;
            if (_pendingRecommend.TryGetValue(s.Name, out var r))
            {
                recommend = new RecommendDefinition(
                    r.Rules.Select(rule => new RecommendRule(rule.When is null ? null : new Condition(rule.When), _items.FindIndex(it => it.Sku == rule.Sku), 0)).ToList(),
                    Replies(s.Name, r.Reply));
            }

            var intents = _intents.Select((it, n) => (it, n)).Where(p => p.it.Stage == i).Select(p => p.n).ToList();
            return new StageDefinition(s.Name, s.Kind, intents, StageIndex(_pendingNext.GetValueOrDefault(s.Name, "")), recommend, 0);
        }).ToList();

        var phrases = new List<SlotPhraseDefinition>();
        for (var s = 0; s < _slots.Count; s++)
        {
            for (var c = 0; c < _slots[s].Choices.Count; c++)
            {
                phrases.Add(new SlotPhraseDefinition(s, c, TextNormalizer.Normalize(_slots[s].Choices[c].Value)));
                foreach (var synonym in _slots[s].Choices[c].Synonyms)
                {
                    phrases.Add(new SlotPhraseDefinition(s, c, TextNormalizer.Normalize(synonym)));
                }
            }
        }

        if (_complaintSpec is { } complaint)
        {
            _complaint = new ComplaintFlowDefinition(_intents.FindIndex(i => i.Name == complaint.Intent), complaint.Steps, -1);
        }

        return new ShopDefinition
        {
            Id = "test_shop",
            DisplayName = "测试小店",
            Currency = "CNY",
            Honorific = "亲",
            Particles = ["呢", "哟", "哈"],
            SourceFile = "scripts/test_shop.csdsl",
            SourceHash = hash,
            Facts = [],
            Slots = _slots,
            Concepts = [],
            Items = _items,
            Intents = _intents,
            Stages = stages,
            Triggers = _triggers,
            SlotPhrases = phrases,
            Automaton = Automaton(_triggers.Select(t => t.Phrase)),
            SlotPhraseAutomaton = Automaton(phrases.Select(p => p.Phrase)),
            CrossSells = _crossSells,
            Complaint = _complaint,
            Fallback = _fallback,
            PolicyNames = [],
        };
    }

    public static ReplyDefinition Replies(string key, params string[] texts) =>
        new(texts.Select((t, i) => new ReplyVariant(key + "/" + (i + 1), Literal(t), 0)).ToList());

    /// <summary>A template that renders its text with "{slot}" replaced by that slot's value and "{item}" by the item's name.</summary>
    public static Template Literal(string text) => new(text, (ref TemplateWriter w, ScriptScope s) =>
    {
        var rendered = text;
        for (var i = 0; i < s.Shop.Slots.Count; i++)
        {
            rendered = rendered.Replace("{" + s.Shop.Slots[i].Name + "}", s.Slots[i].IsFilled ? s.Slots[i].Text : "", StringComparison.Ordinal);
        }

        rendered = rendered.Replace("{item}", s.Item?.Name ?? "", StringComparison.Ordinal);
        w.Append(rendered);
    });

    private static TriggerAutomaton Automaton(IEnumerable<string> phrases)
    {
        var builder = new TriggerAutomatonBuilder();
        var payload = 0;
        foreach (var phrase in phrases)
        {
            builder.Add(phrase, payload++);
        }

        return new TriggerAutomaton(builder.Build());
    }
}
