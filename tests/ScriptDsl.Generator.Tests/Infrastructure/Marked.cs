namespace ScriptDsl.Generator.Tests.Infrastructure;

/// <summary>
/// A script with the expected diagnostic position marked by '‸' (removed before compiling), so a
/// test states where the error must point without counting columns by hand.
/// </summary>
public sealed record Marked(string Text, int Line, int Column)
{
    public const char Marker = '‸';

    public static Marked Parse(string marked)
    {
        var at = marked.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new ArgumentException("No ‸ marker in the script.", nameof(marked));
        }

        var before = marked[..at];
        var line = before.Count(c => c == '\n') + 1;
        var column = at - (before.LastIndexOf('\n') + 1) + 1;
        return new Marked(marked.Remove(at, 1), line, column);
    }
}
