// Shared source: compiled into the runtime (net10.0) and linked into the generator (netstandard2.0).
// Lives next to TriggerAutomatonData so the constructor's argument order has one owner.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ScriptDsl.Matching;

/// <summary>
/// Writes <see cref="TriggerAutomatonData"/> as a C# expression, for the generator to emit a shop's
/// automaton as static data.
/// </summary>
/// <remarks>
/// Deterministic and culture-free: characters as <c>'\uXXXX'</c> escapes (so no CJK character,
/// surrogate or control character ever lands raw in generated source), integers through the
/// invariant culture, <see cref="ValuesPerLine"/> values per line, <c>global::</c> names.
/// </remarks>
public static class TriggerAutomatonSource
{
    /// <summary>How many array elements go on one line of the output.</summary>
    public const int ValuesPerLine = 16;

    /// <summary>
    /// The expression <c>new global::ScriptDsl.Matching.TriggerAutomatonData(new char[] { … }, new int[] { … }, …)</c>.
    /// Continuation lines start with <paramref name="indent"/> plus four spaces; the first line has no indent.
    /// </summary>
    public static string ToCSharpExpression(TriggerAutomatonData data, string indent)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        if (indent is null)
        {
            throw new ArgumentNullException(nameof(indent));
        }

        var sb = new StringBuilder();
        string inner = indent + "    ";
        sb.Append("new global::ScriptDsl.Matching.TriggerAutomatonData(\n");
        AppendChars(sb, data.Alphabet, inner);
        int[][] arrays =
        {
            data.EdgeOffsets, data.EdgeClasses, data.EdgeTargets, data.Failure, data.OutputLink,
            data.OutputOffsets, data.OutputPatterns, data.PatternPayloads, data.PatternLengths,
        };
        foreach (int[] array in arrays)
        {
            sb.Append(",\n");
            AppendInts(sb, array, inner);
        }

        sb.Append(')');
        return sb.ToString();
    }

    private static void AppendChars(StringBuilder sb, char[] values, string indent)
    {
        sb.Append(indent).Append("new char[] {");
        for (int i = 0; i < values.Length; i++)
        {
            Separate(sb, i, indent);
            sb.Append("'\\u").Append(((int)values[i]).ToString("X4", CultureInfo.InvariantCulture)).Append('\'');
        }

        sb.Append(" }");
    }

    private static void AppendInts(StringBuilder sb, int[] values, string indent)
    {
        sb.Append(indent).Append("new int[] {");
        for (int i = 0; i < values.Length; i++)
        {
            Separate(sb, i, indent);
            sb.Append(values[i].ToString(CultureInfo.InvariantCulture));
        }

        sb.Append(" }");
    }

    private static void Separate(StringBuilder sb, int i, string indent)
    {
        if (i > 0)
        {
            sb.Append(',');
        }

        if (i % ValuesPerLine == 0)
        {
            sb.Append('\n').Append(indent).Append("    ");
        }
        else
        {
            sb.Append(' ');
        }
    }
}
