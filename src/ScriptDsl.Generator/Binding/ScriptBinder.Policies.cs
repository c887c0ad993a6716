using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ScriptDsl.Generator.Diagnostics;
using ScriptDsl.Generator.Infrastructure;
using ScriptDsl.Generator.Parsing;
using ScriptDsl.Generator.Templates;

namespace ScriptDsl.Generator.Binding
{
    /// <summary>
    /// Bargaining policies: syntax → <see cref="PolicyModel"/> and the checks SDSL0301-0319 of
    /// docs/design/policy-spec.md. Every value the runtime's PolicyDefinition constructor would reject
    /// is a diagnostic here, so the generated constructor call never throws.
    /// </summary>
    public sealed partial class ScriptBinder
    {
        private const int DaysPerYear = 365;
        private const int MaxPolicyRounds = 1000;
        private const int WholeBasisPoints = 10000;

        /// <summary>A policy warning, unless <c>// sdsl:allow SDSL03xx</c> stands on its line or the line before.</summary>
        private void Warn(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourcePosition at, int length, params string[] args)
        {
            if (!IsAllowed(descriptor.Id, at.Line))
            {
                Report(descriptor, at, length, args);
            }
        }

        private void Warn(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Ident at, params string[] args) =>
            Warn(descriptor, at.Pos, at.Name.Length, args);

        private EquatableArray<PolicyModel> BindPolicies(ShopSyntax shop, IReadOnlyList<PolicySyntax> policies, List<ItemModel> items, List<IntentModel> intents)
        {
            var result = new List<PolicyModel>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var policy in policies)
            {
                _cancellation.ThrowIfCancellationRequested();
                if (!seen.Add(policy.Name.Name))
                {
                    continue; // SDSL0110 already
                }

                if (!intents.Any(i => string.Equals(i.Policy, policy.Name.Name, StringComparison.Ordinal)))
                {
                    Warn(DiagnosticDescriptors.PolicyNeverUsed, policy.Name, policy.Name.Name, shop.Id.Name);
                }

                result.Add(BindPolicy(policy, shop.Id.Name, items));
            }

            return new EquatableArray<PolicyModel>(result);
        }

