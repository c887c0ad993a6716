using ScriptDsl.Text;
using ScriptDsl.Understanding;

namespace ScriptDsl.Tests.Understanding;

public class ClassifierTablesTests
{
    private static ClassifierTables Library() => ClassifierTrainer.Train(
        UnderstandingData.StandardLibrary().Select(e => e.Intent).Distinct().ToList(), UnderstandingData.StandardLibrary());

    [Fact]
    public void SerializedTablesReadBackIdenticallyAndClassifyTheSame()
    {
        var tables = Library();
        var copy = ClassifierTables.Deserialize(tables.Serialize());
        Assert.Equal(tables.Intents, copy.Intents);
        Assert.Equal(tables.MaxOrder, copy.MaxOrder);
        Assert.Equal(tables.FeatureHashes, copy.FeatureHashes);
        Assert.Equal(tables.LogLikelihoods, copy.LogLikelihoods);
        Assert.Equal(tables.LogPriors, copy.LogPriors);
        Assert.Equal(tables.LogUnseen, copy.LogUnseen);
        Assert.Equal(tables.Temperature, copy.Temperature);
        Assert.Equal(tables.Serialize(), copy.Serialize());

        var original = new IntentClassifier(tables);
        var readBack = new IntentClassifier(copy);
        foreach (var message in UnderstandingData.Labelled("dev-presale.txt").Select(m => TextNormalizer.Normalize(m.Message)))
        {
            Assert.Equal(original.Probabilities(message), readBack.Probabilities(message));
        }
    }

    [Fact]
    public void DamagedTablesAreAFormatException()
    {
        var text = ClassifierTrainer.Train(["a", "b"], [new TrainingExample("a", "在吗"), new TrainingExample("b", "谢谢")]).Serialize();
        var bytes = Convert.FromBase64String(text);

        Assert.Throws<FormatException>(() => ClassifierTables.Deserialize("not base64 at all!"));
        Assert.Throws<FormatException>(() => ClassifierTables.Deserialize(""));
        for (var cut = 0; cut < bytes.Length; cut += 7)
        {
            // Every truncation is refused, never read as smaller tables.
            Assert.Throws<FormatException>(() => ClassifierTables.Deserialize(Convert.ToBase64String(bytes[..cut])));
        }

        Assert.Throws<FormatException>(() => ClassifierTables.Deserialize(Convert.ToBase64String([.. bytes, 0])));

        var otherVersion = (byte[])bytes.Clone();
        otherVersion[0] = 99;
        Assert.Contains("format 99", Assert.Throws<FormatException>(() => ClassifierTables.Deserialize(Convert.ToBase64String(otherVersion))).Message);

        var hugeCount = (byte[])bytes.Clone();
        hugeCount[8] = 0xFF;
        hugeCount[9] = 0xFF;
        hugeCount[10] = 0xFF;
        hugeCount[11] = 0x7F;
        Assert.Throws<FormatException>(() => ClassifierTables.Deserialize(Convert.ToBase64String(hugeCount)));

        var badTemperature = (byte[])bytes.Clone();
        BitConverter.GetBytes(-1f).CopyTo(badTemperature, badTemperature.Length - 4);
        Assert.Throws<FormatException>(() => ClassifierTables.Deserialize(Convert.ToBase64String(badTemperature)));
    }

    [Fact]
    public void TablesWhoseArraysDisagreeAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ClassifierTables(["a"], 3, [1, 2], new float[1], new float[1], new float[1]));
        Assert.Throws<ArgumentException>(() => new ClassifierTables(["a"], 3, [2, 1], new float[2], new float[1], new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTables(["a"], 3, [1], new float[1], new float[1], new float[1], 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassifierTables(["a"], 0, [1], new float[1], new float[1], new float[1]));
    }
}
