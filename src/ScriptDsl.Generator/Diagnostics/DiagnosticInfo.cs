using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ScriptDsl.Generator.Infrastructure;

namespace ScriptDsl.Generator.Diagnostics
{
    /// <summary>A position in a .csdsl file: 1-based line and column, 0-based offset.</summary>
    public readonly record struct SourcePosition(int Offset, int Line, int Column);

    /// <summary>
    /// A diagnostic as a value (no Location, no Diagnostic object), so pipeline models that carry
    /// diagnostics stay cacheable. Turned into a Roslyn <see cref="Diagnostic"/> only when reported.
    /// </summary>
    public sealed record DiagnosticInfo(
        string Id,
        string FilePath,
        SourcePosition Start,
        SourcePosition End,
        EquatableArray<string> MessageArgs)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, string filePath, SourcePosition start, SourcePosition end, params string[] args) =>
            new DiagnosticInfo(descriptor.Id, filePath, start, end, new EquatableArray<string>(args));

        public DiagnosticDescriptor Descriptor => DiagnosticDescriptors.Get(Id);

        /// <summary>The message as the build prints it after "error SDSLxxxx: ".</summary>
        public string FormatMessage() =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), ToObjects(MessageArgs));

        public Diagnostic ToDiagnostic()
        {
            var span = new TextSpan(Start.Offset, Math.Max(0, End.Offset - Start.Offset));
            var lines = new LinePositionSpan(
                new LinePosition(Math.Max(0, Start.Line - 1), Math.Max(0, Start.Column - 1)),
                new LinePosition(Math.Max(0, End.Line - 1), Math.Max(0, End.Column - 1)));
            var location = Location.Create(FilePath, span, lines);
            return Diagnostic.Create(Descriptor, location, ToObjects(MessageArgs));
        }

        /// <summary>
        /// The message arguments for Roslyn. Every message of the catalog is a composite format string
        /// ('{{' stands for '{'), but Roslyn formats a message only when it has arguments; a message
        /// without any gets one unused argument so that it is formatted like every other.
        /// </summary>
        public static object[] ToObjects(EquatableArray<string> args)
        {
            if (args.Count == 0)
            {
                return new object[] { string.Empty };
            }

            var result = new object[args.Count];
            for (var i = 0; i < args.Count; i++)
            {
                result[i] = args[i];
            }

            return result;
        }
    }
}
