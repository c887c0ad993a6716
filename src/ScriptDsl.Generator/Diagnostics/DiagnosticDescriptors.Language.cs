using Microsoft.CodeAnalysis;

namespace ScriptDsl.Generator.Diagnostics
{
    // The language compiler's entries: syntax (0001-0099), names and structure (0100-0199),
    // bargaining policy references (0300-0399) and service-standard lints (1001-1099).
    // Templates (0200-0299) live in DiagnosticDescriptors.Templates.cs.
    public static partial class DiagnosticDescriptors
    {
        // ------------------------------------------------------------ syntax
        public static readonly DiagnosticDescriptor SyntaxError = Error("SDSL0001", "Syntax error",
            "Unexpected {0} here{2}; expected {1}. Compare the statement with docs/language.md.");

        public static readonly DiagnosticDescriptor UnterminatedString = Error("SDSL0002", "Text not closed",
            "This text has no closing '\"' on its line. Close it with '\"' (write a line break inside a text as \\n).");

        public static readonly DiagnosticDescriptor InvalidEscape = Error("SDSL0003", "Unknown escape in text",
            "'{0}' is not an escape the language knows. Inside \"...\" write \\\" for a quote, \\\\ for a backslash, \\n for a line break.");

        public static readonly DiagnosticDescriptor MoneyPrecision = Error("SDSL0004", "Money with more than two decimals",
            "Money '{0}' has more than two decimals. Write yuan with at most two decimals, e.g. 599.00 or 0.50.");

        public static readonly DiagnosticDescriptor InvalidNumber = Error("SDSL0005", "Invalid number or date",
            "'{0}' is not a valid {1}. {2}");

        public static readonly DiagnosticDescriptor MissingShop = Error("SDSL0006", "No shop block",
            "This file has no 'shop' block. Every .csdsl file starts with: shop ID \"display name\" {{ ... }}.");

        public static readonly DiagnosticDescriptor SecondShop = Error("SDSL0007", "Second shop in one file",
            "A file holds exactly one shop, but this file also declares shop '{0}'. Move shop '{0}' to its own .csdsl file.");

        public static readonly DiagnosticDescriptor InternalError = Error("SDSL0099", "Internal compiler error",
            "The script compiler failed on this file ({0}). This is a bug in ScriptDsl, not in your script; please report it with the file.");

        // ------------------------------------------------------------ names and structure
        public static readonly DiagnosticDescriptor DuplicateFact = Error("SDSL0100", "Duplicate fact",
            "Fact '{0}' is declared twice (first on line {1}). Give each fact its own name.");

        public static readonly DiagnosticDescriptor DuplicateSlot = Error("SDSL0101", "Duplicate slot",
            "Slot '{0}' is declared twice (first on line {1}). Give each slot its own name.");

        public static readonly DiagnosticDescriptor UnknownSlot = Error("SDSL0102", "Unknown slot",
            "There is no slot '{0}'{1}. Declare it with 'slot {0}: ...' or fix the name.");

        public static readonly DiagnosticDescriptor DuplicateConcept = Error("SDSL0104", "Duplicate concept",
            "Concept '{0}' is declared twice (first on line {1}). Merge the phrases into one concept.");

        public static readonly DiagnosticDescriptor UnknownConcept = Error("SDSL0105", "Unknown concept",
            "There is no concept '{0}'{1}. Declare it with 'concept {0} = \"...\"' or fix the name.");

        public static readonly DiagnosticDescriptor DuplicateStage = Error("SDSL0106", "Duplicate stage",
            "Stage '{0}' is declared twice (first on line {1}); a recommend block is a stage too. Rename one of them.");

        public static readonly DiagnosticDescriptor UnknownStage = Error("SDSL0107", "Unknown stage",
            "There is no stage '{0}'{1}. 'next' and 'then' must name a stage or recommend block of this shop.");

        public static readonly DiagnosticDescriptor DuplicateItem = Error("SDSL0108", "Duplicate item",
            "Item '{0}' is declared twice (first on line {1}). Give each item its own name.");

        public static readonly DiagnosticDescriptor UnknownItem = Error("SDSL0109", "Unknown item",
            "There is no item '{0}'{1}. Declare it with 'item {0} sku \"...\" name \"...\" price ... category ...' or fix the name.");

        public static readonly DiagnosticDescriptor DuplicatePolicy = Error("SDSL0110", "Duplicate policy",
            "Policy '{0}' is declared twice (first on line {1}). Rename one of them.");

        public static readonly DiagnosticDescriptor UnknownPolicy = Error("SDSL0111", "Unknown policy",
            "There is no policy '{0}' for this shop{1}. Declare 'policy {0} for {2} {{ ... }}' in this file or fix the name.");

        public static readonly DiagnosticDescriptor UnreachableStage = Error("SDSL0114", "Stage nothing can reach",
            "Nothing leads to stage '{0}': no 'next' or 'then' names it and it is not the first stage. Add 'next {0}' or 'then {0}' where the conversation should go there, or remove it.");

        public static readonly DiagnosticDescriptor ShadowedTrigger = Error("SDSL0115", "Trigger phrase shadowed",
            "Phrase \"{0}\" of '{1}' can never fire: '{2}' already reacts to the same phrase (line {3}). Remove one of them or make the phrase more specific.");

