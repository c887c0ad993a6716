using System.Collections;
using System.Reflection;
using ScriptDsl.Text;
using ScriptDsl.Understanding;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// The trainer and classifier are compiled twice: into the runtime (SIMD sums) and into the
/// netstandard2.0 generator, which trains the shops at build time and runs their `expect` checks.
/// The generator's copy must train the very same tables and give the very same probabilities.
/// </summary>
public class SharedClassifierTests
{
    private static readonly Lazy<Assembly> Generator = new(() =>
    {
        // tests/ScriptDsl.Tests/bin/<Configuration>/net10.0/ → src/ScriptDsl.Generator/bin/<Configuration>/netstandard2.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var path = Path.Combine(UnderstandingData.RepositoryRoot, "src", "ScriptDsl.Generator", "bin", configuration, "netstandard2.0", "ScriptDsl.Generator.dll");
        Assert.True(File.Exists(path), "the generator is built before the tests (ProjectReference): " + path);
        return Assembly.LoadFrom(path);
    });

    [Fact]
    public void TheGeneratorTrainsTheSameTablesAndClassifiesToTheBit()
    {
        var library = UnderstandingData.StandardLibrary();
        var intents = library.Select(e => e.Intent).Distinct().ToList();
        var runtimeTables = ClassifierTrainer.Train(intents, library);

        var g = Generator.Value;
        var exampleType = g.GetType("ScriptDsl.Understanding.TrainingExample", throwOnError: true)!;
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(exampleType))!;
        foreach (var e in library)
        {
            list.Add(Activator.CreateInstance(exampleType, e.Intent, e.Text, e.Weight));
        }

        var trainer = g.GetType("ScriptDsl.Understanding.ClassifierTrainer", throwOnError: true)!;
        var generatorTables = trainer.GetMethod("Train")!.Invoke(null, [intents, list, null])!;
        var serialized = (string)generatorTables.GetType().GetMethod("Serialize")!.Invoke(generatorTables, null)!;
        Assert.Equal(runtimeTables.Serialize(), serialized);

        var classifierType = g.GetType("ScriptDsl.Understanding.IntentClassifier", throwOnError: true)!;
        var generatorClassifier = Activator.CreateInstance(classifierType, generatorTables)!;
        var probabilities = classifierType.GetMethod("Probabilities")!;
        var runtimeClassifier = new IntentClassifier(runtimeTables);
        var messages = UnderstandingData.Files("dev-*.txt").SelectMany(UnderstandingData.Labelled).Select(m => TextNormalizer.Normalize(m.Message));
        foreach (var message in messages.Append("").Append("xyz"))
        {
            Assert.Equal(runtimeClassifier.Probabilities(message), (double[])probabilities.Invoke(generatorClassifier, [message])!);
        }
    }
}
