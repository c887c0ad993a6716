using Microsoft.CodeAnalysis;

namespace ScriptDsl.Generator.Diagnostics
{
    // Used only by the interim template compiler until the templates branch (which owns
    // SDSL0200-0299) is merged; deleted with it.
    public static partial class DiagnosticDescriptors
    {
        public static readonly DiagnosticDescriptor InterimTemplateUnknownName = Error("SDSL0290", "Unknown name in template",
            "Template names '{0}', which is not a fact, slot or built-in value here{1}. Fix the name or declare it.");

        public static readonly DiagnosticDescriptor InterimTemplateUnsupported = Error("SDSL0291", "Template feature not supported",
            "Template uses {0}, which is outside the supported template subset.");
    }
}