        public static readonly DiagnosticDescriptor StageWithoutReply = Error("SDSL0116", "Stage with no reply",
            "Stage '{0}' never says anything: none of its intents has a 'reply' or an 'ask'. Add a reply.");

        public static readonly DiagnosticDescriptor DuplicateIntent = Error("SDSL0117", "Duplicate intent",
            "Intent '{0}' is declared twice (first on line {1}). Intent names (stage names, quick names, objection kinds, order, farewell, complaint, escalate) must be unique in a shop.");

        public static readonly DiagnosticDescriptor ComplaintStepOrder = Error("SDSL0118", "Complaint steps out of order",
            "Complaint step '{0}' {1}. The steps go in this order, each at most once: confirm, apologize, collect, remedy, opinion, follow_up (confirm, apologize and remedy are required).");

        public static readonly DiagnosticDescriptor FallbackCount = Error("SDSL0119", "Fallback missing or repeated",
            "Shop '{0}' {1}. Every shop has exactly one 'fallback reply \"...\"' for messages nothing else answers.");

        public static readonly DiagnosticDescriptor DuplicateShopId = Error("SDSL0120", "Duplicate shop id",
            "Shop id '{0}' is already used by {1}. Every shop needs its own id across all scripts.");

        public static readonly DiagnosticDescriptor PolicyForOtherShop = Error("SDSL0121", "Policy for another shop",
            "Policy '{0}' is for shop '{1}', but this file declares shop '{2}'. A policy lives in the same file as its shop: write 'policy {0} for {2}'.");

        public static readonly DiagnosticDescriptor RepeatedSetting = Error("SDSL0122", "Statement allowed once",
            "'{0}' may appear only once in a shop (first on line {1}). Keep one of them.");

        public static readonly DiagnosticDescriptor FactTypeMismatch = Error("SDSL0123", "Fact value of the wrong type",
            "Fact '{0}' is declared as {1} but its value is {2}. {3}");

        public static readonly DiagnosticDescriptor UnknownCategory = Error("SDSL0124", "Unknown category",
            "No item has category '{0}'{1}. Cross-sell categories must be categories of this shop's items.");

        public static readonly DiagnosticDescriptor UnnamedIntentTwice = Error("SDSL0125", "Two unnamed intents in a stage",
            "Stage '{0}' already has an unnamed intent (line {1}); it is named after the stage. Name this one with 'intent NAME on ...'.");

        public static readonly DiagnosticDescriptor ConceptCycle = Error("SDSL0126", "Concept includes itself",
            "Concept '{0}' includes itself through {1}. Remove the circular 'concept' reference.");

        public static readonly DiagnosticDescriptor MissingReplyVariant = Error("SDSL0127", "Recommend without reply",
            "Recommend block '{0}' has no 'reply'. Add a reply that presents the item, e.g. reply \"推荐这款{{{{ item.name }}}}呢\".");

        public static readonly DiagnosticDescriptor EmptyRecommend = Error("SDSL0128", "Recommend without rules",
            "Recommend block '{0}' has no rule. Add 'if CONDITION -> ITEM' rules and an 'else -> ITEM'.");

        // ------------------------------------------------------------ lints (warnings, silence with // sdsl:allow SDSL10xx)
        public static readonly DiagnosticDescriptor AbsolutePromise = Warning("SDSL1001", "Absolute promise",
            "Reply promises too much with '{0}'. The service standard says to leave room: use 尽量, 努力 or 争取 instead (or add '// sdsl:allow SDSL1001' if it is really meant).");

        public static readonly DiagnosticDescriptor ForbiddenPhrase = Warning("SDSL1002", "Phrase the service standard forbids",
            "Reply uses '{0}', which the service standard forbids because it hurts the buyer. Rephrase it politely (or add '// sdsl:allow SDSL1002').");

        public static readonly DiagnosticDescriptor ReplyTooLong = Warning("SDSL1003", "Reply too long",
            "Reply is about {0} characters, longer than {1}. The standard says 多写短句: split it into variants or shorter sentences (or raise max_reply_length).");

        public static readonly DiagnosticDescriptor TooFewQuestionsBeforeRecommend = Warning("SDSL1005", "Recommending before asking enough",
            "'{0}' goes to recommend block '{1}' after asking {2} question(s); the standard asks at least {3} (盲目推荐是低效的). Add slots to its 'ask' (or lower questions_before_recommend, or add '// sdsl:allow SDSL1005').");

        public static readonly DiagnosticDescriptor LiteralFigure = Warning("SDSL1009", "Reply states a figure the shop computes",
            "Reply states '{0}' as fixed text, but {1}: the figure is false for other carts. Write '{{{{ {2} }}}}' instead (or add '// sdsl:allow SDSL1009' if this exact figure is meant).");

        public static readonly DiagnosticDescriptor NoSofteningParticle = Warning("SDSL1004", "Reply without a softening particle",
            "Reply uses none of the shop's softening particles ({0}). The standard says 用词简单生硬影响客户体验: end a sentence with one of them (or add '// sdsl:allow SDSL1004').");
    }
}
