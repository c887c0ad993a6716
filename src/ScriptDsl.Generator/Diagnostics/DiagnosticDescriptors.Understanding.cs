using Microsoft.CodeAnalysis;

namespace ScriptDsl.Generator.Diagnostics
{
    // Understanding buyers (docs/design/understanding-spec.md): examples, labels, the standard
    // library, thresholds, units, expect checks, quote and close. Names and structure in
    // 0129-0139, lints in 1006-1008.
    public static partial class DiagnosticDescriptors
    {
        public static readonly DiagnosticDescriptor UnknownStandardLibrary = Error("SDSL0129", "Unknown standard library",
            "There is no standard library '{0}'{1}. A library is a file under standard/ that starts with 'library NAME \"title\"'; check the name after 'use standard'.");

        public static readonly DiagnosticDescriptor UnknownStandardIntent = Error("SDSL0130", "Unknown standard intent",
            "'like {0}': {1} has no intent '{0}'{2}. Name an intent of a library this shop uses, or remove 'like'.");

        public static readonly DiagnosticDescriptor UnderstandingSettingRange = Error("SDSL0131", "Understanding setting out of range",
            "'{0} {1}' is out of range: {2}");

        public static readonly DiagnosticDescriptor UnknownUnit = Error("SDSL0132", "Unit of no slot",
            "No number slot has the unit '{0}'{1}. 'unit \"斤\" = 0.5 kg' says what a word is worth in a unit that a 'slot NAME: number unit \"kg\"' declares.");

        public static readonly DiagnosticDescriptor UnknownExpectIntent = Error("SDSL0133", "Expect names no intent",
            "'expect … -> {0}': this shop has no intent '{0}' and no rule maps onto a standard intent '{0}'{1}. Name one of the shop's intents.");

        public static readonly DiagnosticDescriptor RuleWithoutTriggers = Error("SDSL0134", "Rule nothing can choose",
            "'{0}' has no 'on' phrases, no 'examples' and no 'like': nothing a buyer writes can choose it. Add 'on \"…\"' or 'examples \"…\" | \"…\"'.");

        public static readonly DiagnosticDescriptor EmptyText = Error("SDSL0135", "Empty example or word",
            "This {0} is empty (or only punctuation) and can match nothing. Write the words a buyer writes, or remove it.");

        public static readonly DiagnosticDescriptor DuplicateLibrary = Error("SDSL0136", "Duplicate standard library",
            "Standard library '{0}' is already declared in {1}. Every library needs its own name.");

        public static readonly DiagnosticDescriptor DuplicateLibraryIntent = Error("SDSL0137", "Duplicate library intent",
            "Intent '{0}' appears twice in library '{1}' (first on line {2}). Merge the examples into one intent.");

        public static readonly DiagnosticDescriptor LibraryWithShop = Error("SDSL0138", "Library inside a shop's file",
            "Library '{0}' is in the same file as shop '{1}'. A library lives in its own file under standard/ (standard/{0}.csdsl), so every shop can use it.");

        public static readonly DiagnosticDescriptor RepeatedRule = Error("SDSL0139", "Rule allowed once",
            "'{0}' may appear only once in a rule or shop (first on line {1}). Keep one of them.");

        // ------------------------------------------------------------ lints (warnings, silence with // sdsl:allow SDSL10xx)
        public static readonly DiagnosticDescriptor ExpectMiss = Warning("SDSL1006", "Expected understanding missed",
            "expect \"{0}\" -> {1}: the shop understands it as {2}. Add this phrasing or similar ones to the examples of '{1}' (the build fails on this when ScriptDslExpectAsError=true).");

        public static readonly DiagnosticDescriptor DuplicateExample = Warning("SDSL1007", "Example written twice",
            "Example \"{0}\" is written twice (first for '{1}' on line {2}); the second one only adds weight. Keep one (or add '// sdsl:allow SDSL1007').");

        public static readonly DiagnosticDescriptor ExampleHitsTrigger = Warning("SDSL1008", "Example another rule's trigger takes",
            "Example \"{0}\" of '{1}' contains \"{2}\", a trigger phrase of '{3}': triggers decide before examples, so a buyer writing this gets '{3}'. Rephrase the example or make the trigger more specific (or add '// sdsl:allow SDSL1008').");
    }
}
