using System.Text.RegularExpressions;
using ScriptDsl.Understanding;

namespace ScriptDsl.Tests.Understanding;

/// <summary>
/// Reads the standard libraries (standard/*.csdsl) and the labelled message files (tests/data) for
/// the tests. The library reader is deliberately small — `intent NAME label "…" examples "…" | "…"`,
/// with // comments — and test-side only: the compiler's parser is the real one; this one lets the
/// classifier be measured on the library before and independently of the compiled shops.
/// </summary>
internal static class UnderstandingData
{
    private static readonly Regex IntentBlock = new(
        "intent\\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\\s+label\\s+\"(?<label>[^\"]*)\"\\s+examples(?<examples>(?:\\s*\\|?\\s*\"[^\"]*\")+)",
        RegexOptions.CultureInvariant);

    private static readonly Regex Quoted = new("\"([^\"]*)\"", RegexOptions.CultureInvariant);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Every (intent, phrasing) of the library file, in file order.</summary>
    public static IReadOnlyList<TrainingExample> Library(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, "standard", name + ".csdsl"));
        var withoutComments = Regex.Replace(text, "//[^\n]*", "", RegexOptions.CultureInvariant);
        var examples = new List<TrainingExample>();
        foreach (Match block in IntentBlock.Matches(withoutComments))
        {
            foreach (Match phrase in Quoted.Matches(block.Groups["examples"].Value))
            {
                examples.Add(new TrainingExample(block.Groups["name"].Value, phrase.Groups[1].Value));
            }
        }

        return examples;
    }

    /// <summary>Both standard libraries, presale first.</summary>
    public static IReadOnlyList<TrainingExample> StandardLibrary() => [.. Library("presale"), .. Library("aftersale")];

    /// <summary>
    /// A labelled file's lines as (intent, message). A multi-turn line ("earlier >> last") yields its
    /// last message: the classifier sees one message; the earlier turns are context for the engine.
    /// </summary>
    public static IReadOnlyList<LabelledMessage> Labelled(string fileName)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot, "tests", "data", fileName));
        var result = new List<LabelledMessage>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0 || tab == line.Length - 1)
            {
                throw new FormatException($"{fileName}({i + 1}): expected intent<TAB>message, got \"{line}\".");
            }

            var turns = line[(tab + 1)..].Split(" >> ", StringSplitOptions.None);
            result.Add(new LabelledMessage(line[..tab], turns[^1], turns[..^1], i + 1));
        }

        return result;
    }

    public static IReadOnlyList<string> Files(string pattern) =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "tests", "data"), pattern)
            .Select(Path.GetFileName)
            .OfType<string>()
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    /// <summary>Trains on the library's intents that occur in <paramref name="intents"/> (the shop's intents), in library order.</summary>
    public static IntentClassifier Classifier(IReadOnlyList<TrainingExample> library, ISet<string>? intents = null)
    {
        var used = library.Where(e => intents is null || intents.Contains(e.Intent)).ToList();
        var names = used.Select(e => e.Intent).Distinct(StringComparer.Ordinal).ToList();
        return new IntentClassifier(ClassifierTrainer.Train(names, used));
    }

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ScriptDsl.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("ScriptDsl.sln not found above " + AppContext.BaseDirectory);
    }
}

internal sealed record LabelledMessage(string Intent, string Message, IReadOnlyList<string> EarlierTurns, int Line);
