// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0).
using System;
using System.Collections.Generic;
using System.IO;

namespace ScriptDsl.Understanding;

/// <summary>
/// A trained intent classifier as plain data: what the generator emits into a compiled shop (as one
/// string literal, see <see cref="Serialize"/>: a big array initializer would cost the C# compiler
/// far more than decoding a string once costs the runtime) and what <see cref="IntentClassifier"/>
/// runs on. Multinomial naive Bayes over <see cref="IntentFeaturizer"/> hashes: for every known
/// feature one log-probability per intent, plus each intent's log prior and the log-probability of
/// a feature the intent never saw.
/// </summary>
public sealed class ClassifierTables
{
    // 1: no temperature (1). 2: a temperature after the unseen log-probabilities.
    private const int FormatVersion = 2;

    public ClassifierTables(IReadOnlyList<string> intents, int maxOrder, uint[] featureHashes, float[] logLikelihoods, float[] logPriors, float[] logUnseen, float temperature = 1f)
    {
        if (!(temperature > 0) || float.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), "The temperature must be a positive number.");
        }

        if (maxOrder < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxOrder), "The n-gram order must be at least 1.");
        }

        Temperature = temperature;
        Intents = intents ?? throw new ArgumentNullException(nameof(intents));
        FeatureHashes = featureHashes ?? throw new ArgumentNullException(nameof(featureHashes));
        LogLikelihoods = logLikelihoods ?? throw new ArgumentNullException(nameof(logLikelihoods));
        LogPriors = logPriors ?? throw new ArgumentNullException(nameof(logPriors));
        LogUnseen = logUnseen ?? throw new ArgumentNullException(nameof(logUnseen));
        MaxOrder = maxOrder;
        if (logLikelihoods.Length != featureHashes.Length * intents.Count || logPriors.Length != intents.Count || logUnseen.Length != intents.Count)
        {
            throw new ArgumentException("The classifier tables' lengths do not agree with the number of intents and features.");
        }

        for (var i = 1; i < featureHashes.Length; i++)
        {
            if (featureHashes[i - 1] >= featureHashes[i])
            {
                throw new ArgumentException("The classifier's feature hashes must be sorted and distinct.", nameof(featureHashes));
            }
        }
    }

    /// <summary>The intent names, in the order of every per-intent array.</summary>
    public IReadOnlyList<string> Intents { get; }

    public int MaxOrder { get; }

    /// <summary>Sorted ascending, distinct.</summary>
    public uint[] FeatureHashes { get; }

    /// <summary>Row-major: feature f, intent i at <c>f * Intents.Count + i</c>.</summary>
    public float[] LogLikelihoods { get; }

    public float[] LogPriors { get; }

    public float[] LogUnseen { get; }

    /// <summary>
    /// Scores are divided by this before the softmax. Summed naive-Bayes log-likelihoods treat
    /// overlapping n-grams as independent evidence, which makes the raw probabilities overconfident;
    /// the trainer's temperature brings them back to what the shop's threshold and margin mean.
    /// </summary>
    public float Temperature { get; }

    /// <summary>A compact, versioned text form (base64 of a little-endian binary layout).</summary>
    public string Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(MaxOrder);
            writer.Write(Intents.Count);
            foreach (var intent in Intents)
            {
                writer.Write(intent);
            }

            writer.Write(FeatureHashes.Length);
            foreach (var h in FeatureHashes)
            {
                writer.Write(h);
            }

            foreach (var v in LogLikelihoods)
            {
                writer.Write(v);
            }

            foreach (var v in LogPriors)
            {
                writer.Write(v);
            }

            foreach (var v in LogUnseen)
            {
                writer.Write(v);
            }

            writer.Write(Temperature);
        }

        return Convert.ToBase64String(stream.ToArray());
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote; anything else is a <see cref="FormatException"/>.</summary>
    public static ClassifierTables Deserialize(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(Convert.FromBase64String(text)), System.Text.Encoding.UTF8);
            var version = reader.ReadInt32();
            if (version != 1 && version != FormatVersion)
            {
                throw new FormatException("Classifier tables of format " + version + " are not readable by this runtime (format " + FormatVersion + ").");
            }

            var maxOrder = reader.ReadInt32();
            var intentCount = reader.ReadInt32();
            if (intentCount < 0 || intentCount > reader.BaseStream.Length)
            {
                throw new FormatException("The classifier tables are damaged: " + intentCount + " intents.");
            }

            var intents = new string[intentCount];
            for (var i = 0; i < intentCount; i++)
            {
                intents[i] = reader.ReadString();
            }

            var featureCount = reader.ReadInt32();
            if (featureCount < 0 || (long)featureCount * (4 + 4 * (long)intentCount) > reader.BaseStream.Length)
            {
                throw new FormatException("The classifier tables are damaged: " + featureCount + " features do not fit.");
            }

            var hashes = new uint[featureCount];
            for (var i = 0; i < featureCount; i++)
            {
                hashes[i] = reader.ReadUInt32();
            }

            var likelihoods = ReadFloats(reader, featureCount * intentCount);
            var priors = ReadFloats(reader, intentCount);
            var unseen = ReadFloats(reader, intentCount);
            var temperature = version >= 2 ? reader.ReadSingle() : 1f;
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new FormatException("The classifier tables have " + (reader.BaseStream.Length - reader.BaseStream.Position) + " bytes after their end.");
            }

            return new ClassifierTables(intents, maxOrder, hashes, likelihoods, priors, unseen, temperature);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException or IOException)
        {
            throw new FormatException("The classifier tables are damaged: " + e.Message, e);
        }
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }
}
