using ScriptDsl.Matching;
using ScriptDsl.Model;
using ScriptDsl.Text;
using ScriptDsl.Understanding;

namespace ScriptDsl.Engine;

/// <summary>
/// The small readings of a message the decision needs besides triggers and the classifier: what is
/// left once the answer to the open question is taken out, acknowledgements, and the buyer's pick
/// between the two intents a clarification named.
/// </summary>
internal static class MessageReading
{
    /// <summary>Shorter residues (one character) carry too little for the classifier: 「嗯」「好」.</summary>
    public const int MinClassifiedLength = 2;

    /// <summary>Particles and marks that say nothing on their own.</summary>
    private const string Filler = "呀啊呢吧哈啦嘛哦噢喔呗嘞咯~?!.,";

    /// <summary>Words that only acknowledge: inside a flow they continue it, never start an intent.</summary>
    private static readonly string[] Acknowledgements =
    [
        "好", "好的", "好滴", "好哒", "好嘞", "嗯", "嗯嗯", "恩", "恩恩", "可以", "对", "对的", "是", "是的", "行", "ok", "okay", "没问题",
        "收到", "知道了", "明白", "明白了", "了解", "哦哦", "噢噢", "好的呢", "嗯好", "嗯嗯好的",
    ];

    /// <summary>「第一个」「前面那个」 pick the first option; 「第二个」「后面那个」 the second.</summary>
    private static readonly string[] FirstPicks = ["第一个", "第一种", "第一", "前面那个", "前面的", "前一个", "前者", "前面"];

    private static readonly string[] SecondPicks = ["第二个", "第二种", "第二", "后面那个", "后面的", "后一个", "后者", "后面", "第2个"];

    /// <summary>
    /// The message less the answer to the open question: the spans of the pending slot's value
    /// (「方的」 after 「您喜欢长方形还是圆形的呢?」) are removed; a bare number or a free-text answer
    /// consumes the whole message. "" when nothing but filler is left.
    /// </summary>
    public static string Residual(ShopDefinition shop, ShopRuntime runtime, string normalized, string pendingSlot, IReadOnlyList<string> filled)
    {
        var slot = -1;
        if (pendingSlot.Length > 0)
        {
            for (var i = 0; i < shop.Slots.Count; i++)
            {
                if (string.Equals(shop.Slots[i].Name, pendingSlot, StringComparison.Ordinal))
                {
                    slot = i;
                    break;
                }
            }
        }

        if (slot < 0)
        {
            return Meaningful(normalized) ? normalized : "";
        }

        if (shop.Slots[slot].Kind == SlotKind.Text)
        {
            // The open question asked for free text: the whole message is the answer.
            return "";
        }

        if (!Contains(filled, pendingSlot))
        {
            return Meaningful(normalized) ? normalized : "";
        }

        var chars = normalized.ToCharArray();
        var removed = false;
        if (shop.Slots[slot].Kind == SlotKind.Choice)
        {
            var hits = new List<TriggerHit>();
            shop.SlotPhraseAutomaton.FindAll(normalized, hits);
            foreach (var hit in hits)
            {
                if (shop.SlotPhrases[hit.Payload].Slot == slot)
                {
                    Array.Fill(chars, TextNormalizer.Separator, hit.Start, hit.Length);
                    removed = true;
                }
            }
        }
        else if (runtime.Extractors[slot] is { } extractor)
        {
            if (shop.Slots[slot].Kind == SlotKind.Money)
            {
                foreach (var hit in extractor.FindMoney(normalized))
                {
                    Array.Fill(chars, TextNormalizer.Separator, hit.Start, hit.Length);
                    removed = true;
                }
            }
            else
            {
                foreach (var hit in extractor.FindAll(normalized))
                {
                    Array.Fill(chars, TextNormalizer.Separator, hit.Start, hit.Length);
                    removed = true;
                }
            }
        }

        if (!removed)
        {
            // Filled without a located mention (a bare 「20」): the whole message was the answer.
            return "";
        }

        var rest = new string(chars).Trim(TextNormalizer.Separator);
        return Meaningful(rest) ? rest : "";
    }

    /// <summary>
    /// Words that say the order is paid, not only placed (「已付款」「付了」「支付好了」): the payment
    /// reminder is for an order placed and not yet paid (docs/engine.md, "Confirm the order").
    /// </summary>
    private static readonly string[] PaidWords = ["付款", "已付", "付了", "支付", "付过"];

