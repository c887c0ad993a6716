using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ScriptDsl.Generator.Diagnostics
{
    /// <summary>
    /// The one catalog of ScriptDsl diagnostics. IDs are stable and never reused. Ranges:
    /// SDSL0001-0099 syntax, SDSL0100-0199 names and structure, SDSL0200-0299 templates,
    /// SDSL0300-0399 bargaining policies, SDSL1001-1099 service-standard lints (warnings).
    /// Each message names the construct and the fix; each ID has docs/diagnostics/SDSLxxxx.md.
    /// Partial so each area keeps its entries next to each other; <see cref="All"/> lists them all.
    /// </summary>
    public static partial class DiagnosticDescriptors
    {
        public const string Category = "ScriptDsl";

        // Created on first registration: field initializers of partial declarations in other files
        // may run before one written here would.
        private static Dictionary<string, DiagnosticDescriptor>? s_byId;

        private static Dictionary<string, DiagnosticDescriptor> ById => s_byId ??= new Dictionary<string, DiagnosticDescriptor>(System.StringComparer.Ordinal);

        public static IEnumerable<DiagnosticDescriptor> All => ById.Values;

        public static DiagnosticDescriptor Get(string id) => ById[id];

        public static string HelpLink(string id) => "docs/diagnostics/" + id + ".md";

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            Register(new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id)));

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            Register(new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id)));

        private static DiagnosticDescriptor Register(DiagnosticDescriptor descriptor)
        {
            ById.Add(descriptor.Id, descriptor);
            return descriptor;
        }
    }
}
