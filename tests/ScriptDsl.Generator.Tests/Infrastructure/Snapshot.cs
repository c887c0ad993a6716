namespace ScriptDsl.Generator.Tests.Infrastructure;

/// <summary>
/// Compares generated text with a baseline checked in under tests/ScriptDsl.Generator.Tests/Snapshots/.
/// Run with UPDATE_SNAPSHOTS=1 to (re)write the baselines, then review them with git diff.
/// </summary>
public static class Snapshot
{
    public static string Directory => Path.Combine(GeneratorHarness.RepoRoot, "tests", "ScriptDsl.Generator.Tests", "Snapshots");

    public static void Match(string name, string actual)
    {
        var path = Path.Combine(Directory, name);
        actual = ShortenClassifierTables(actual.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), "No baseline " + path + "; run the tests with UPDATE_SNAPSHOTS=1 to create it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            var line = 0;
            while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
            {
                line++;
            }

            Assert.Fail("Generated code differs from " + name + " at line " + (line + 1) + ":\n  expected: "
                + (line < expectedLines.Length ? expectedLines[line] : "<end>") + "\n  actual:   "
                + (line < actualLines.Length ? actualLines[line] : "<end>")
                + "\nIf the change is intended, run with UPDATE_SNAPSHOTS=1 and review the diff.");
        }
    }

    /// <summary>
    /// The trained classifier is one base64 literal of hundreds of kilobytes: the baseline keeps its
    /// length and SHA-256 instead, so a change of the tables still changes the snapshot.
    /// </summary>
    private static string ShortenClassifierTables(string source) =>
        System.Text.RegularExpressions.Regex.Replace(source, "(private const string ClassifierTables = )\"([A-Za-z0-9+/=]*)\";", m =>
            m.Groups[1].Value + "/* " + m.Groups[2].Value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters, SHA-256 "
            + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(m.Groups[2].Value))).ToLowerInvariant() + " */ \"…\";");
}
