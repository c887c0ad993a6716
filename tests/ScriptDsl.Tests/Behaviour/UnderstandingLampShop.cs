using ScriptDsl.Generated;
using ScriptDsl.Matching;
using ScriptDsl.Model;
using ScriptDsl.Templates;
using ScriptDsl.Text;
using ScriptDsl.Understanding;

namespace ScriptDsl.Tests.Behaviour;

/// <summary>
/// The compiled scripts/lamp_shop.csdsl (its slots, items, rules, triggers and the compiled bargaining
/// policy) with what the understanding work adds to it, built here the way the generator will emit
/// it until the language has the syntax: a <c>quote</c> rule and a <c>close</c> rule, labels, and a
/// classifier trained with <see cref="ClassifierTrainer"/> on the triggers and a few examples per rule.
/// Stands for:
/// <code>
/// quote on "一共多少钱" | "全套多少" | "总共多少钱" examples "算一下价格" | "这些加起来多少" use policy bargain
/// close on "就这个吧" | "我买了" | "就它了" | "咬牙" examples "那就买了吧" | "行吧下单"
///   reply "好的亲, 全套{{ total | money }}元, 您直接拍下就好, 订单会为您保留{{ payment_days }}天哦~"
/// </code>
/// </summary>
internal static class UnderstandingLampShop
{
    /// <summary>An example that two rules share word for word: the classifier cannot tell them apart.</summary>
    public const string AmbiguousExample = "那件事咋整";

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["shipping"] = "发货时间和快递",
        ["returns"] = "退换货",
        ["quote"] = "总价",
        ["close"] = "下单",
        ["price_objection"] = "价格优惠",
        ["timing_objection"] = "考虑一下",
        ["complaint"] = "售后问题",
    };

    private static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        ["greet"] = ["哈喽", "有人吗", "亲在不在呀", "掌柜的在吗"],
        ["recommend"] = ["想买个灯", "有没有适合卧室的", "帮我挑一款", "给我介绍一下", "我家20平的客厅", "我家卧室用"],

        // Shipping and returns are trained on examples of the same lengths only (their triggers left
        // out), so the example they share scores exactly the same for both: too close to call.
        ["shipping"] = ["一般几天能到", "啥时候能收到", "多久到货", "什么时候寄出", "寄的什么快递", AmbiguousExample],
        ["returns"] = ["不合适可以退", "能不能换个货", "能退款不", "不喜欢能退吗", "退款怎么操作", AmbiguousExample],
        ["quote"] = ["算一下价格", "这些加起来多少", "总价是多少", "一起多少钱"],
        ["close"] = ["那就买了吧", "行吧下单", "就要这套了", "我拍了吧"],
        ["timing_objection"] = ["我考虑一下", "过两天再说", "回头再来"],
        ["complaint"] = ["灯装上不亮怎么回事", "收到的灯是坏的", "开关没反应"],
        ["farewell"] = ["好的谢谢啦", "辛苦了拜拜"],
    };

    // Declared after the tables it reads: static fields initialize in order.
    public static readonly ShopDefinition Definition = Build(LampShop.Definition);

    private static ShopDefinition Build(ShopDefinition compiled)
    {
        var intents = compiled.Intents.Select(i => Labels.TryGetValue(i.Name, out var label) ? i with { Label = label } : i).ToList();
        var triggers = compiled.Triggers.ToList();
        var order = triggers.Count == 0 ? 0 : triggers.Max(t => t.Order) + 1;

        void Add(IntentDefinition intent, params string[] phrases)
        {
            var index = intents.Count;
            intents.Add(intent with { Label = Labels.GetValueOrDefault(intent.Name, "") });
            foreach (var phrase in phrases)
            {
                triggers.Add(new TriggerDefinition(index, TextNormalizer.Normalize(phrase), -1, [], order++));
            }
        }

        Add(new IntentDefinition("quote", IntentKind.Quote, -1, false, null, [], -1, -1, ObjectionKind.None, "bargain", [], null, 0),
            "一共多少钱", "全套多少", "总共多少钱");
        Add(new IntentDefinition("close", IntentKind.Close, -1, false, CloseReply, [], -1, -1, ObjectionKind.None, null, [], null, 0),
            "就这个吧", "我买了", "就它了", "咬牙");

        var names = intents.Select(i => i.Name).ToList();
        var training = new List<TrainingExample>();
        foreach (var trigger in triggers)
        {
            if (intents[trigger.Intent].Name is "shipping" or "returns")
            {
                continue;
            }

            training.Add(new TrainingExample(intents[trigger.Intent].Name, trigger.Phrase));
        }

        foreach (var (intent, examples) in Examples)
        {
            training.AddRange(examples.Select(e => new TrainingExample(intent, e, 2.0)));
        }

        var trained = names.Where(n => training.Any(t => t.Intent == n)).ToList();
        var classifier = new IntentClassifier(ClassifierTrainer.Train(trained, training));

        var builder = new TriggerAutomatonBuilder();
        for (var i = 0; i < triggers.Count; i++)
        {
            builder.Add(triggers[i].Phrase, i);
        }

        return new ShopDefinition
        {
            Id = compiled.Id,
            DisplayName = compiled.DisplayName,
            Currency = compiled.Currency,
            Honorific = compiled.Honorific,
            Particles = compiled.Particles,
            SourceFile = compiled.SourceFile,
            SourceHash = compiled.SourceHash,
            MinQuestionsBeforeRecommend = compiled.MinQuestionsBeforeRecommend,
            Facts = compiled.Facts,
            Slots = compiled.Slots,
            Concepts = compiled.Concepts,
            Items = compiled.Items,
            Intents = intents,
            Stages = compiled.Stages,
            InitialStage = compiled.InitialStage,
            Triggers = triggers,
            SlotPhrases = compiled.SlotPhrases,
            Automaton = new TriggerAutomaton(builder.Build()),
            SlotPhraseAutomaton = compiled.SlotPhraseAutomaton,
            CrossSells = compiled.CrossSells,
            Complaint = compiled.Complaint,
            PaymentReminder = compiled.PaymentReminder,
            Fallback = compiled.Fallback,
            PolicyNames = compiled.PolicyNames,
            Policies = compiled.Policies,
            Understanding = new UnderstandingDefinition(classifier, UnderstandingDefinition.DefaultThreshold, UnderstandingDefinition.DefaultMargin, training),
        };
    }

    /// <summary>「好的亲, 全套{{ total | money }}元, 您直接拍下就好, 订单会为您保留{{ payment_days }}天哦~」, compiled by hand.</summary>
    private static ReplyDefinition CloseReply => new([
        new ReplyVariant("close/1", new Template(
            "好的亲, 全套{{ total | money }}元, 您直接拍下就好, 订单会为您保留{{ payment_days }}天哦~",
            (ref TemplateWriter w, ScriptScope s) =>
            {
                w.Append("好的亲, 全套");
                w.AppendMoney(s.Policy!.TotalMinor);
                w.Append("元, 您直接拍下就好, 订单会为您保留");
                w.AppendInt(s.Policy.PaymentDays);
                w.Append("天哦~");
            }), 0),
    ]);
}
