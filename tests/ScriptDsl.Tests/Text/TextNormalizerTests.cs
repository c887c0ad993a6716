using System.Reflection;
using ScriptDsl.Tests.Support;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    // Full-width ASCII, ideographic space, case.
    [InlineData("ＡＢＣ１２３", "abc123")]
    [InlineData("包邮吗，亲", "包邮吗 亲")]
    [InlineData("iPhone　ＰＲＯ", "iphone pro")]
    [InlineData("LED灯", "led灯")]
    [InlineData("ÀÉÎ ΑΒΓ АБВ Ё", "àéî αβγ абв ё")]
    [InlineData("￥300", "¥300")]
    // Traditional → simplified.
    [InlineData("發貨", "发货")]
    [InlineData("質量怎麼樣", "质量怎么样")]
    [InlineData("顏色尺碼", "颜色尺码")]
    [InlineData("價格優惠嗎", "价格优惠吗")]
    [InlineData("謝謝", "谢谢")]
    [InlineData("還能便宜點嗎", "还能便宜点吗")]
    [InlineData("這個買幾個", "这个买几个")]
    [InlineData("賣多少錢", "卖多少钱")]
    [InlineData("幾號發", "几号发")]
    [InlineData("郵費運費", "邮费运费")]
    [InlineData("換貨處理", "换货处理")]
    [InlineData("東西們會", "东西们会")]
    [InlineData("著名", "著名")] // deliberately not folded: depends on the word
    // Emoticon codes.
    [InlineData("好的[微笑]", "好的")]
    [InlineData("[哈哈]太贵了", "太贵了")]
    [InlineData("不[可怜]贵", "不 贵")]
    [InlineData("[抱拳感谢]还行", "还行")]
    [InlineData("[五个字的码]", "五个字的码")] // five ideographs: not a code, only the brackets go
    [InlineData("[ok]", "ok")]
    [InlineData("［微笑］好", "好")]
    // Emoji and their glue.
    [InlineData("好的😊", "好的")]
    [InlineData("太贵了😭😭😭便宜点", "太贵了 便宜点")]
    [InlineData("👍🏻赞", "赞")]
    [InlineData("👨‍👩‍👧家里用", "家里用")]
    [InlineData("❤️包邮", "包邮")]
    [InlineData("☀灯", "灯")]
    [InlineData("1️⃣号", "1号")]
    [InlineData("🇨🇳中国", "中国")]
    // Punctuation and whitespace collapse; trimming.
    [InlineData("不, 贵", "不 贵")]
    [InlineData("不，贵", "不 贵")]
    [InlineData("  你好！！！在吗？？  ", "你好 在吗")]
    [InlineData("包邮~~发顺丰...", "包邮 发顺丰")]
    [InlineData("我家北欧风, 卧室用, 20平", "我家北欧风 卧室用 20平")]
    [InlineData("【包邮】《说明书》", "包邮 说明书")]
    [InlineData("a\tb\r\nc", "a b c")]
    [InlineData("零\u200B宽", "零宽")]
    // Decimal points survive only between digits; units squares are spelled out.
    [InlineData("299.9元", "299.9元")]
    [InlineData("２９９．９元", "299.9元")]
    [InlineData("好.的", "好 的")]
    [InlineData("1.", "1")]
    [InlineData("20㎡", "20m2")]
    [InlineData("170㎝ 60㎏", "170cm 60kg")]
    [InlineData("30%", "30%")]
    // A dash or tilde between two digits is kept as '-' (a range: 1000-2000); anywhere else it separates.
    [InlineData("1000-2000", "1000-2000")]
    [InlineData("1000~2000元", "1000-2000元")]
    [InlineData("１０００～２０００", "1000-2000")]
    [InlineData("1000－2000", "1000-2000")]
    [InlineData("1000〜2000", "1000-2000")]
    [InlineData("1000–2000", "1000-2000")]
    [InlineData("1000 - 2000", "1000 2000")]
    [InlineData("1000元-2000元", "1000元 2000元")]
    [InlineData("好-的", "好 的")]
    [InlineData("包邮~~", "包邮")]
    [InlineData("1--2", "1 2")]
    [InlineData("-5", "5")]
    [InlineData("138-1234-5678", "138-1234-5678")]
    [InlineData("", "")]
    [InlineData("！？。", "")]
    public void Normalizes(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input));
    }

    [Fact]
    public void RejectsNull()
    {
        Assert.Throws<ArgumentNullException>(() => TextNormalizer.Normalize(null!));
    }

    [Fact]
    public void AstralIdeographsAreKept()
    {
        Assert.Equal("\U00020000字", TextNormalizer.Normalize("\U00020000字"));
    }

    [Fact]
    public void LoneSurrogatesAreDropped()
    {
        Assert.Equal("ab", TextNormalizer.Normalize("a\uD800b"));
        Assert.Equal("ab", TextNormalizer.Normalize("a\uDC00b"));
    }

    [Fact]
    public void SpanFormMatchesStringForm()
    {
        const string input = "質量怎麼樣？[微笑]２０㎡，299.9元😊";
        Span<char> buffer = stackalloc char[TextNormalizer.MaxOutputLength(input.Length)];
        int written = TextNormalizer.NormalizeInto(input, buffer);
        Assert.Equal(TextNormalizer.Normalize(input), buffer[..written].ToString());
    }

    [Fact]
    public void SpanFormRejectsShortBuffer()
    {
        Assert.Throws<ArgumentException>(() => TextNormalizer.NormalizeInto("abc", new char[3]));
    }

    [Fact]
    public void IsIdempotentOnRandomText()
    {
        // Characters from every class the normalizer treats specially.
        const string pool = "aZ9０Ａ．.,，。 　[]［］微笑發貨质量不贵㎡😊👍🏻\u200D\uFE0F❤☀%¥￥-~！？\t\u3000";
        var random = new Random(20261122);
        for (int n = 0; n < 5000; n++)
        {
            var chars = new List<char>();
            int length = random.Next(0, 30);
            for (int k = 0; k < length; k++)
            {
                chars.Add(pool[random.Next(pool.Length)]);
            }

            string text = new string(chars.ToArray());
            string once = TextNormalizer.Normalize(text);
            Assert.Equal(once, TextNormalizer.Normalize(once));
            Assert.False(once.StartsWith(' ') || once.EndsWith(' '), once);
            Assert.DoesNotContain("  ", once, StringComparison.Ordinal);
            Assert.True(once.Length <= TextNormalizer.MaxOutputLength(text.Length));
        }
    }

    [Fact]
    public void TraditionalTableIsWellFormed()
    {
        // The table is internal data; read it the way the normalizer does.
        Type table = typeof(TextNormalizer).Assembly.GetType("ScriptDsl.Text.TraditionalChineseTable", throwOnError: true)!;
        var pairs = (string[])table.GetField("Pairs", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

        Assert.True(pairs.Length >= 300, "a few hundred common characters");
        var sources = new HashSet<char>();
        foreach (string pair in pairs)
        {
            Assert.Equal(2, pair.Length);
            Assert.NotEqual(pair[0], pair[1]);
            Assert.True(sources.Add(pair[0]), "duplicate entry for " + pair[0]);
            Assert.Equal(pair[1].ToString(), TextNormalizer.Normalize(pair[0].ToString()));
        }

        foreach (string pair in pairs)
        {
            Assert.DoesNotContain(pair[1], sources); // a folded character is never folded again
        }

        for (int k = 1; k < pairs.Length; k++)
        {
            Assert.True(pairs[k - 1][0] < pairs[k][0], "sorted by code point at " + pairs[k]);
        }
    }

    [Theory]
    [MemberData(nameof(HostileCulture.Names), MemberType = typeof(HostileCulture))]
    public void IgnoresTheCurrentCulture(string culture)
    {
        const string input = "IİıI 質量 ２９９．９元 ÀΣ Ё [微笑]";
        string expected = TextNormalizer.Normalize(input);
        using (new HostileCulture(culture))
        {
            Assert.Equal(expected, TextNormalizer.Normalize(input));
            // İ (U+0130) is outside the fixed folding ranges, so it stays, in every culture.
            Assert.Equal("iİıi 质量 299.9元 àσ ё", TextNormalizer.Normalize(input));
        }
    }
}
