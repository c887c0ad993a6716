using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Parsing;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// Standard library files (docs/design/understanding-spec.md §2): text → <see cref="LibraryModel"/>s.
    /// Every .csdsl file passes through here; a shop script simply has no library. Syntax errors are
    /// reported by the shop compile of the same file (one parser, one report), never twice.
    /// </summary>
    public static class LibraryCompiler
    {
        public static LibraryCompilation Compile(ScriptFile file, CancellationToken cancellation = default)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                return CompileCore(file);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var start = new SourcePosition(0, 1, 1);
                return new LibraryCompilation(file.Path, EquatableArray<LibraryModel>.Empty, new EquatableArray<DiagnosticInfo>(new[] { DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, start, start, ex.GetType().Name + ": " + ex.Message) }));
            }
        }

        private static LibraryCompilation CompileCore(ScriptFile file)
        {
            // Cheap test first: most files are shop scripts, and parsing them twice is waste.
            if (file.Text.IndexOf("library", StringComparison.Ordinal) < 0)
            {
                return new LibraryCompilation(file.Path, EquatableArray<LibraryModel>.Empty, EquatableArray<DiagnosticInfo>.Empty);
            }

            var parsed = ScriptParser.Parse(file.Text, file.Path);
            if (parsed.Syntax is null || parsed.Syntax.Libraries.Count == 0)
            {
                return new LibraryCompilation(file.Path, EquatableArray<LibraryModel>.Empty, EquatableArray<DiagnosticInfo>.Empty);
            }

            var diagnostics = new List<DiagnosticInfo>();
            void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourcePosition at, int length, params string[] args) =>
                diagnostics.Add(DiagnosticInfo.Create(descriptor, file.Path, at, new SourcePosition(at.Offset + length, at.Line, at.Column + length), args));

            if (parsed.Syntax.Shops.Count > 0)
            {
                foreach (var library in parsed.Syntax.Libraries)
                {
                    Report(DiagnosticDescriptors.LibraryWithShop, library.Name.Pos, library.Name.Name.Length, library.Name.Name, parsed.Syntax.Shops[0].Id.Name);
                }

                return new LibraryCompilation(file.Path, EquatableArray<LibraryModel>.Empty, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
            }

            var libraries = new List<LibraryModel>();
            var names = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
            foreach (var library in parsed.Syntax.Libraries)
            {
                if (names.TryGetValue(library.Name.Name, out var firstLibrary))
                {
                    Report(DiagnosticDescriptors.DuplicateLibrary, library.Name.Pos, library.Name.Name.Length, library.Name.Name, ScriptBinder.RelativePath(file.Path) + " line " + firstLibrary.Line.ToString(CultureInfo.InvariantCulture));
                    continue;
                }

                names[library.Name.Name] = library.Name.Pos;
                var intents = new List<LibraryIntentModel>();
                var intentLines = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var intent in library.Intents)
                {
                    if (intentLines.TryGetValue(intent.Name.Name, out var firstLine))
                    {
                        Report(DiagnosticDescriptors.DuplicateLibraryIntent, intent.Name.Pos, intent.Name.Name.Length, intent.Name.Name, library.Name.Name, firstLine.ToString(CultureInfo.InvariantCulture));
                        continue;
                    }

                    intentLines[intent.Name.Name] = intent.Name.Pos.Line;
                    string? label = null;
                    var labelLine = 0;
                    var examples = new List<string>();
                    foreach (var part in intent.Understand)
                    {
                        switch (part.Keyword)
                        {
                            case "like":
                                Report(DiagnosticDescriptors.SyntaxError, part.Pos, "like".Length, "'like'", "'examples' or 'label' (a library intent is the standard itself)", "");
                                break;
                            case "label" when label is not null:
                                Report(DiagnosticDescriptors.RepeatedRule, part.Pos, "label".Length, "label", labelLine.ToString(CultureInfo.InvariantCulture));
                                break;
                            case "label":
                                label = part.Label!.Value;
                                labelLine = part.Pos.Line;
                                break;
                            default:
                                foreach (var example in part.Examples)
                                {
                                    if (Integration.Normalize(example.Value).Length == 0)
                                    {
                                        Report(DiagnosticDescriptors.EmptyText, example.Pos, example.Raw.Length + 2, "example");
                                        continue;
                                    }

                                    examples.Add(example.Value);
                                }

                                break;
                        }
                    }

                    intents.Add(new LibraryIntentModel(intent.Name.Name, label ?? "", new EquatableArray<string>(examples.ToArray()), intent.Name.Pos.Line));
                }

                libraries.Add(new LibraryModel(library.Name.Name, library.Title.Value, file.Path, library.Name.Pos, new EquatableArray<LibraryIntentModel>(intents.ToArray())));
            }

            return new LibraryCompilation(file.Path, new EquatableArray<LibraryModel>(libraries.ToArray()), new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
        }

        /// <summary>Every library of the build, by name (the first by path wins), and SDSL0136 for the others.</summary>
        public static LibraryCatalog Catalog(IEnumerable<LibraryCompilation> files)
        {
            var result = new List<LibraryModel>();
            var diagnostics = new List<DiagnosticInfo>();
            var byName = new Dictionary<string, LibraryModel>(StringComparer.Ordinal);
            foreach (var library in files.OrderBy(f => f.FilePath, StringComparer.Ordinal).SelectMany(f => f.Libraries))
            {
                if (byName.TryGetValue(library.Name, out var first))
                {
                    if (!string.Equals(first.Path, library.Path, StringComparison.Ordinal))
                    {
                        var end = new SourcePosition(library.Pos.Offset + library.Name.Length, library.Pos.Line, library.Pos.Column + library.Name.Length);
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateLibrary, library.Path, library.Pos, end, library.Name, ScriptBinder.RelativePath(first.Path)));
                    }

                    continue;
                }

                byName[library.Name] = library;
                result.Add(library);
            }

            return new LibraryCatalog(
                new EquatableArray<LibraryModel>(result.OrderBy(l => l.Name, StringComparer.Ordinal).ToArray()),
                new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
        }
    }

    public sealed record LibraryCatalog(EquatableArray<LibraryModel> Libraries, EquatableArray<DiagnosticInfo> Diagnostics);
}