    /// <summary>True when the (normalized) message says the buyer has paid.</summary>
    public static bool SaysPaid(string normalized)
    {
        foreach (var word in PaidWords)
        {
            var at = normalized.IndexOf(word, StringComparison.Ordinal);
            if (at >= 0 && !(at > 0 && (normalized[at - 1] == '没' || normalized[at - 1] == '未' || normalized[at - 1] == '不')))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsAcknowledgement(string rest)
    {
        var core = Core(rest);
        if (core.Length == 0)
        {
            return true;
        }

        // 「可以的」「好的呀」「是的」: a trailing 的 adds nothing to the acknowledgement.
        var bare = core.Length > 1 && core[^1] == '的' ? core[..^1] : core;
        foreach (var word in Acknowledgements)
        {
            if (string.Equals(core, word, StringComparison.Ordinal) || string.Equals(bare, word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the message opens with an acknowledgement (「对 就是不亮了」「可以的 那就这样」): inside an
    /// open flow such a message answers it and is not classified (understanding.md: answers are not
    /// intents).
    /// </summary>
    public static bool StartsWithAcknowledgement(string normalized)
    {
        var first = normalized.Trim(TextNormalizer.Separator);
        var cut = first.IndexOf(TextNormalizer.Separator);
        if (cut > 0 && IsAcknowledgement(first[..cut]))
        {
            return true;
        }

        return IsAcknowledgement(first);
    }

    /// <summary>What says nothing once the slot values are taken out: 「我家」 of 「我家20平」.</summary>
    private const string SlotFrame = "我你家的是有在大概约左右差不多就那这个里房子要想用";

    /// <summary>
    /// True when slot filling consumed the message: every span of a slot filled now (a choice value,
    /// a number with its unit, an amount) removed, only filler and framing words (「我家」「大概」「左右」)
    /// are left. Such a message is an answer, not a question to classify (「我家20平」).
    /// </summary>
    public static bool ConsumedBySlots(ShopDefinition shop, ShopRuntime runtime, string normalized, IReadOnlyList<string> filled)
    {
        if (filled.Count == 0)
        {
            return false;
        }

        var chars = normalized.ToCharArray();
        var hits = new List<TriggerHit>();
        shop.SlotPhraseAutomaton.FindAll(normalized, hits);
        for (var slot = 0; slot < shop.Slots.Count; slot++)
        {
            if (!Contains(filled, shop.Slots[slot].Name))
            {
                continue;
            }

            switch (shop.Slots[slot].Kind)
            {
                case SlotKind.Text:
                    return true;
                case SlotKind.Choice:
                    foreach (var hit in hits)
                    {
                        if (shop.SlotPhrases[hit.Payload].Slot == slot)
                        {
                            Array.Fill(chars, TextNormalizer.Separator, hit.Start, hit.Length);
                        }
                    }

                    break;
                default:
                    if (runtime.Extractors[slot] is { } extractor)
                    {
                        if (shop.Slots[slot].Kind == SlotKind.Money)
                        {
                            foreach (var hit in extractor.FindMoney(normalized))
                            {
                                Array.Fill(chars, TextNormalizer.Separator, hit.Start, hit.Length);
                            }
                        }
                        else
                        {
                            foreach (var hit in extractor.FindAll(normalized))
                            {
                                Array.Fill(chars, TextNormalizer.Separator, hit.Start, hit.Length);
                            }
                        }
                    }

                    break;
            }
        }

        foreach (var c in Core(new string(chars)))
        {
            if (SlotFrame.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The shop intent the buyer picked among the two <paramref name="options"/>, or -1.</summary>
    public static int PickOption(ShopDefinition shop, IReadOnlyList<string> options, string rest)
    {
        var first = IndexOf(shop, options[0]);
        var second = IndexOf(shop, options[1]);
        if (first < 0 || second < 0)
        {
            return -1;
        }

        // A message naming both (「第一个还是第二个」) picks neither.
        var saysSecond = ContainsAny(rest, SecondPicks);
        var saysFirst = ContainsAny(rest, FirstPicks);
        if (saysFirst != saysSecond)
        {
            return saysFirst ? first : second;
        }

        // The label's words: the option sharing more two-character pieces with the message.
        var a = SharedBigrams(TextNormalizer.Normalize(TurnBuilder.LabelOf(shop.Intents[first])), rest);
        var b = SharedBigrams(TextNormalizer.Normalize(TurnBuilder.LabelOf(shop.Intents[second])), rest);
        return a == b ? -1 : a > b ? first : second;
    }

    public static int ClassifierIndex(IntentClassifier classifier, string name)
    {
        for (var i = 0; i < classifier.Intents.Count; i++)
        {
            if (string.Equals(classifier.Intents[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static int SharedBigrams(string label, string text)
    {
        var count = 0;
        for (var i = 0; i + 1 < label.Length; i++)
        {
            if (label[i] == TextNormalizer.Separator || label[i + 1] == TextNormalizer.Separator)
            {
                continue;
            }

            if (text.AsSpan().IndexOf(label.AsSpan(i, 2), StringComparison.Ordinal) >= 0)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The text without separators and filler particles.</summary>
    private static string Core(string text)
    {
        var chars = new List<char>(text.Length);
        foreach (var c in text)
        {
            if (c != TextNormalizer.Separator && Filler.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                chars.Add(c);
            }
        }

        return new string([.. chars]);
    }

    private static bool Meaningful(string text) => Core(text).Length > 0;

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (var item in list)
        {
            if (string.Equals(item, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAny(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(ShopDefinition shop, string name)
    {
        for (var i = 0; i < shop.Intents.Count; i++)
        {
            if (string.Equals(shop.Intents[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
