using Microsoft.CodeAnalysis;

namespace ScriptDsl.Generator.Diagnostics
{
    /// <summary>
    /// Template diagnostics (SDSL0200-0299). Every one points inside the template (line and column of
    /// the offending characters in the .csdsl file) and says what to write instead.
    /// Message texts go through string.Format: literal braces are doubled.
    /// </summary>
    // RS2008 (analyzer release tracking) asks for AnalyzerReleases.*.md files; whether the project
    // adopts them is one decision for the whole catalog, not for this area, so it is silenced here
    // only. The stable record of IDs is this catalog plus docs/diagnostics/SDSLxxxx.md.
#pragma warning disable RS2008
    public static partial class DiagnosticDescriptors
    {
        public static readonly DiagnosticDescriptor TemplateSyntaxError = Error(
            "SDSL0200",
            "Template syntax error",
            "Template syntax error: {0}; {1}");

        public static readonly DiagnosticDescriptor UnterminatedTemplateBlock = Error(
            "SDSL0203",
            "Template block is not closed",
            "Template block '{{{{' is never closed; end it with '}}}}' (to write the characters '{{{{' as text, put them in Scriban's verbatim block '{{%{{ {{{{ }}%}}')");

        public static readonly DiagnosticDescriptor StrayTemplateBlockClose = Error(
            "SDSL0204",
            "'}}' without '{{' in template",
            "Template text contains '}}}}' without a matching '{{{{'; remove it, or open the block with '{{{{' (for example '{{{{ name }}}}')");

        public static readonly DiagnosticDescriptor UnsupportedTemplateConstruct = Error(
            "SDSL0205",
            "Template construct outside the supported Scriban subset",
            "{0} is outside the supported Scriban subset; supported are text, {{{{ name }}}}, {{{{ a.b }}}}, the filters money, date \"format\" and default \"text\", {{{{ if }}}}/{{{{ else if }}}}/{{{{ else }}}}/{{{{ end }}}} with == != < <= > >= && || ! and parentheses, {{{{ for x in cart.lines }}}}...{{{{ end }}}}, whitespace control {{{{- -}}}} {{{{~ ~}}}}, comments and {{%{{ verbatim }}%}}; {1}");

        public static readonly DiagnosticDescriptor UnknownTemplateFilter = Error(
            "SDSL0206",
            "Unknown filter in template",
            "Filter '{0}' is outside the supported Scriban subset{1}; the supported filters are money, date \"M月d日\" and default \"text\"");

        public static readonly DiagnosticDescriptor MoneyFilterRequiresMoney = Error(
            "SDSL0207",
            "'money' filter on a value that is not money",
            "The money filter formats money, but '{0}' is {1}; write '{{{{ {0} }}}}' without '| money', or apply '| money' to a money value (a price or a total)");

        public static readonly DiagnosticDescriptor DateFilterRequiresDate = Error(
            "SDSL0208",
            "'date' filter on a value that is not a date",
            "The date filter formats a date, but '{0}' is {1}; write '{{{{ {0} }}}}' without '| date', or apply '| date \"M月d日\"' to a date fact");

        public static readonly DiagnosticDescriptor TemplateForRequiresList = Error(
            "SDSL0211",
            "'for' over a value that is not a list",
            "'for' loops over a list, but '{0}' is {1}; the list a template can loop over is 'cart.lines'");

        public static readonly DiagnosticDescriptor TemplateItemOutsideRecommend = Error(
            "SDSL0213",
            "'item' used where no item is current",
            "'{0}' exists only in recommend and cross_sell replies, where an item is current, not in {1} replies; move the reply into a recommend or cross_sell block, or write the item's text directly");

        public static readonly DiagnosticDescriptor TemplatePolicyNameOutsidePolicy = Error(
            "SDSL0214",
            "Bargaining-policy value used outside a policy",
            "'{0}' is a bargaining-policy value and exists only in the replies of a policy, not in {1} replies; use it inside 'policy NAME for SHOP {{ ... }}', or use a fact instead");

        public static readonly DiagnosticDescriptor UnbalancedTemplateBlock = Error(
            "SDSL0215",
            "Unbalanced if/for/else/end in template",
            "{0}; {1}");

        public static readonly DiagnosticDescriptor UnsupportedTemplateDateFormat = Error(
            "SDSL0216",
            "Date format outside the supported subset",
            "Date format \"{0}\" uses '{1}', which is outside the supported format subset (yyyy, yy, M, MM, d, dd; every other character is copied); write for example \"M月d日\" or \"yyyy-MM-dd\"");

        public static readonly DiagnosticDescriptor InvalidTemplateEscape = Error(
            "SDSL0217",
            "Invalid escape in template",
            "'\\{0}' is not a supported escape {1}; the supported escapes there are {2}; write '\\\\' for a backslash");

        public static readonly DiagnosticDescriptor TemplateDefaultNotApplicable = Error(
            "SDSL0218",
            "'default' filter on a value that always has one",
            "The default filter replaces an unfilled slot or an empty text, but '{0}' is {1} and always has a value; remove '| default ...'");

        public static readonly DiagnosticDescriptor TemplateValueNotPrintable = Error(
            "SDSL0220",
            "Value cannot be written into a reply as is",
            "'{0}' is {1} and cannot be written into the reply as is; {2}");

        public static readonly DiagnosticDescriptor TemplateFilterArguments = Error(
            "SDSL0221",
            "Wrong arguments for a template filter",
            "Filter '{0}' {1}; write for example {2}");

        public static readonly DiagnosticDescriptor TemplateCartValueWithoutPolicy = Error(
            "SDSL0223",
            "Cart pricing value in a shop without a price policy",
            "'{0}' is computed from the shop's price policy for the conversation's cart, and this shop has no policy; add 'policy NAME for SHOP {{ ... }}' (with use_period and coupons as needed), or write the value from a fact");

        public static readonly DiagnosticDescriptor TemplateCompilerInternalError = Error(
            "SDSL0299",
            "Internal error of the template compiler",
            "The template compiler failed on this template ({0}); this is a bug in ScriptDsl, please report it with the template text");
    }
#pragma warning restore RS2008
}
