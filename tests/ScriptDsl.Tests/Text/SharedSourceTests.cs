using System.Reflection;
using ScriptDsl.Matching;
using ScriptDsl.Text;

namespace ScriptDsl.Tests.Text;

/// <summary>
/// The normalizer and the automaton builder are compiled twice: into the runtime (spans) and into
/// the netstandard2.0 generator (string/char[]). A trigger only matches if both copies agree, so
/// run the generator's copy and compare.
/// </summary>
public class SharedSourceTests
{
    private static readonly Lazy<Assembly> Generator = new(LoadGenerator);

    private static Assembly LoadGenerator()
    {
        // tests/ScriptDsl.Tests/bin/<Configuration>/net10.0/ → src/ScriptDsl.Generator/bin/<Configuration>/netstandard2.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = output.Parent!.Name;
        string repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(repository, "src", "ScriptDsl.Generator", "bin", configuration, "netstandard2.0", "ScriptDsl.Generator.dll");
        Assert.True(File.Exists(path), "the generator is built before the tests (ProjectReference): " + path);
        return Assembly.LoadFrom(path);
    }

    private static string GeneratorNormalize(string text)
    {
        Type normalizer = Generator.Value.GetType("ScriptDsl.Text.TextNormalizer", throwOnError: true)!;
        return (string)normalizer.GetMethod("Normalize", [typeof(string)])!.Invoke(null, [text])!;
    }

    [Fact]
    public void GeneratorNormalizesExactlyLikeTheRuntime()
    {
        const string pool = "aZ9０Ａ．.,，。 　[]［］微笑哈發貨质量不贵㎡㎝😊👍🏻\u200D\uFE0F❤☀%¥￥-~！？\t\u3000ÀΣЁ\U00020000\uD800";
        var random = new Random(7);
        for (int n = 0; n < 3000; n++)
        {
            var chars = new char[random.Next(0, 25)];
            for (int k = 0; k < chars.Length; k++)
            {
                chars[k] = pool[random.Next(pool.Length)];
            }

            string text = new(chars);
            Assert.Equal(TextNormalizer.Normalize(text), GeneratorNormalize(text));
        }
    }

    [Fact]
    public void GeneratorBuildsTheSameTablesAsTheRuntime()
    {
        string[] phrases = ["包邮", "包邮吗", "太贵了", "贵", "便宜点", "发货", "iphone 15", "20平", "宜点", "包"];
        Type builderType = Generator.Value.GetType("ScriptDsl.Matching.TriggerAutomatonBuilder", throwOnError: true)!;
        object generatorBuilder = Activator.CreateInstance(builderType)!;
        var runtimeBuilder = new TriggerAutomatonBuilder();
        for (int k = 0; k < phrases.Length; k++)
        {
            builderType.GetMethod("Add")!.Invoke(generatorBuilder, [phrases[k], k * 3]);
            runtimeBuilder.Add(phrases[k], k * 3);
        }

        object generatorData = builderType.GetMethod("Build")!.Invoke(generatorBuilder, null)!;
        TriggerAutomatonData runtimeData = runtimeBuilder.Build();

        // The generator emits the tables with its own copy of the source writer.
        Type sourceType = Generator.Value.GetType("ScriptDsl.Matching.TriggerAutomatonSource", throwOnError: true)!;
        string emitted = (string)sourceType.GetMethod("ToCSharpExpression")!.Invoke(null, [generatorData, "    "])!;
        Assert.Equal(TriggerAutomatonSource.ToCSharpExpression(runtimeData, "    "), emitted);
    }
}
