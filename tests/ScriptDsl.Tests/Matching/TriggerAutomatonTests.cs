using ScriptDsl.Matching;
using ScriptDsl.Tests.Support;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Matching;

public class TriggerAutomatonTests
{
    private static TriggerAutomaton Build(params string[] patterns)
    {
        var builder = new TriggerAutomatonBuilder();
        for (int k = 0; k < patterns.Length; k++)
        {
            builder.Add(patterns[k], 100 + k);
        }

        return new TriggerAutomaton(builder.Build());
    }

    // The reference: every pattern at every position, in the documented order
    // (end ascending, longer first at the same end, then pattern id).
    private static List<TriggerHit> Naive(IReadOnlyList<string> patterns, IReadOnlyList<int> payloads, string text)
    {
        var hits = new List<TriggerHit>();
        for (int p = 0; p < patterns.Count; p++)
        {
            for (int s = 0; s + patterns[p].Length <= text.Length; s++)
            {
                if (string.CompareOrdinal(text, s, patterns[p], 0, patterns[p].Length) == 0)
                {
                    hits.Add(new TriggerHit(payloads[p], s, patterns[p].Length, p));
                }
            }
        }

        return hits.OrderBy(h => h.End).ThenByDescending(h => h.Length).ThenBy(h => h.PatternId).ToList();
    }

    [Fact]
    public void FindsOverlappingPatterns()
    {
        TriggerAutomaton automaton = Build("便宜", "便宜点", "宜点", "点");
        List<TriggerHit> hits = automaton.FindAll("能便宜点吗");
        Assert.Equal(
            [new TriggerHit(100, 1, 2, 0), new TriggerHit(101, 1, 3, 1), new TriggerHit(102, 2, 2, 2), new TriggerHit(103, 3, 1, 3)],
            hits);
    }

    [Fact]
    public void ReportsEveryPayloadOfADuplicatePhrase()
    {
        var builder = new TriggerAutomatonBuilder();
        Assert.Equal(0, builder.Add("包邮", 7));
        Assert.Equal(1, builder.Add("包邮", 9));
        var automaton = new TriggerAutomaton(builder.Build());
        Assert.Equal([new TriggerHit(7, 2, 2, 0), new TriggerHit(9, 2, 2, 1)], automaton.FindAll("能不包邮"));
    }

    [Fact]
    public void FindsAPatternThatIsASuffixOfAnother()
    {
        TriggerAutomaton automaton = Build("太贵了", "贵了", "了");
        Assert.Equal(
            [new TriggerHit(100, 0, 3, 0), new TriggerHit(101, 1, 2, 1), new TriggerHit(102, 2, 1, 2)],
            automaton.FindAll("太贵了"));
    }

    [Fact]
    public void FindsNothingInEmptyTextOrWithNoPatterns()
    {
        Assert.Empty(Build("包邮").FindAll(""));
        TriggerAutomaton empty = new(new TriggerAutomatonBuilder().Build());
        Assert.Empty(empty.FindAll("包邮吗"));
        Assert.False(empty.ContainsAny("包邮吗"));
        Assert.Equal(1, empty.Data.StateCount);
    }

    [Fact]
    public void NeverMatchesAcrossASentenceBreak()
    {
        TriggerAutomaton automaton = Build(TextNormalizer.Normalize("不贵"));
        Assert.Empty(automaton.FindAll(TextNormalizer.Normalize("不, 贵")));
        Assert.Single(automaton.FindAll(TextNormalizer.Normalize("不贵！")));
    }

    [Fact]
    public void FillsTwoChoiceSlotsFromOneMessage()
    {
        // Choice values and their synonyms are patterns whose payload names the slot value.
        const int nordic = 1, modern = 2, bedroom = 10, livingRoom = 11;
        var builder = new TriggerAutomatonBuilder();
        builder.Add(TextNormalizer.Normalize("北欧"), nordic);
        builder.Add(TextNormalizer.Normalize("北歐風"), nordic);
        builder.Add(TextNormalizer.Normalize("现代简约"), modern);
        builder.Add(TextNormalizer.Normalize("卧室"), bedroom);
        builder.Add(TextNormalizer.Normalize("客厅"), livingRoom);
        var automaton = new TriggerAutomaton(builder.Build());

        List<TriggerHit> hits = automaton.FindAll(TextNormalizer.Normalize("我家北欧风, 卧室用"));
        Assert.Equal([nordic, nordic, bedroom], hits.Select(h => h.Payload));
    }

    [Fact]
    public void RejectsPatternsThatAreNotNormalized()
    {
        var builder = new TriggerAutomatonBuilder();
        Assert.Throws<ArgumentException>(() => builder.Add("", 1));
        Assert.Throws<ArgumentException>(() => builder.Add("發貨", 1));
        Assert.Throws<ArgumentException>(() => builder.Add("包邮？", 1));
        Assert.Throws<ArgumentException>(() => builder.Add(" 包邮", 1));
        Assert.Throws<ArgumentNullException>(() => builder.Add(null!, 1));
    }

