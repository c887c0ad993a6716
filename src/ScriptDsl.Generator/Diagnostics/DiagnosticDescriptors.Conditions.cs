using Microsoft.CodeAnalysis;

namespace ScriptDsl.Generator.Diagnostics
{
    /// <summary>
    /// What the one condition binder (Binding/ConditionBinder.cs) reports: the same ID and the same
    /// message for the same mistake in a recommend rule, a gift <c>when</c>, an <c>{{ if }}</c> or a
    /// value a template writes. The IDs keep the numbers they had in the area that first reported
    /// them; the ones that had two numbers kept one (the other is retired, below, and its page says
    /// which ID replaced it). Literal problems of a condition's numbers are the language's own
    /// SDSL0004 and SDSL0005, as in declarations. Message texts go through string.Format.
    /// </summary>
#pragma warning disable RS2008 // see DiagnosticDescriptors.Templates.cs
    public static partial class DiagnosticDescriptors
    {
        public static readonly DiagnosticDescriptor UnknownName = Error("SDSL0103", "Unknown name",
            "'{0}' is not a slot, fact or built-in value here{1}. Check the spelling, or declare '{0}' as a fact or slot of the shop.");

        public static readonly DiagnosticDescriptor UnknownChoice = Error("SDSL0112", "Value not in the slot's choices",
            "'{0}' is not one of the choices of slot '{1}' ({2}). Use one of them or add it to the slot.");

        public static readonly DiagnosticDescriptor ConditionTypeMismatch = Error("SDSL0113", "Values that do not compare",
            "Cannot compare '{0}' ({1}) with '{2}' ({3}) using '{4}'. {5}");

        public static readonly DiagnosticDescriptor UnknownMember = Error("SDSL0202", "Unknown member",
            "'{0}' has no member '{1}'; {2}");

        public static readonly DiagnosticDescriptor OrderingOnUnorderedKind = Error("SDSL0210", "Ordering comparison on a value without an order",
            "Operator '{0}' needs an int, money, number or date, but '{1}' is {2}; use '==' or '!=' for text, choice and bool values");

        public static readonly DiagnosticDescriptor ConditionNotATest = Error("SDSL0219", "Value alone is not a condition",
            "'{0}' is {1}, not a condition; compare it (for example '{0} == ...' or '{0} > ...'), or test a slot alone to ask whether it is filled");

        public static readonly DiagnosticDescriptor NumberCannotTakeKind = Error("SDSL0222", "Number cannot be compared with this value",
            "Number {0} cannot be compared with '{1}' ({2}): {3}");

        /// <summary>Every ID the condition binder reports, in every place (the literal checks SDSL0004/0005 and the template-context names SDSL0213/0214/0223 included).</summary>
        public static DiagnosticDescriptor[] ConditionBinding => new[]
        {
            UnknownName, UnknownChoice, ConditionTypeMismatch, UnknownMember, OrderingOnUnorderedKind, ConditionNotATest, NumberCannotTakeKind,
            MoneyPrecision, InvalidNumber, TemplateItemOutsideRecommend, TemplatePolicyNameOutsidePolicy, TemplateCartValueWithoutPolicy,
        };

        // ---- retired: no longer reported; the IDs stay in the catalog (IDs are never reused) and their pages say what replaced them.

        public static readonly DiagnosticDescriptor RetiredUnknownTemplateName = Error("SDSL0201", "Unknown name in template (retired: now SDSL0103)",
            "'{0}' is not a fact, slot or built-in name here. (No longer reported: an unknown name is SDSL0103 in every place.)");

        public static readonly DiagnosticDescriptor RetiredTemplateComparisonTypeMismatch = Error("SDSL0209", "Comparison of values of different kinds in template (retired: now SDSL0113)",
            "Cannot compare '{0}' with '{1}'. (No longer reported: values that do not compare are SDSL0113 in every place.)");

        public static readonly DiagnosticDescriptor RetiredTemplateChoiceValueNotInSet = Error("SDSL0212", "Choice compared with a value it can never have (retired: now SDSL0112)",
            "'{0}' is never \"{1}\". (No longer reported: a text that is not one of a choice slot's choices is SDSL0112 in every place.)");
    }
#pragma warning restore RS2008
}