        private PolicyModel BindPolicy(PolicySyntax policy, string shopId, List<ItemModel> items)
        {
            var name = policy.Name.Name;
            // False (and SDSL0313) when WHAT was declared before in this policy.
            var declared = new Declarations(this, DiagnosticDescriptors.PolicyDuplicate, name);
            bool First(string what, SourcePosition at, int length) => declared.First(what, at, length);

            UsePeriodSyntax? usePeriod = null;
            var usePeriodDays = 0;
            var maxRounds = 0;
            var maxRoundsValid = false;
            var percent = 0;
            long cartFloor = 0;
            var skus = new List<SkuFloorModel>();
            var categories = new List<KeyFloorModel>();
            var tiers = new List<KeyFloorModel>();
            var coupons = new List<(CouponModel Model, CouponSyntax Syntax)>();
            var gifts = new List<(GiftModel Model, GiftSyntax Syntax)>();
            var steps = new List<(PolicyStepModel Model, PolicyStepSyntax Syntax)>();
            ReplyModel? accept = null;
            ReplyModel? quote = null;
            ReplyModel? freeShippingReply = null;
            var grantFreeShipping = false;
            var percentOffAsTarget = true;
            var replies = new List<(RepliesSyntax Replies, string Where, bool GiftAllowed)>();

            foreach (var member in policy.Members)
            {
                switch (member)
                {
                    case UsePeriodSyntax period:
                        if (First("use_period", period.Pos, "use_period".Length) && TryInt(period.Amount, "use period", out var amount))
                        {
                            usePeriod = period;
                            var perUnit = period.Unit.Name.StartsWith("year", StringComparison.Ordinal) ? DaysPerYear : 1;
                            if (amount > int.MaxValue / perUnit)
                            {
                                Report(DiagnosticDescriptors.InvalidNumber, period.Amount.Pos, period.Amount.Text.Length, period.Amount.Text, "use period", "Write how long the goods are used, e.g. 2 years.");
                            }
                            else if (amount == 0)
                            {
                                Report(DiagnosticDescriptors.SplitWithoutPeriod, period.Amount.Pos, period.Amount.Text.Length, name, "use_period 0 " + period.Unit.Name);
                            }
                            else
                            {
                                usePeriodDays = (int)amount * perUnit;
                            }
                        }

                        break;

                    case MaxRoundsSyntax rounds:
                        if (First("max_rounds", rounds.Pos, "max_rounds".Length) && TryInt(rounds.Rounds, "number of rounds", out var r))
                        {
                            if (r < 1 || r > MaxPolicyRounds)
                            {
                                Report(DiagnosticDescriptors.InvalidMaxRounds, rounds.Rounds.Pos, rounds.Rounds.Text.Length, name, "max_rounds " + rounds.Rounds.Text + " is out of range");
                            }
                            else
                            {
                                maxRounds = (int)r;
                                maxRoundsValid = true;
                            }
                        }

                        break;

                    case FloorSyntax floor:
                        BindFloor(floor);
                        break;

                    case CouponSyntax coupon:
                    {
                        var okName = First("coupon \"" + coupon.Name.Value + "\"", coupon.Name.Pos, coupon.Name.Raw.Length + 2);
                        var okSpend = TryMoney(coupon.Spend, out var threshold);
                        var okOff = TryMoney(coupon.Off, out var off);
                        if (okSpend && okOff && (off == 0 || off >= threshold))
                        {
                            Report(DiagnosticDescriptors.CouponAmountNotBelowThreshold, coupon.Off.Pos, coupon.Off.Text.Length, name, coupon.Name.Value, FormatMoney(off), FormatMoney(threshold));
                            okOff = false;
                        }

                        ReplyModel? reply = null;
                        if (coupon.Replies is not null)
                        {
                            reply = BindReplies(coupon.Replies, name + "/" + coupon.Name.Value, TemplateContextKind.Policy, coupon.Pos.Line);
                            replies.Add((coupon.Replies, "coupon \"" + coupon.Name.Value + "\"", false));
                        }

                        if (okName && okSpend && okOff)
                        {
                            coupons.Add((new CouponModel(Name: coupon.Name.Value, ThresholdMinor: threshold, AmountMinor: off, Reply: reply, Line: coupon.Pos.Line), coupon));
                        }

                        break;
                    }

                    case GiftSyntax gift:
                    {
                        var okName = First("gift \"" + gift.Name.Value + "\"", gift.Name.Pos, gift.Name.Raw.Length + 2);
                        var ok = TryMoney(gift.Cost, out var cost);
                        long minCart = 0;
                        var condition = -1;
                        if (gift.When is not null)
                        {
                            if (IsCartTotalAtLeast(gift.When, out var threshold))
                            {
                                ok &= TryMoney(threshold, out minCart);
                            }
                            else
                            {
                                condition = AddCondition(gift.When, WhenText(gift), gift.Pos.Line);
                                ok &= condition >= 0;
                            }
                        }

                        var limit = -1;
                        if (gift.Limit is not null)
                        {
                            if (!TryInt(gift.Limit, "daily limit", out var l))
                            {
                                ok = false;
                            }
                            else if (l > int.MaxValue)
                            {
                                Report(DiagnosticDescriptors.InvalidNumber, gift.Limit.Pos, gift.Limit.Text.Length, gift.Limit.Text, "daily limit", "Write how many the shop gives away per day, e.g. limit 20 per day.");
                                ok = false;
                            }
                            else
                            {
                                limit = (int)l;
                            }
                        }

                        if (okName && ok)
                        {
                            gifts.Add((new GiftModel(Name: gift.Name.Value, CostMinor: cost, MinCartTotalMinor: minCart, Condition: condition, DailyLimit: limit, Line: gift.Pos.Line), gift));
                        }

                        break;
                    }

                    case FreeShippingSyntax shipping:
                        if (First("free_shipping", shipping.Pos, "free_shipping".Length))
                        {
                            grantFreeShipping = shipping.Grant;
                            if (shipping.Grant && shipping.Replies is null)
                            {
                                Report(DiagnosticDescriptors.FreeShippingWithoutReply, shipping.Pos, "free_shipping".Length, name);
                            }
                            else if (shipping.Replies is not null)
                            {
                                freeShippingReply = BindReplies(shipping.Replies, name + "/free_shipping", TemplateContextKind.Policy, shipping.Pos.Line);
                                replies.Add((shipping.Replies, "free_shipping", true));
                            }
                        }

                        break;

                    case PercentOffSyntax percentOff:
                        if (First("percent_off", percentOff.Pos, "percent_off".Length))
                        {
                            percentOffAsTarget = percentOff.Mode.Name == "target";
                        }

                        break;

                    case PolicyReplySyntax reply:
                        if (First(reply.Keyword, reply.Pos, reply.Keyword.Length))
                        {
                            var bound = BindReplies(reply.Replies, name + "/" + reply.Keyword, TemplateContextKind.Policy, reply.Pos.Line);
                            replies.Add((reply.Replies, reply.Keyword, reply.Keyword == "accept"));
                            if (reply.Keyword == "accept")
                            {
                                accept = bound;
                            }
                            else
                            {
                                quote = bound;
                            }
                        }

                        break;

                    case PolicyStepSyntax step:
                    {
                        var okName = First("step '" + step.Name.Name + "'", step.Name.Pos, step.Name.Name.Length);
                        var beta = BindBeta(name, step, out var okBeta);
                        var kind = step.Kind.Name switch
                        {
                            "explain" => "ExplainValue",
                            "coupon" => "Coupon",
                            "gift" => "Gift",
                            "split" => "Split",
                            "counter" => "Counter",
                            _ => "Hold",
                        };
                        var reply = BindReplies(step.Replies, name + "/" + step.Name.Name, TemplateContextKind.Policy, step.Pos.Line);
                        replies.Add((step.Replies, "step '" + step.Name.Name + "'", kind == "Gift" || kind == "Hold"));
                        if (okName && okBeta)
                        {
                            steps.Add((new PolicyStepModel(Name: step.Name.Name, Kind: kind, Reply: reply, Beta: beta, Line: step.Pos.Line), step));
                        }

                        break;
                    }
                }
            }

            void BindFloor(FloorSyntax floor)
            {
                var kind = floor.Kind.Name;
                var key = floor.Key;
                switch (kind)
                {
                    case "list":
                        if (First("floor % of list", floor.Pos, "floor".Length) && TryBasisPoints(name, floor.Value, "floor percentage", out var general))
                        {
                            percent = general;
                        }

                        break;
                    case "cart":
                        if (First("floor cart", floor.Pos, "floor".Length) && TryMoney(floor.Value, out var fen))
                        {
                            cartFloor = fen;
                        }

                        break;
                    case "sku":
                    {
                        var okName = First("floor sku \"" + key!.Text + "\"", key.Pos, key.Length);
                        if (!TryMoney(floor.Value, out var unit) || !okName)
                        {
                            break;
                        }

                        var item = items.FirstOrDefault(i => string.Equals(i.Sku, key.Text, StringComparison.Ordinal));
                        if (item is null)
                        {
                            Warn(DiagnosticDescriptors.FloorForNothing, key.Pos, key.Length, name, "sku", key.Text, shopId, Names.Suggest(key.Text, items.Select(i => i.Sku)));
                        }
                        else if (unit > item.PriceMinor)
                        {
                            Report(DiagnosticDescriptors.SkuFloorAbovePrice, floor.Value.Pos, floor.Value.Text.Length, name, key.Text, FormatMoney(unit), FormatMoney(item.PriceMinor));
                        }

                        skus.Add(new SkuFloorModel(Sku: key.Text, UnitMinor: unit));
                        break;
                    }

                    case "category":
                    {
                        var okName = First("floor category \"" + key!.Text + "\"", key.Pos, key.Length);
                        if (!TryBasisPoints(name, floor.Value, "floor percentage", out var bp) || !okName)
                        {
                            break;
                        }

                        if (!items.Any(i => string.Equals(i.Category, key.Text, StringComparison.Ordinal)))
                        {
                            Warn(DiagnosticDescriptors.FloorForNothing, key.Pos, key.Length, name, "category", key.Text, shopId, Names.Suggest(key.Text, items.Select(i => i.Category).Distinct(StringComparer.Ordinal)));
                        }

                        categories.Add(new KeyFloorModel(Key: key.Text, BasisPoints: bp));
                        break;
                    }

                    default:
                    {
                        var okName = First("floor tier \"" + key!.Text + "\"", key.Pos, key.Length);
                        if (TryBasisPoints(name, floor.Value, "floor percentage", out var bp) && okName)
                        {
                            tiers.Add(new KeyFloorModel(Key: key.Text, BasisPoints: bp));
                        }

                        break;
                    }
                }
            }

            // ---------------------------------------------------------------- required members
            if (!declared.Contains("max_rounds"))
            {
                Report(DiagnosticDescriptors.InvalidMaxRounds, policy.Name, name, "max_rounds is missing");
            }

            if (accept is null && !declared.Contains("accept"))
            {
                Report(DiagnosticDescriptors.MissingAccept, policy.Name, name);
            }

            if (!declared.Contains("floor % of list") && !declared.Contains("floor cart")
                && !policy.Members.OfType<FloorSyntax>().Any(f => f.Kind.Name == "sku" || f.Kind.Name == "category"))
            {
                Report(DiagnosticDescriptors.MissingFloor, policy.Name, name);
            }

            var allSteps = policy.Members.OfType<PolicyStepSyntax>().ToList();
            if (allSteps.Count == 0 || allSteps[allSteps.Count - 1].Kind.Name != "hold")
            {
                Report(DiagnosticDescriptors.MissingHold, policy.Name, name, allSteps.Count == 0 ? "no steps, so no hold step" : "the last step '" + allSteps[allSteps.Count - 1].Name.Name + "' is not a hold step");
            }

            for (var i = 0; i < allSteps.Count - 1; i++)
            {
                if (allSteps[i].Kind.Name == "hold")
                {
                    Report(DiagnosticDescriptors.MissingHold, allSteps[i].Name, name, "hold step '" + allSteps[i].Name.Name + "' is not the last step (after it the price never moves again)");
                }
            }

            if (usePeriod is null)
            {
                foreach (var split in allSteps.Where(s => s.Kind.Name == "split"))
                {
                    Report(DiagnosticDescriptors.SplitWithoutPeriod, split.Name, name, "split step '" + split.Name.Name + "' without use_period");
                }
            }

            // ---------------------------------------------------------------- checks over the whole policy
            var floors = new FloorCheck(percent, cartFloor, skus, categories);
            CheckSteps(name, steps, coupons.Count, gifts.Count, maxRoundsValid ? maxRounds : 0);
            CheckCoupons(name, coupons, floors);
            CheckGifts(name, gifts, coupons.Select(c => c.Model).ToList(), floors, items);
            foreach (var (syntax, where, giftAllowed) in replies)
            {
                CheckPolicyNames(name, syntax, where, giftAllowed, usePeriod is not null, coupons.Count > 0 || policy.Members.OfType<CouponSyntax>().Any());
            }

            return new PolicyModel(
                Name: name,
                Line: policy.Pos.Line,
                UsePeriodDays: usePeriodDays > 0 ? usePeriodDays : DaysPerYear,
                MaxRounds: Math.Max(1, maxRounds),
                PercentOfListBasisPoints: percent,
                CartFloorMinor: cartFloor,
                Skus: new EquatableArray<SkuFloorModel>(skus),
                Categories: new EquatableArray<KeyFloorModel>(categories),
                Tiers: new EquatableArray<KeyFloorModel>(tiers),
                Coupons: new EquatableArray<CouponModel>(coupons.Select(c => c.Model).ToArray()),
                Gifts: new EquatableArray<GiftModel>(gifts.Select(g => g.Model).ToArray()),
                Steps: new EquatableArray<PolicyStepModel>(steps.Select(s => s.Model).ToArray()),
                Accept: accept ?? new ReplyModel(EquatableArray<VariantModel>.Empty),
                GrantFreeShipping: grantFreeShipping,
                FreeShippingReply: freeShippingReply,
                PercentOffAsTarget: percentOffAsTarget,
                Quote: quote);
        }

