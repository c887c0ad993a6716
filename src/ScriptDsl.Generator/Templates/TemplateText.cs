using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Diagnostics;

namespace ScriptDsl.Generator.Templates
{
    /// <summary>
    /// The template with the .csdsl string escapes (\" \\ \n) processed, plus the map from every
    /// decoded character back to its raw character, so a diagnostic about decoded text points at the
    /// right column of the .csdsl file. Also collects the template's diagnostics.
    /// </summary>
    internal sealed class TemplateText
    {
        private readonly TemplateSource _source;
        private readonly int[] _rawIndex;
        private readonly List<DiagnosticInfo> _diagnostics = new List<DiagnosticInfo>();
        private readonly int[] _rawNewlines;

        private TemplateText(TemplateSource source, string text, int[] rawIndex)
        {
            _source = source;
            Text = text;
            _rawIndex = rawIndex;
            var raw = source.Raw ?? string.Empty;
            var newlines = new List<int>();
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] == '\n')
                {
                    newlines.Add(i);
                }
            }

            _rawNewlines = newlines.ToArray();
        }

        public string Text { get; }

        public int Length => Text.Length;

        public List<DiagnosticInfo> Diagnostics => _diagnostics;

        /// <summary>The .csdsl file the template is in (diagnostics name it).</summary>
        public string FilePath => _source.FilePath ?? string.Empty;

        public static TemplateText Decode(TemplateSource source)
        {
            var raw = source.Raw ?? string.Empty;
            var builder = new StringBuilder(raw.Length);
            var map = new List<int>(raw.Length + 1);
            var pendingErrors = new List<(int RawStart, string Escape)>();
            for (var i = 0; i < raw.Length; i++)
            {
                var c = raw[i];
                if (c == '\\')
                {
                    var next = i + 1 < raw.Length ? raw[i + 1] : '\0';
                    if (next == '"' || next == '\\' || next == 'n')
                    {
                        map.Add(i);
                        builder.Append(next == 'n' ? '\n' : next);
                        i++;
                        continue;
                    }

                    // Kept as written so the rest of the template still parses; the error says what to write.
                    pendingErrors.Add((i, i + 1 < raw.Length ? raw[i + 1].ToString() : string.Empty));
                }

                map.Add(i);
                builder.Append(c);
            }

            map.Add(raw.Length);
            var text = new TemplateText(source, builder.ToString(), map.ToArray());
            foreach (var (rawStart, escape) in pendingErrors)
            {
                text._diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidTemplateEscape,
                    source.FilePath ?? string.Empty,
                    text.PositionAtRaw(rawStart),
                    text.PositionAtRaw(System.Math.Min(raw.Length, rawStart + 2)),
                    escape,
                    "in a .csdsl string",
                    "\\\" \\\\ \\n"));
            }

            return text;
        }

        /// <summary>The position in the .csdsl file of decoded character <paramref name="index"/> (Length = just after the template).</summary>
        public SourcePosition PositionAt(int index)
        {
            if (index < 0)
            {
                index = 0;
            }

            if (index >= _rawIndex.Length)
            {
                index = _rawIndex.Length - 1;
            }

            return PositionAtRaw(_rawIndex[index]);
        }

        private SourcePosition PositionAtRaw(int rawIndex)
        {
            var start = _source.Start;

            // Templates are single-line in .csdsl; a raw newline is still counted so positions never lie.
            // Binary search over the newlines: a template with many errors stays linear.
            var newlines = _rawNewlines;
            int low = 0, high = newlines.Length;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (newlines[middle] < rawIndex)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            // 'low' newlines lie before rawIndex.
            var line = start.Line + low;
            var column = low == 0 ? start.Column + rawIndex : rawIndex - newlines[low - 1];
            return new SourcePosition(start.Offset + rawIndex, line, column);
        }

        public void Report(DiagnosticDescriptor descriptor, int start, int end, params string[] args)
        {
            if (end < start)
            {
                end = start;
            }

            _diagnostics.Add(DiagnosticInfo.Create(descriptor, _source.FilePath ?? string.Empty, PositionAt(start), PositionAt(end), args));
        }

        public string Slice(int start, int end)
        {
            if (start < 0)
            {
                start = 0;
            }

            if (end > Text.Length)
            {
                end = Text.Length;
            }

            return end <= start ? string.Empty : Text.Substring(start, end - start).Trim();
        }
    }
}
