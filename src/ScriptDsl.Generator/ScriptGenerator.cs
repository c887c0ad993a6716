using Microsoft.CodeAnalysis;
using Sprache;

namespace ScriptDsl.Generator
{
    [Generator(LanguageNames.CSharp)]
    public sealed class ScriptGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var files = context.AdditionalTextsProvider.Where(f => f.Path.EndsWith(".csdsl", System.StringComparison.Ordinal));
            context.RegisterSourceOutput(files.Collect(), (spc, all) =>
            {
                var p = Parse.String("shop").Text();
                spc.AddSource("Probe.g.cs", "namespace ScriptDsl.Generated { internal static class Probe { public const int Count = " + all.Length + "; public const string W = \"" + p.Parse("shop") + "\"; } }");
            });
        }
    }
}
