using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>A slot as conditions see it: <paramref name="Ordinal"/> indexes ScriptScope.Slots.</summary>
    internal sealed record ScopeSlot(string Name, ValueKind Kind, int Ordinal, IReadOnlyList<ScopeChoice> Choices);

    /// <summary>One of a choice slot's values and its synonyms (normalized, as the slot declares them).</summary>
    internal sealed record ScopeChoice(string Value, IReadOnlyList<string> Synonyms);

    /// <summary>A member of a built-in object: <paramref name="Property"/> of the runtime object; <paramref name="ObjectName"/> when it is an object itself.</summary>
    internal sealed record ScopeMember(string Name, ValueKind Kind, string Property, string? ObjectName = null, bool Narrow = false);

    /// <summary>
    /// A built-in root name (<c>cart</c>, <c>item</c>, <c>total</c>, ...): what it is where it exists,
    /// or, where it does not, the diagnostic saying where it does (<paramref name="Unavailable"/>).
    /// </summary>
    internal sealed record ScopeRoot(string Name, ValueRoot Root, ScopeMember Value, DiagnosticDescriptor? Unavailable = null, string[]? UnavailableArgs = null);

    /// <summary>
    /// What names exist where, for the one condition binder: the slots, facts and built-in values of a
    /// recommend rule or gift <c>when</c> (<see cref="ForRules"/>), or of a reply template
    /// (<see cref="ForTemplate"/>: also item, policy values and loop variables, as the context allows).
    /// The binder resolves, types and reports the same way for both; only what exists differs.
    /// </summary>
    internal sealed class ConditionScope
    {
        private static readonly ScopeMember[] ShopMembers =
        {
            new ScopeMember("name", ValueKind.Text, "DisplayName"),
            new ScopeMember("id", ValueKind.Text, "Id"),
            new ScopeMember("honorific", ValueKind.Text, "Honorific"),
        };

        private static readonly ScopeMember[] CartMembers =
        {
            new ScopeMember("total", ValueKind.Money, "TotalMinor"),
            new ScopeMember("count", ValueKind.Int, "Count"),
            new ScopeMember("lines", ValueKind.List, "Lines"),
        };

        private static readonly ScopeMember[] BuyerMembers =
        {
            new ScopeMember("tier", ValueKind.Text, "Tier"),
        };

        /// <summary>The members of every object a template may read, by object name.</summary>
        private static readonly Dictionary<string, ScopeMember[]> TemplateObjects = new Dictionary<string, ScopeMember[]>(StringComparer.Ordinal)
        {
            ["shop"] = ShopMembers,
            ["cart"] = CartMembers,
            ["buyer"] = BuyerMembers,
            ["item"] = new[]
            {
                new ScopeMember("sku", ValueKind.Text, "Sku"),
                new ScopeMember("name", ValueKind.Text, "Name"),
                new ScopeMember("price", ValueKind.Money, "PriceMinor"),
                new ScopeMember("point", ValueKind.Text, "Point"),
                new ScopeMember("category", ValueKind.Text, "Category"),
            },
            ["use_period"] = new[]
            {
                new ScopeMember("years", ValueKind.Int, "UsePeriodYears", Narrow: true),
                new ScopeMember("days", ValueKind.Int, "UsePeriodDays", Narrow: true),
            },
            ["gift"] = new[]
            {
                new ScopeMember("name", ValueKind.Text, "GiftName"),
                new ScopeMember("cost", ValueKind.Money, "GiftCostMinor"),
            },
            ["coupon"] = new[]
            {
                new ScopeMember("name", ValueKind.Text, "CouponName"),
                new ScopeMember("threshold", ValueKind.Money, "CouponThresholdMinor"),
                new ScopeMember("amount", ValueKind.Money, "CouponAmountMinor"),
            },
            ["line"] = new[]
            {
                new ScopeMember("sku", ValueKind.Text, "Sku"),
                new ScopeMember("name", ValueKind.Text, "Name"),
                new ScopeMember("price", ValueKind.Money, "UnitPriceMinor"),
                new ScopeMember("quantity", ValueKind.Int, "Quantity", Narrow: true),
                new ScopeMember("category", ValueKind.Text, "Category"),
                new ScopeMember("subtotal", ValueKind.Money, "SubtotalMinor"),
            },
        };

        /// <summary>
        /// What a rule or gift condition may read of the built-in objects: the values the engine has
        /// when it picks an item or a gift (no lines, no honorific).
        /// </summary>
        private static readonly Dictionary<string, ScopeMember[]> RuleObjects = new Dictionary<string, ScopeMember[]>(StringComparer.Ordinal)
        {
            ["shop"] = ShopMembers.Where(m => m.Name != "honorific").ToArray(),
            ["cart"] = CartMembers.Where(m => m.Name != "lines").ToArray(),
            ["buyer"] = BuyerMembers,
        };

        private static readonly ScopeRoot[] AlwaysRoots =
        {
            Object("shop", ValueRoot.Shop),
            Object("cart", ValueRoot.Cart),
            Object("buyer", ValueRoot.Buyer),
        };

        // Policy names: scalars read straight from the policy values, and objects whose members do.
        private static readonly ScopeMember[] PolicyValues =
        {
            new ScopeMember("total", ValueKind.Money, "TotalMinor"),
            new ScopeMember("list_total", ValueKind.Money, "ListTotalMinor"),
            new ScopeMember("per_day", ValueKind.Money, "PerDayMinor"),
            new ScopeMember("to_next_coupon", ValueKind.Money, "ToNextCouponMinor"),
            new ScopeMember("ask", ValueKind.Money, "AskMinor"),
            new ScopeMember("round", ValueKind.Int, "Round", Narrow: true),
            new ScopeMember("use_period", ValueKind.Object, string.Empty, "use_period"),
            new ScopeMember("gift", ValueKind.Object, string.Empty, "gift"),
            new ScopeMember("coupon", ValueKind.Object, string.Empty, "coupon"),
        };

        /// <summary>The policy names that are values of the cart alone, so every reply of a shop with a price policy may use them.</summary>
        private static readonly string[] CartPricingValues = { "total", "list_total", "per_day", "to_next_coupon", "use_period", "coupon" };

        private readonly List<string> _loopVariables = new List<string>();

        private ConditionScope(IReadOnlyList<ScopeSlot> slots, IReadOnlyList<FactSymbol> facts, IReadOnlyList<ScopeRoot> roots, Dictionary<string, ScopeMember[]> objects, bool choiceSynonyms, bool unansweredTextsEqual)
        {
            Slots = slots;
            Facts = facts;
            Roots = roots;
            Objects = objects;
            ChoiceSynonyms = choiceSynonyms;
            UnansweredTextsEqual = unansweredTextsEqual;
        }

        public IReadOnlyList<ScopeSlot> Slots { get; }

        public IReadOnlyList<FactSymbol> Facts { get; }

        /// <summary>The built-in root names, each available or saying where it is.</summary>
        public IReadOnlyList<ScopeRoot> Roots { get; }

        /// <summary>The members of each object, by object name.</summary>
        public Dictionary<string, ScopeMember[]> Objects { get; }

        /// <summary>The loop variables in scope, outermost first (a line of <c>cart.lines</c> each).</summary>
        public IReadOnlyList<string> LoopVariables => _loopVariables;

        /// <summary>
        /// A known text matches a choice by its normalized spelling or a synonym (scripts), not only
        /// exactly (templates: Scriban compares the slot's text exactly, and so must the compiled template).
        /// </summary>
        public bool ChoiceSynonyms { get; }

        /// <summary>
        /// Two unanswered text or choice slots are equal (Scriban: null == null); elsewhere an
        /// unanswered slot is unequal to every value.
        /// </summary>
        public bool UnansweredTextsEqual { get; }

        /// <summary>The names of a rule or gift condition: the shop's slots and facts, shop.name/id, cart.total/count, buyer.tier.</summary>
        public static ConditionScope ForRules(IEnumerable<SlotModel> slots, IEnumerable<FactSymbol> facts) =>
            new ConditionScope(
                slots.Select((s, i) => new ScopeSlot(s.Name, s.Kind, i, s.Choices.Select(c => new ScopeChoice(c.Value, c.Synonyms.ToArray())).ToArray())).ToArray(),
                facts.ToArray(),
                AlwaysRoots,
                RuleObjects,
                choiceSynonyms: true,
                unansweredTextsEqual: false);

        /// <summary>The names of a reply template in its context (item only in recommend/cross_sell, policy values in policies, the cart's pricing values with a price policy).</summary>
        public static ConditionScope ForTemplate(TemplateEnvironment environment)
        {
            var context = environment.Context;
            var roots = new List<ScopeRoot>(AlwaysRoots);
            var where = Describe(context);
            roots.Add(context == TemplateContextKind.Recommend || context == TemplateContextKind.CrossSell
                ? Object("item", ValueRoot.Item)
                : Object("item", ValueRoot.Item) with { Unavailable = DiagnosticDescriptors.TemplateItemOutsideRecommend, UnavailableArgs = new[] { "item", where } });
            foreach (var value in PolicyValues)
            {
                if (context == TemplateContextKind.Policy)
                {
                    roots.Add(new ScopeRoot(value.Name, ValueRoot.Policy, value));
                }
                else if (Array.IndexOf(CartPricingValues, value.Name) >= 0)
                {
                    // The cart's pricing values exist in every reply of a shop with a price policy: the
                    // engine computes them for the conversation's cart (a caller that renders without
                    // them reads zeros).
                    roots.Add(environment.HasPricing
                        ? new ScopeRoot(value.Name, ValueRoot.Pricing, value)
                        : new ScopeRoot(value.Name, ValueRoot.Pricing, value, DiagnosticDescriptors.TemplateCartValueWithoutPolicy, new[] { value.Name }));
                }
                else
                {
                    roots.Add(new ScopeRoot(value.Name, ValueRoot.Policy, value, DiagnosticDescriptors.TemplatePolicyNameOutsidePolicy, new[] { value.Name, where }));
                }
            }

            return new ConditionScope(
                environment.Slots.Select(s => new ScopeSlot(s.Name, s.Kind, s.Ordinal, s.Choices.Select(c => new ScopeChoice(c, Array.Empty<string>())).ToArray())).ToArray(),
                environment.Facts.ToArray(),
                roots,
                TemplateObjects,
                choiceSynonyms: false,
                unansweredTextsEqual: true);
        }

        /// <summary>Opens <c>{{ for variable in ... }}</c>: the variable is a line of the cart inside the loop.</summary>
        public void PushLoopVariable(string name) => _loopVariables.Add(name);

        public void PopLoopVariable() => _loopVariables.RemoveAt(_loopVariables.Count - 1);

        /// <summary>The names a misspelt one is compared with for "did you mean": the ones that exist here.</summary>
        public IEnumerable<string> KnownNames()
        {
            for (var i = _loopVariables.Count - 1; i >= 0; i--)
            {
                yield return _loopVariables[i];
            }

            foreach (var fact in Facts)
            {
                yield return fact.Name;
            }

            foreach (var slot in Slots)
            {
                yield return slot.Name;
            }

            foreach (var root in Roots)
            {
                if (root.Unavailable is null)
                {
                    yield return root.Name;
                }
            }

            // And the members of the objects, so 'cart_total' suggests 'cart.total'.
            foreach (var root in Roots)
            {
                if (root.Unavailable is null && root.Value.ObjectName is { } objectName && Objects.TryGetValue(objectName, out var members))
                {
                    foreach (var member in members)
                    {
                        yield return root.Name + "." + member.Name;
                    }
                }
            }
        }

        private static ScopeRoot Object(string name, ValueRoot root) =>
            new ScopeRoot(name, root, new ScopeMember(name, ValueKind.Object, string.Empty, name));

        private static string Describe(TemplateContextKind context) => context switch
        {
            TemplateContextKind.Recommend => "recommend",
            TemplateContextKind.CrossSell => "cross_sell",
            TemplateContextKind.Policy => "policy",
            _ => "ordinary",
        };
    }
}