        /// <summary><c>when cart.total >= MONEY</c>, exactly: the form the runtime and the checker reason about.</summary>
        private static bool IsCartTotalAtLeast(CondSyntax when, out NumberLit threshold)
        {
            threshold = null!;
            if (when is CompareSyntax { Op: ">=", Left.Path: { Count: 2 } path, Right: { Number: { IsDate: false, Percent: false } number } }
                && path[0].Name == "cart" && path[1].Name == "total")
            {
                threshold = number;
                return true;
            }

            return false;
        }

        /// <summary>The condition as written, for the comment in the generated code.</summary>
        private string WhenText(GiftSyntax gift)
        {
            var start = gift.When!.Pos.Offset;
            var end = gift.Limit is not null ? _text.LastIndexOf("limit", gift.Limit.Pos.Offset, StringComparison.Ordinal) : -1;
            if (end <= start)
            {
                end = _text.IndexOf('\n', start);
                if (end < 0)
                {
                    end = _text.Length;
                }
            }

            var text = _text.Substring(start, end - start);
            var comment = text.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0)
            {
                text = text.Substring(0, comment);
            }

            return string.Join(" ", text.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        }

        /// <summary>A percentage with at most two decimals in 0%..100%, as basis points (87.5% → 8750).</summary>
        private bool TryBasisPoints(string policy, NumberLit number, string what, out int basisPoints)
        {
            basisPoints = 0;
            var shown = number.Text + (number.Percent ? "%" : "");
            var dot = number.Text.IndexOf('.');
            var whole = dot < 0 ? number.Text : number.Text.Substring(0, dot);
            var fraction = dot < 0 ? "" : number.Text.Substring(dot + 1);
            if (!number.Percent || number.IsDate || fraction.Length > 2 || whole.Length > 3
                || !int.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out var w))
            {
                Report(DiagnosticDescriptors.InvalidPolicyNumber, number.Pos, shown.Length, policy, shown, what, "Write a percentage from 0% to 100% with at most two decimals, e.g. 85% or 87.5%.");
                return false;
            }

