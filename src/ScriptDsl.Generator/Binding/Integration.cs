using ScriptDsl.Generator.Templates;
using ScriptDsl.Matching;
using ScriptDsl.Text;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// The seam to the template compiler and the shared text code: the binder calls these, so a
    /// change in either contract touches one file.
    /// </summary>
    internal static class Integration
    {
        public static CompiledTemplate CompileTemplate(TemplateSource source, TemplateEnvironment environment) =>
            TemplateCompiler.Compile(source, environment);

        /// <summary>Build-time normalization of a trigger phrase or synonym: exactly what the engine applies to buyer text.</summary>
        public static string Normalize(string phrase)
        {
            var normalized = TextNormalizer.Normalize(phrase);
            return normalized.Trim().Length == 0 ? "" : normalized;
        }

        /// <summary>The automaton over (normalized phrase, payload) pairs, as value tables for the model.</summary>
        public static AutomatonModel BuildAutomaton(System.Collections.Generic.IEnumerable<(string Phrase, int Payload)> patterns)
        {
            var builder = new TriggerAutomatonBuilder();
            foreach (var (phrase, payload) in patterns)
            {
                builder.Add(phrase, payload);
            }

            var data = builder.Build();
            return new AutomatonModel(
                new string(data.Alphabet),
                Infrastructure.EquatableArrayOf(data.EdgeOffsets),
                Infrastructure.EquatableArrayOf(data.EdgeClasses),
                Infrastructure.EquatableArrayOf(data.EdgeTargets),
                Infrastructure.EquatableArrayOf(data.Failure),
                Infrastructure.EquatableArrayOf(data.OutputLink),
                Infrastructure.EquatableArrayOf(data.OutputOffsets),
                Infrastructure.EquatableArrayOf(data.OutputPatterns),
                Infrastructure.EquatableArrayOf(data.PatternPayloads),
                Infrastructure.EquatableArrayOf(data.PatternLengths));
        }

        private static class Infrastructure
        {
            public static ScriptDsl.Generator.Infrastructure.EquatableArray<int> EquatableArrayOf(int[] values) =>
                new ScriptDsl.Generator.Infrastructure.EquatableArray<int>((int[])values.Clone());
        }
    }
}