    [Fact]
    public void BuildsIdenticalTablesForIdenticalInput()
    {
        TriggerAutomatonData first = RandomSet(new Random(5), 300, "包邮便宜贵不太好灯发货").Builder.Build();
        TriggerAutomatonData second = RandomSet(new Random(5), 300, "包邮便宜贵不太好灯发货").Builder.Build();
        Assert.Equal(first.Alphabet, second.Alphabet);
        Assert.Equal(first.EdgeOffsets, second.EdgeOffsets);
        Assert.Equal(first.EdgeClasses, second.EdgeClasses);
        Assert.Equal(first.EdgeTargets, second.EdgeTargets);
        Assert.Equal(first.Failure, second.Failure);
        Assert.Equal(first.OutputLink, second.OutputLink);
        Assert.Equal(first.OutputOffsets, second.OutputOffsets);
        Assert.Equal(first.OutputPatterns, second.OutputPatterns);
        Assert.Equal(first.PatternPayloads, second.PatternPayloads);
        Assert.Equal(first.PatternLengths, second.PatternLengths);
    }

    [Fact]
    public void RoundTripsThroughTheDataConstructorAsGeneratedCodeWould()
    {
        TriggerAutomatonData built = RandomSet(new Random(9), 50, "abcd").Builder.Build();
        var copy = new TriggerAutomatonData(
            (char[])built.Alphabet.Clone(), (int[])built.EdgeOffsets.Clone(), (int[])built.EdgeClasses.Clone(),
            (int[])built.EdgeTargets.Clone(), (int[])built.Failure.Clone(), (int[])built.OutputLink.Clone(),
            (int[])built.OutputOffsets.Clone(), (int[])built.OutputPatterns.Clone(),
            (int[])built.PatternPayloads.Clone(), (int[])built.PatternLengths.Clone());
        const string text = "abcdabcdaabbccdd";
        Assert.Equal(new TriggerAutomaton(built).FindAll(text), new TriggerAutomaton(copy).FindAll(text));
        Assert.Throws<ArgumentException>(() => new TriggerAutomatonData(
            built.Alphabet, built.EdgeOffsets, built.EdgeClasses, built.EdgeTargets, built.Failure, built.OutputLink,
            built.OutputOffsets, built.OutputPatterns, built.PatternPayloads, [1]));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("abc")]
    [InlineData("aab")]          // skewed: long runs of one character
    [InlineData("包邮便宜贵不太好")]
    public void AgreesWithTheNaiveReferenceOnRandomInput(string alphabet)
    {
        // Seeded per alphabet from its characters (string.GetHashCode is randomized per process).
        var random = new Random(20261122 + alphabet.Sum(c => (int)c));
        for (int round = 0; round < 1000; round++)
        {
            (TriggerAutomatonBuilder builder, List<string> patterns, List<int> payloads) = RandomSet(random, random.Next(1, 40), alphabet);
            var automaton = new TriggerAutomaton(builder.Build());
            for (int t = 0; t < 5; t++)
            {
                string text = RandomText(random, random.Next(0, 60), alphabet + " x");
                var hits = new List<TriggerHit>();
                automaton.FindAll(text, hits);
                List<TriggerHit> expected = Naive(patterns, payloads, text);
                Assert.Equal(expected, hits);
                Assert.Equal(expected.Count > 0, automaton.ContainsAny(text));
            }
        }
    }

    [Fact]
    public void HandlesTenThousandPatterns()
    {
        var random = new Random(10_000);
        var alphabet = new string(Enumerable.Range(0x4E00, 3200).Select(c => (char)c)
            .Where(c => TextNormalizer.Normalize(c.ToString()) == c.ToString()) // traditional characters fold
            .ToArray());
        (TriggerAutomatonBuilder builder, List<string> patterns, List<int> payloads) = RandomSet(random, 10_000, alphabet, maxLength: 6);
        var automaton = new TriggerAutomaton(builder.Build());
        Assert.Equal(10_000, automaton.Data.PatternCount);

        for (int t = 0; t < 20; t++)
        {
            // Texts stitched from pattern pieces, so there are hits to find.
            var text = new System.Text.StringBuilder();
            while (text.Length < 200)
            {
                string piece = patterns[random.Next(patterns.Count)];
                text.Append(piece, 0, random.Next(1, piece.Length + 1));
                if (random.Next(4) == 0)
                {
                    text.Append(' ');
                }
            }

            string s = text.ToString();
            List<TriggerHit> expected = Naive(patterns, payloads, s);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, automaton.FindAll(s));
        }
    }

    [Theory]
    [MemberData(nameof(HostileCulture.Names), MemberType = typeof(HostileCulture))]
    public void IgnoresTheCurrentCulture(string culture)
    {
        using (new HostileCulture(culture))
        {
            TriggerAutomaton automaton = Build("i", "ı", "İ", "包邮");
            Assert.Equal([0, 1, 2, 3], automaton.FindAll("iıİ包邮").Select(h => h.PatternId));
        }
    }

    private static (TriggerAutomatonBuilder Builder, List<string> Patterns, List<int> Payloads) RandomSet(
        Random random, int count, string alphabet, int maxLength = 5)
    {
        var builder = new TriggerAutomatonBuilder();
        var patterns = new List<string>();
        var payloads = new List<int>();
        while (patterns.Count < count)
        {
            string pattern = RandomText(random, random.Next(1, maxLength + 1), alphabet);
            if (random.Next(10) == 0 && patterns.Count > 0)
            {
                pattern = patterns[random.Next(patterns.Count)]; // a duplicate phrase, new payload
            }

            int payload = random.Next(1000);
            builder.Add(pattern, payload);
            patterns.Add(pattern);
            payloads.Add(payload);
        }

        return (builder, patterns, payloads);
    }

    private static string RandomText(Random random, int length, string alphabet)
    {
        var chars = new char[length];
        for (int k = 0; k < length; k++)
        {
            chars[k] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
