using System;
using System.Collections.Generic;
using System.Linq;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ScriptDsl.Generator.Tests")]

namespace ScriptDsl.Generator.Templates
{
    /// <summary>
    /// Compiles a reply template (a Scriban template, in the subset replies support) to C# statements at build time:
    /// parse with Scriban's parser (<see cref="ScribanReader"/>), check against the environment
    /// (<see cref="TemplateBinder"/>) into the bound tree; <see cref="TemplateEmitter"/> writes it as C#.
    /// </summary>
    public static class TemplateCompiler
    {
        /// <summary>
        /// Never throws. Problems are diagnostics (SDSL0200-0299) positioned inside the template; when
        /// there is any, <see cref="CompiledTemplate.Body"/> is empty so no broken C# is emitted.
        /// </summary>
        /// <remarks>
        /// Place the lines in a method with the runtime's TemplateBody signature, i.e.
        /// <c>static void M(ref global::ScriptDsl.Templates.TemplateWriter w, global::ScriptDsl.Templates.ScriptScope s)</c>,
        /// under <c>#nullable enable</c>. They use only <c>w</c> and <c>s</c>, fully qualified
        /// (<c>global::</c>) names, and, inside for statements, locals named <c>lineN</c> and
        /// <c>lineNIndex</c> (N = loop depth): the enclosing method must not declare those.
        /// </remarks>
        public static CompiledTemplate Compile(TemplateSource source, TemplateEnvironment env)
        {
            TemplateText? text = null;
            try
            {
                text = TemplateText.Decode(source);
                var syntax = ScribanReader.Read(text);
                var names = new List<TemplateNameUse>();
                var bound = TemplateBinder.Bind(text, env, syntax, names);
                var diagnostics = Sorted(text.Diagnostics);
                var literal = TemplateEmitter.LiteralText(bound);
                var estimate = TemplateEmitter.EstimateLength(bound);
                var body = diagnostics.Count == 0 ? bound : EquatableArray<BoundNode>.Empty;
                return new CompiledTemplate(body, literal, estimate, diagnostics.ToEquatableArray(), names.ToEquatableArray());
            }
            catch (Exception exception)
            {
                // A bug of ours must become a build error at the template, not a crashed compiler
                // (a generator that throws silently produces nothing). Tests fail on SDSL0299.
                var start = source?.Start ?? default;
                var info = DiagnosticInfo.Create(
                    DiagnosticDescriptors.TemplateCompilerInternalError,
                    source?.FilePath ?? string.Empty,
                    start,
                    start,
                    exception.GetType().Name + ": " + exception.Message);
                var known = text is null ? new List<DiagnosticInfo>() : Sorted(text.Diagnostics);
                known.Add(info);
                return new CompiledTemplate(EquatableArray<BoundNode>.Empty, string.Empty, 0, known.ToEquatableArray(), EquatableArray<TemplateNameUse>.Empty);
            }
        }

        private static List<DiagnosticInfo> Sorted(List<DiagnosticInfo> diagnostics) =>
            diagnostics.Select((d, i) => (d, i)).OrderBy(x => x.d.Start.Offset).ThenBy(x => x.i).Select(x => x.d).ToList();
    }
}
