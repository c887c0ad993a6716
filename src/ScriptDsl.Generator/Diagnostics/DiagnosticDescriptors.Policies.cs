using Microsoft.CodeAnalysis;

namespace ScriptDsl.Generator.Diagnostics
{
    // Bargaining policies (0300-0399): the checks of docs/design/policy-spec.md. A policy that no
    // intent uses and a policy used but not defined are the two sides of one rule; the second is the
    // language compiler's SDSL0111 (it is found while binding the objection), so SDSL0307 is not used.
    public static partial class DiagnosticDescriptors
    {
        public static readonly DiagnosticDescriptor SkuFloorAbovePrice = Error("SDSL0301", "Sku floor above the item's price",
            "Policy '{0}': floor sku \"{1}\" {2} is above the item's price {3}, so it can never be sold at its floor. Lower the floor to at most {3}.");

        public static readonly DiagnosticDescriptor GiftBelowFloor = Warning("SDSL0302", "Gift takes the cheapest cart below its floor",
            "Policy '{0}': gift \"{1}\" ({2}) with the gifts before it ({3}) takes a {4} cart below its floor ({5} floor, {6} payable), so it is skipped for such carts. Raise its 'when cart.total >=' to a cart with room for it, or lower its cost.");

        public static readonly DiagnosticDescriptor UnreachableStep = Warning("SDSL0303", "Step that can never be reached",
            "Policy '{0}': step '{1}' can never be reached: {2}. {3}");

        public static readonly DiagnosticDescriptor CouponNeverApplies = Warning("SDSL0304", "Coupon that never applies",
            "Policy '{0}': coupon \"{1}\" never applies: coupon \"{2}\" needs no more ({3}) and takes off at least as much ({4}). Remove it or raise its amount.");

        public static readonly DiagnosticDescriptor SplitWithoutPeriod = Error("SDSL0305", "Split period of zero",
            "Policy '{0}': {1} cannot split a price. State how long the goods are used, e.g. use_period 2 years.");

        public static readonly DiagnosticDescriptor MissingHold = Error("SDSL0306", "Missing or misplaced hold step",
            "Policy '{0}': {1}. End the steps with one hold step, e.g. step hold hold reply \"亲, 价格上实在不能便宜了呢, 真的很抱歉没能让您满意\".");

        public static readonly DiagnosticDescriptor PolicyNeverUsed = Warning("SDSL0308", "Policy no intent uses",
            "Policy '{0}' for {1} is never used. Add 'use policy {0}' to an objection (e.g. objection price on \"贵\" use policy {0}), or remove it.");

        public static readonly DiagnosticDescriptor MissingAccept = Error("SDSL0309", "No accept reply",
            "Policy '{0}' has no accept reply. Add e.g. accept reply \"好的亲, {{{{ total | money }}}}元给您改价哦\".");

        public static readonly DiagnosticDescriptor MissingFloor = Error("SDSL0310", "No floor",
            "Policy '{0}' has no floor (percent of list, cart, sku or category), so it has no bottom line. Add e.g. floor 90% of list.");

        public static readonly DiagnosticDescriptor InvalidMaxRounds = Error("SDSL0311", "max_rounds missing or out of range",
            "Policy '{0}': {1}. max_rounds is the number of asks answered before the price is held, a whole number from 1 to 1000, e.g. max_rounds 5.");

        public static readonly DiagnosticDescriptor InvalidPolicyNumber = Error("SDSL0312", "Percentage or beta out of range",
            "Policy '{0}': {1} is not a valid {2}. {3}");

        public static readonly DiagnosticDescriptor PolicyDuplicate = Error("SDSL0313", "Declared twice in a policy",
            "Policy '{0}': {1} is declared twice (first on line {2}). Keep one, or rename it.");

        public static readonly DiagnosticDescriptor CouponBelowFloor = Warning("SDSL0314", "Coupon crosses the floor",
            "Policy '{0}': coupon \"{1}\" takes a {2} cart to {3}, below its floor {4}: the public offer crosses the bottom line and bargaining has nothing to give. Lower the amount or the floor.");

        public static readonly DiagnosticDescriptor PolicyValueOutOfPlace = Error("SDSL0315", "Policy value that is empty here",
            "Policy '{0}': the {1} reply names '{2}', which {3}. Remove it from this reply{4}.");

        public static readonly DiagnosticDescriptor FreeShippingWithoutReply = Error("SDSL0316", "free_shipping grant without a reply",
            "Policy '{0}': free_shipping grant needs a reply, e.g. free_shipping grant reply \"亲, 我们是包邮的哦\".");

        public static readonly DiagnosticDescriptor CounterTooTimid = Warning("SDSL0317", "Counter step that concedes almost nothing",
            "Policy '{0}': counter step '{1}' can first run in round {2} of {3}, where beta {4} concedes {5}% of the room: on small rooms the policy holds at once. Use beta 0.5 or more, or put steps before it.");

        public static readonly DiagnosticDescriptor FloorForNothing = Warning("SDSL0318", "Floor for a sku or category the shop does not sell",
            "Policy '{0}': floor {1} \"{2}\" never applies: no item of shop {3} has that {1}{4}. Fix the name or remove the floor.");

        public static readonly DiagnosticDescriptor CouponAmountNotBelowThreshold = Error("SDSL0319", "Coupon amount not below its threshold",
            "Policy '{0}': coupon \"{1}\" takes off {2} of a {3} threshold. A coupon takes off more than nothing and less than it asks to spend, e.g. spend 300.00 off 20.00.");
    }
}
