using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Binding;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Emitting;
using ScriptDsl.Generator.Infrastructure;

namespace ScriptDsl.Generator
{
    /// <summary>
    /// The pipeline, and only the pipeline. Per file: AdditionalText → ScriptFile(path, text) →
    /// ShopCompilation (parse + bind, values only) → one source per shop. Across files: the catalog
    /// from (id, class name) pairs only, so editing a script's content leaves it untouched; and a
    /// duplicate-id check over (path, id, position) that produces diagnostics only.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class ScriptGenerator : IIncrementalGenerator
    {
        public static class TrackingNames
        {
            public const string Options = nameof(Options);
            public const string ScriptFiles = nameof(ScriptFiles);
            public const string Compilations = nameof(Compilations);
            public const string CatalogEntries = nameof(CatalogEntries);
            public const string Catalog = nameof(Catalog);
            public const string ShopIds = nameof(ShopIds);
            public const string DuplicateIds = nameof(DuplicateIds);
            public const string Libraries = nameof(Libraries);
            public const string LibraryCatalog = nameof(LibraryCatalog);
            public const string Understanding = nameof(Understanding);
            public const string Training = nameof(Training);
            public const string ExpectAsError = nameof(ExpectAsError);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var options = context.AnalyzerConfigOptionsProvider
                .Select(static (provider, _) =>
                {
                    provider.GlobalOptions.TryGetValue("build_property.ScriptDslMaxReplyLength", out var value);
                    return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0
                        ? new CompilerOptions(max)
                        : CompilerOptions.Default;
                })
                .WithTrackingName(TrackingNames.Options);

            var files = context.AdditionalTextsProvider
                .Where(static text => text.Path.EndsWith(".csdsl", StringComparison.OrdinalIgnoreCase))
                .Select(static (text, ct) => new ScriptFile(text.Path, text.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName(TrackingNames.ScriptFiles);

            var compilations = files
                .Combine(options)
                .Select(static (pair, ct) => ScriptBinder.Compile(pair.Left, pair.Right, ct))
                .WithTrackingName(TrackingNames.Compilations);

            var expectAsError = context.AnalyzerConfigOptionsProvider
                .Select(static (provider, _) =>
                    provider.GlobalOptions.TryGetValue("build_property.ScriptDslExpectAsError", out var value)
                    && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
                .WithTrackingName(TrackingNames.ExpectAsError);

            // Standard library files (docs/design/understanding-spec.md §2): every file is looked at,
            // a shop script has none. The catalog is joined to each shop, which keeps only the
            // libraries it names: training then re-runs only for the shops whose input changed.
            var libraries = files
                .Select(static (file, ct) => LibraryCompiler.Compile(file, ct))
                .WithTrackingName(TrackingNames.Libraries);

            context.RegisterSourceOutput(libraries, static (spc, library) =>
            {
                foreach (var diagnostic in library.Diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });

            var libraryCatalog = libraries
                .Collect()
                .Select(static (all, _) => LibraryCompiler.Catalog(all))
                .WithTrackingName(TrackingNames.LibraryCatalog);

            context.RegisterSourceOutput(libraryCatalog, static (spc, catalog) =>
            {
                foreach (var diagnostic in catalog.Diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });

            var shops = compilations
                .Combine(libraryCatalog.Select(static (catalog, _) => catalog.Libraries))
                .Select(static (pair, _) => UnderstandingCompiler.Resolve(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.Understanding)
                .Select(static (input, ct) => UnderstandingCompiler.Run(input, ct))
                .WithTrackingName(TrackingNames.Training);

            context.RegisterSourceOutput(shops.Combine(expectAsError), static (spc, pair) =>
            {
                var (shop, asError) = pair;
                foreach (var diagnostic in shop.Compilation.Diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }

                foreach (var diagnostic in shop.Diagnostics)
                {
                    spc.ReportDiagnostic(asError && diagnostic.Id == DiagnosticDescriptors.ExpectMiss.Id ? AsError(diagnostic) : diagnostic.ToDiagnostic());
                }

                if (shop.Compilation.Model is not null && shop.Understanding is not null)
                {
                    spc.AddSource(ScriptEmitter.HintName(shop.Compilation.Model), EmitOrReport(spc, shop.Compilation.Model, shop.Understanding));
                }
            });

            var catalog = compilations
                .Where(static c => c.Model is not null)
                .Select(static (c, _) => new CatalogEntry(c.Model!.Id, c.Model.ClassName))
                .WithTrackingName(TrackingNames.CatalogEntries)
                .Collect()
                .Select(static (entries, _) => new EquatableArray<CatalogEntry>(entries.OrderBy(e => e.Id, StringComparer.Ordinal).ToArray()))
                .WithTrackingName(TrackingNames.Catalog);

            context.RegisterSourceOutput(catalog, static (spc, entries) => spc.AddSource("ShopCatalog.g.cs", ScriptEmitter.EmitCatalog(entries)));

            var duplicates = compilations
                .Where(static c => c.ShopId is not null)
                .Select(static (c, _) => new ShopIdentity(c.FilePath, c.ShopId!, Names.Pascal(c.ShopId!), new SourcePosition(c.ShopOffset, c.ShopLine, c.ShopColumn), c.ShopIdLength))
                .WithTrackingName(TrackingNames.ShopIds)
                .Collect()
                .Select(static (ids, _) => DuplicateIds(ids.ToArray()))
                .WithTrackingName(TrackingNames.DuplicateIds);

            context.RegisterSourceOutput(duplicates, static (spc, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics)
                {
                    spc.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });
        }

        /// <summary>The emitter never takes the build down: a failure is SDSL0099 at the shop, with an empty class.</summary>
        /// <summary>ScriptDslExpectAsError=true: an expect miss fails the build.</summary>
        private static Diagnostic AsError(DiagnosticInfo info)
        {
            var warning = info.ToDiagnostic();
            return Diagnostic.Create(warning.Descriptor, warning.Location, DiagnosticSeverity.Error, null, null, DiagnosticInfo.ToObjects(info.MessageArgs));
        }

        private static string EmitOrReport(SourceProductionContext spc, ShopModel model, UnderstandingModel understanding)
        {
            try
            {
                return ScriptEmitter.EmitShop(model, understanding);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var at = new SourcePosition(0, model.ShopLine, 1);
                spc.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, model.SourcePath, at, at, ex.GetType().Name + ": " + ex.Message).ToDiagnostic());
                return "// <auto-generated/>\n// " + model.RelativePath + " could not be emitted (SDSL0099).\n";
            }
        }

        /// <summary>The second and later files (by path) using a shop id or class name already taken.</summary>
        public static EquatableArray<DiagnosticInfo> DuplicateIds(ShopIdentity[] ids)
        {
            var ordered = ids.OrderBy(i => i.Path, StringComparer.Ordinal).ToArray();
            var result = new System.Collections.Generic.List<DiagnosticInfo>();
            for (var i = 0; i < ordered.Length; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(ordered[i].Id, ordered[j].Id, StringComparison.Ordinal) || string.Equals(ordered[i].ClassName, ordered[j].ClassName, StringComparison.Ordinal))
                    {
                        var at = ordered[i].Position;
                        var end = new SourcePosition(at.Offset + ordered[i].Length, at.Line, at.Column + ordered[i].Length);
                        result.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateShopId, ordered[i].Path, at, end, ordered[i].Id, ScriptBinder.RelativePath(ordered[j].Path) + " (shop '" + ordered[j].Id + "')"));
                        break;
                    }
                }
            }

            return new EquatableArray<DiagnosticInfo>(result.ToArray());
        }
    }

    /// <summary>Where a shop id is declared, for the cross-file duplicate check.</summary>
    public sealed record ShopIdentity(string Path, string Id, string ClassName, SourcePosition Position, int Length);
}
