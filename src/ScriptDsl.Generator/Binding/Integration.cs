using System.Text;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// The one seam to the template compiler (templates branch) and the text normalizer (text
    /// branch): the binder calls these, so switching to the real implementations is one line each.
    /// </summary>
    internal static class Integration
    {
        public static CompiledTemplate CompileTemplate(TemplateSource source, TemplateEnvironment environment) =>
            InterimTemplateCompiler.Compile(source, environment);

        /// <summary>Build-time normalization of a trigger phrase or synonym, the same as the engine applies to buyer text.</summary>
        public static string Normalize(string phrase)
        {
            var text = phrase.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
            var sb = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (!char.IsWhiteSpace(c))
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }
    }
}