            var value = w * 100 + (fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(2, '0'), NumberStyles.None, CultureInfo.InvariantCulture));
            if (value > WholeBasisPoints)
            {
                Report(DiagnosticDescriptors.InvalidPolicyNumber, number.Pos, shown.Length, policy, shown, what, "A floor is a share of the price, from 0% to 100%.");
                return false;
            }

            basisPoints = value;
            return true;
        }

        /// <summary>β of a counter step: boulware 0.5 (also the default), linear 1, conceder 2, beta 0.01..100; 1 for other kinds.</summary>
        private decimal BindBeta(string policy, PolicyStepSyntax step, out bool ok)
        {
            ok = true;
            if (step.Kind.Name != "counter")
            {
                return 1m;
            }

            switch (step.Shape?.Name)
            {
                case null:
                case "boulware":
                    return 0.5m;
                case "linear":
                    return 1m;
                case "conceder":
                    return 2m;
            }

            var number = step.Beta!;
            if (!TryDecimal(number, out var beta) || beta < 0.01m || beta > 100m)
            {
                var shown = number.Text + (number.Percent ? "%" : "");
                Report(DiagnosticDescriptors.InvalidPolicyNumber, number.Pos, shown.Length, policy, "beta " + shown, "concession shape", "Beta lies in 0.01..100: use boulware (0.5), linear (1) or conceder (2), or e.g. beta 0.3.");
                ok = false;
                return 1m;
            }

            return beta;
        }

        // ------------------------------------------------------------------ steps: reachability and the concession curve

        private void CheckSteps(string policy, List<(PolicyStepModel Model, PolicyStepSyntax Syntax)> steps, int coupons, int gifts, int maxRounds)
        {
            // The earliest round each step can answer: one round per explain/coupon/split step before
            // it, at least one per gift step; nothing after a counter step (it concedes to the deadline).
            var rounds = 0;
            string? counter = null;
            foreach (var (model, syntax) in steps)
            {
                if (model.Kind == "Hold")
                {
                    continue;
                }

                string? why = null;
                string fix = "";
                if (counter is not null)
                {
                    why = "it comes after counter step '" + counter + "', which concedes until round max_rounds";
                    fix = "Move it before the counter step.";
                }
                else if (model.Kind == "Gift" && gifts == 0)
                {
                    why = "the policy has no gift";
                    fix = "Add gift \"NAME\" cost X lines, or remove the step.";
                }
                else if (model.Kind == "Coupon" && coupons == 0)
                {
                    why = "the policy has no coupon";
                    fix = "Add coupon \"NAME\" spend X off Y, or remove the step.";
                }
                else if (maxRounds > 0 && rounds + 1 > maxRounds)
                {
                    why = "it can first answer in round " + (rounds + 1).ToString(CultureInfo.InvariantCulture) + ", after max_rounds " + maxRounds.ToString(CultureInfo.InvariantCulture);
                    fix = "Raise max_rounds or remove steps before it.";
                }

                if (why is not null)
                {
                    Warn(DiagnosticDescriptors.UnreachableStep, syntax.Name, policy, model.Name, why, fix);
                    continue;
                }

                if (model.Kind == "Counter")
                {
                    counter = model.Name;
                    CheckCurve(policy, model, syntax, rounds + 1, maxRounds);
                }
                else
                {
                    rounds++;
                }
            }
        }

        /// <summary>SDSL0317: the share of the room the curve concedes in the counter step's first possible round, (k/T)^(1/β).</summary>
        private void CheckCurve(string policy, PolicyStepModel step, PolicyStepSyntax syntax, int round, int maxRounds)
        {
            if (maxRounds <= 0 || round >= maxRounds)
            {
                return;
            }

            var beta = step.Beta;

            // A build-time estimate for a warning, not money: double is precise enough here.
            var share = Math.Pow((double)round / maxRounds, 1.0 / (double)beta);
            if (share < 0.01)
            {
                Warn(DiagnosticDescriptors.CounterTooTimid, syntax.Name, policy, step.Name, round.ToString(CultureInfo.InvariantCulture), maxRounds.ToString(CultureInfo.InvariantCulture),
                    beta.ToString(CultureInfo.InvariantCulture), (share * 100).ToString("0.####", CultureInfo.InvariantCulture));
            }
        }

        // ------------------------------------------------------------------ coupons and gifts against the floor

        /// <summary>The floor rules, for the checks: the general percentage (no tier), the cart floor, sku and category floors.</summary>
        private sealed record FloorCheck(int Percent, long Cart, List<SkuFloorModel> Skus, List<KeyFloorModel> Categories)
        {
            /// <summary>The floor of a cart of TOTAL whose lines are unknown: the percentage, at least the cart floor.</summary>
            public long OfTotal(long total) => Math.Max(ShareUp(total, Percent), Cart);

            /// <summary>The floor of a cart holding one unit of ITEM, as CartPricing computes it.</summary>
            public long OfItem(ItemModel item)
            {
                var floor = ShareUp(item.PriceMinor, Percent);
                foreach (var sku in Skus.Where(s => string.Equals(s.Sku, item.Sku, StringComparison.Ordinal)))
                {
                    floor = Math.Max(floor, sku.UnitMinor);
                }

                foreach (var category in Categories.Where(c => string.Equals(c.Key, item.Category, StringComparison.Ordinal)))
                {
                    floor = Math.Max(floor, ShareUp(item.PriceMinor, category.BasisPoints));
                }

                return Math.Max(floor, Cart);
            }

            /// <summary>⌈amount × bp / 10000⌉ in decimal (no overflow for any money the language accepts).</summary>
            private static long ShareUp(long amount, int basisPoints) =>
                (long)Math.Ceiling(amount * (decimal)basisPoints / WholeBasisPoints);
        }

        /// <summary>The coupon a list total gets: the largest amount whose threshold it reaches (CartPricing's rule).</summary>
        private static long CouponFor(List<CouponModel> coupons, long list)
        {
            long best = 0;
            foreach (var coupon in coupons)
            {
                if (coupon.ThresholdMinor <= list && coupon.AmountMinor > best)
                {
                    best = coupon.AmountMinor;
                }
            }

            return best;
        }

        private void CheckCoupons(string policy, List<(CouponModel Model, CouponSyntax Syntax)> coupons, FloorCheck floors)
        {
            for (var i = 0; i < coupons.Count; i++)
            {
                var (coupon, syntax) = coupons[i];

                // Dominated: another coupon needs no more and takes off at least as much (an earlier one on a tie).
                var better = coupons.Where((other, j) => j != i
                        && other.Model.ThresholdMinor <= coupon.ThresholdMinor
                        && other.Model.AmountMinor >= coupon.AmountMinor
                        && (j < i || other.Model.ThresholdMinor < coupon.ThresholdMinor || other.Model.AmountMinor > coupon.AmountMinor))
                    .Select(c => c.Model)
                    .FirstOrDefault();
                if (better is not null)
                {
                    Warn(DiagnosticDescriptors.CouponNeverApplies, syntax.Name.Pos, syntax.Name.Raw.Length + 2, policy, coupon.Name, better.Name,
                        FormatMoney(better.ThresholdMinor), FormatMoney(better.AmountMinor));
                    continue;
                }

                var floor = floors.OfTotal(coupon.ThresholdMinor);
                var payable = coupon.ThresholdMinor - coupon.AmountMinor;
                if (payable < floor)
                {
                    Warn(DiagnosticDescriptors.CouponBelowFloor, syntax.Off.Pos, syntax.Off.Text.Length, policy, coupon.Name,
                        FormatMoney(coupon.ThresholdMinor), FormatMoney(payable), FormatMoney(floor));
                }
            }
        }

        /// <summary>
        /// SDSL0302. The cheapest eligible cart of a gift: the larger of its <c>when cart.total &gt;=</c> and
        /// the cheapest item that leaves any room between its floor and its payable price (an item
        /// without room is never bargained over, so no gift is meant for it). A gift with another kind
        /// of condition is checked like one without.
        /// </summary>
        private void CheckGifts(string policy, List<(GiftModel Model, GiftSyntax Syntax)> gifts, List<CouponModel> coupons, FloorCheck floors, List<ItemModel> items)
        {
            var cheapest = items
                .Where(i => i.PriceMinor > 0 && floors.OfItem(i) < i.PriceMinor - CouponFor(coupons, i.PriceMinor))
                .OrderBy(i => i.PriceMinor)
                .FirstOrDefault();
            for (var k = 0; k < gifts.Count; k++)
            {
                var (gift, syntax) = gifts[k];
                long total;
                long floor;
                if (cheapest is not null && cheapest.PriceMinor >= gift.MinCartTotalMinor)
                {
                    total = cheapest.PriceMinor;
                    floor = floors.OfItem(cheapest);
                }
                else if (gift.MinCartTotalMinor > 0)
                {
                    total = gift.MinCartTotalMinor;
                    floor = floors.OfTotal(total);
                }
                else
                {
                    continue; // no item and no threshold: nothing to check against
                }

                var payable = total - CouponFor(coupons, total);
                long before = 0;
                for (var j = 0; j < k; j++)
                {
                    if (gifts[j].Model.MinCartTotalMinor <= total)
                    {
                        before += gifts[j].Model.CostMinor;
                    }
                }

                if (floor + before + gift.CostMinor > payable)
                {
                    Warn(DiagnosticDescriptors.GiftBelowFloor, syntax.Name.Pos, syntax.Name.Raw.Length + 2, policy, gift.Name, FormatMoney(gift.CostMinor),
                        FormatMoney(before), FormatMoney(total), FormatMoney(floor), FormatMoney(payable));
                }
            }
        }

        // ------------------------------------------------------------------ names a policy reply may use

        /// <summary>
        /// SDSL0315: a reply that names a policy value which is always empty where the reply is said.
        /// The template compiler has already checked that every name exists and says which names
        /// each reply uses; this checks the roots that depend on the step.
        /// </summary>
        private void CheckPolicyNames(string policy, RepliesSyntax replies, string where, bool giftAllowed, bool hasUsePeriod, bool hasCoupons)
        {
            foreach (var literal in replies.Variants)
            {
                if (!_compiledReplies.TryGetValue(literal, out var compiled))
                {
                    continue;
                }

                foreach (var use in compiled.Names)
                {
                    var path = use.Path;
                    var root = path.Split('.')[0];
                    string? why = null;
                    var fix = "";
                    switch (root)
                    {
                        case "gift" when !giftAllowed:
                            why = "is empty outside gift steps, hold steps, accept and free_shipping";
                            fix = " or say it in the gift step";
                            break;
                        case "per_day":
                        case "use_period":
                            if (!hasUsePeriod)
                            {
                                why = "needs a use period, and this policy has none";
                                fix = " or add use_period, e.g. use_period 2 years";
                            }

                            break;
                        case "coupon":
                        case "to_next_coupon":
                            if (!hasCoupons)
                            {
                                why = "is empty in a policy without coupons";
                                fix = " or add a coupon";
                            }

                            break;
                    }

                    if (why is not null)
                    {
                        Report(DiagnosticDescriptors.PolicyValueOutOfPlace, use.Start, path.Length, policy, where, path, why, fix);
                    }
                }
            }
        }
    }
}
