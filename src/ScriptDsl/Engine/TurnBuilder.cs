using ScriptDsl.Bargaining;
using ScriptDsl.Model;
using ScriptDsl.Templates;

namespace ScriptDsl.Engine;

/// <summary>
/// Accumulates one turn: messages, actions, and the state changes, applied to copies so the input
/// state is never touched. Each public method is one rule of the seeds' workflow.
/// </summary>
internal sealed class TurnBuilder
{
    private readonly ShopDefinition _shop;
    private readonly ConversationState _input;
    private readonly BuyerContext _context;
    private readonly TurnOptions _options;
    private readonly List<ReplyMessage> _messages = [];
    private readonly List<TurnAction> _actions = [];
    private readonly Dictionary<string, string> _slots;
    private SlotValue[]? _slotValues; // _slots as typed values, made once per change of _slots (a turn renders several templates)
    private readonly List<string> _asked;
    private readonly Dictionary<string, int> _rotation;
    private string _intent = "";
    private string _pendingSlot;
    private string _pendingIntent;
    private string _lastFallback;
    private bool _orderPlaced;
    private int _complaintStep;
    private bool _complaintWaiting;
    private bool _usedFallback;
    private BargainingState _bargaining;
    private string _recommendedSku;
    private PolicyUse? _policyUse;
    private TurnPricing? _pricing;
    private string _replyKind = ReplyKinds.Fallback;
    private IReadOnlyList<string> _clarifyOptions = [];
    private long _agreedTotal;

    public TurnBuilder(ShopDefinition shop, ConversationState state, BuyerContext context, TurnOptions options, string normalized)
    {
        Normalized = normalized;
        _shop = shop;
        _input = state;
        _context = context;
        _options = options;
        _slots = new Dictionary<string, string>(state.Slots, StringComparer.Ordinal);
        _asked = [.. state.Asked];
        _rotation = new Dictionary<string, int>(state.Rotation, StringComparer.Ordinal);
        _pendingSlot = state.PendingSlot;
        _pendingIntent = state.PendingIntent;
        _lastFallback = state.LastFallback;
        _orderPlaced = state.OrderPlaced;
        _complaintStep = state.ComplaintStep;
        _complaintWaiting = state.ComplaintWaiting;
        _bargaining = state.Bargaining;
        _recommendedSku = state.RecommendedSku;
        _agreedTotal = state.AgreedTotalMinor;
        StageIndex = IndexOfStage(state.Stage);
        if (StageIndex < 0)
        {
            StageIndex = shop.InitialStage;
        }
    }

    public int StageIndex { get; private set; }

    /// <summary>The buyer's message after <see cref="Text.TextNormalizer"/>.</summary>
    public string Normalized { get; }

    public string PendingSlot => _pendingSlot;

    public IReadOnlyDictionary<string, string> Slots => _slots;

    /// <summary>Records a slot value the buyer gave; a later mention overrides an earlier one.</summary>
    public void Fill(string slot, string canonicalValue)
    {
        _slots[slot] = canonicalValue;
        _slotValues = null;
        if (string.Equals(_pendingSlot, slot, StringComparison.Ordinal))
        {
            _pendingSlot = "";
        }
    }

    public void RunIntent(int index, bool greetingOnly)
    {
        var intent = _shop.Intents[index];
        if (!greetingOnly || _intent.Length == 0)
        {
            _intent = intent.Name;
        }

        switch (intent.Kind)
        {
            case IntentKind.OrderPlaced:
                _replyKind = ReplyKinds.Intent;
                Say(intent.Name, intent.Reply, null);
                if (_shop.PaymentReminder is { } reminder && !MessageReading.SaysPaid(Normalized))
                {
                    // The seeds' 通知付款建议: an order placed and not yet paid is kept N days; remind.
                    Say("payment_reminder", reminder.Reply, null);
                }

                Flag(intent);
                _orderPlaced = true;
                _pendingIntent = "";
                _pendingSlot = "";
                CrossSell();
                MoveAfter(intent);
                return;

            case IntentKind.Complaint:
                _replyKind = ReplyKinds.Complaint;
                StartComplaint(intent);
                return;

            case IntentKind.Objection when intent.Policy is not null:
                RunPolicy(intent, null);
                return;

            case IntentKind.Quote:
                RunQuote(intent);
                return;

            case IntentKind.Close:
                RunClose(intent);
                return;

            default:
                if (!greetingOnly || _replyKind == ReplyKinds.Fallback)
                {
                    _replyKind = ReplyKinds.Intent;
                }

                Say(intent.Name, intent.Reply, null);
                Flag(intent);
                if (intent.Escalation is not null)
                {
                    _actions.Add(new EscalateAction(intent.Escalation.To, intent.Escalation.Reason));
                }

                if (greetingOnly)
                {
                    // The greeting of a first turn that also asked something: greet, and let the
                    // other intent decide where the conversation goes.
                    MoveAfter(intent);
                    return;
                }

                if (intent.AskSlots.Count > 0 || intent.Then >= 0)
                {
                    _pendingIntent = intent.Name;
                    AskOrAdvance(intent);
                }
                else
                {
                    MoveAfter(intent);
                }

                return;
        }
    }

    /// <summary>
    /// Nothing was triggered: carry on what is open (answer to our last question, the complaint
    /// flow), or say goodbye once the order is placed. False when nothing is open.
    /// </summary>
    public bool ContinueOpenWork(IReadOnlyList<string> filledNow, string rawMessage)
    {
        if (_pendingSlot.Length > 0)
        {
            var slot = FindSlot(_pendingSlot);
            if (slot >= 0 && _shop.Slots[slot].Kind == SlotKind.Text && rawMessage.Trim().Length > 0)
            {
                // An open question about free text: the whole answer is the value.
                var name = _shop.Slots[slot].Name;
                Fill(name, rawMessage.Trim());
                filledNow = [.. filledNow, name];
            }
        }

        if (_complaintStep >= 0)
        {
            _replyKind = ReplyKinds.Complaint;
            ContinueComplaint();
            return true;
        }

        if (_pendingIntent.Length > 0 && filledNow.Count > 0)
        {
            var pending = FindIntent(_pendingIntent);
            if (pending >= 0)
            {
                _intent = _pendingIntent;
                _replyKind = ReplyKinds.SlotAnswer;
                AskOrAdvance(_shop.Intents[pending]);
                return true;
            }
        }

        if (_pendingIntent.Length == 0 && filledNow.Count > 0 && IntentAsking(filledNow) is var asking and >= 0)
        {
            // 「我家20平」 with no question open: the buyer answered one of an intent's questions
            // before it was asked; that intent goes on (the next question, or what follows it).
            var said = _messages.Count;
            var intent = _shop.Intents[asking];
            _intent = intent.Name;
            _replyKind = ReplyKinds.SlotAnswer;
            _pendingIntent = intent.Name;
            AskOrAdvance(intent);
            if (_messages.Count > said)
            {
                return true;
            }
        }
        else if (_pendingIntent.Length == 0 && filledNow.Count > 0 && AskNextUnfilled())
        {
            // A slot no intent asks (「我家20平米」 to a shop that only uses it to recommend): noted,
            // and the next presale question moves the conversation on.
            _replyKind = ReplyKinds.SlotAnswer;
            return true;
        }

        if (_orderPlaced)
        {
            // The shop speaks last: once the order is placed, anything unmatched gets the farewell.
            var farewell = FindIntentOfKind(IntentKind.Farewell);
            if (farewell >= 0)
            {
                RunIntent(farewell, greetingOnly: false);
                return true;
            }
        }

        return false;
    }

    public void RunFallback()
    {
        _intent = "";
        _replyKind = ReplyKinds.Fallback;
        var reply = _shop.Fallback;
        var count = reply.Variants.Count;
        if (count == 0)
        {
            return;
        }

        var used = _rotation.GetValueOrDefault("fallback");
        var scope = Scope(null);
        for (var attempt = 0; attempt < count; attempt++)
        {
            var variant = reply.Variants[(used + attempt) % count];
            var text = variant.Template.Render(scope);
            if (!string.Equals(text, _lastFallback, StringComparison.Ordinal) || attempt == count - 1)
            {
                if (string.Equals(text, _lastFallback, StringComparison.Ordinal) && AskNextUnfilled())
                {
                    // Only one fallback wording exists and it was just said: ask something useful instead.
                    _usedFallback = true;
                    _lastFallback = "";
                    return;
                }

                _messages.Add(new ReplyMessage(text, variant.Id));
                _rotation["fallback"] = used + attempt + 1;
                _lastFallback = text;
                _usedFallback = true;
                return;
            }
        }
    }

    /// <summary>
    /// Two intents were too close to tell apart: ask which one was meant, naming each by its label
    /// (「亲, 您是想问发货时间还是退换货呢?」), and remember the options for the next message.
    /// </summary>
    public void RunClarify(int first, int second)
    {
        var a = _shop.Intents[first];
        var b = _shop.Intents[second];
        var honorific = _shop.Honorific.Length > 0 ? _shop.Honorific + ", " : "";
        _messages.Add(new ReplyMessage($"{honorific}您是想问{LabelOf(a)}还是{LabelOf(b)}呢?", "clarify"));
        _clarifyOptions = [a.Name, b.Name];
        _intent = "";
        _replyKind = ReplyKinds.Clarify;
    }

    /// <summary>How a clarification question names an intent: its label, else its name.</summary>
    public static string LabelOf(IntentDefinition intent) => intent.Label.Length > 0 ? intent.Label : intent.Name;

    /// <summary>A counter-offer named in chat (「900行不行」): the price objection's policy answers that ask.</summary>
    public void RunCounterOffer(int priceIntent, BargainAsk ask)
    {
        _intent = _shop.Intents[priceIntent].Name;
        RunPolicy(_shop.Intents[priceIntent], ask);
    }

    /// <summary>The cart a quote, a bargain or a close is about: the client's, else the item recommended last; null for none.</summary>
    public CartView? Cart() => CartForBargaining();

    /// <summary>The total now on the table for the cart: the last offer made on this same cart, else its payable total.</summary>
    public long ReferenceTotal(PolicyDefinition policy, CartView cart)
    {
        var priced = CartPricing.Price(policy, cart, _context.CustomerTier);
        return _bargaining.Round > 0 && _bargaining.CartListTotalMinor == priced.ListTotalMinor
            ? Math.Min(_bargaining.OfferedMinor, priced.PayableMinor)
            : priced.PayableMinor;
    }

    public PolicyDefinition? PolicyOf(IntentDefinition intent)
    {
        var name = intent.Policy;
        if (name is null && ShopRuntime.For(_shop).PriceIntent is var price and >= 0)
        {
            name = _shop.Intents[price].Policy;
        }

        foreach (var policy in _shop.Policies)
        {
            if (string.Equals(policy.Name, name, StringComparison.Ordinal))
            {
                return policy;
            }
        }

        return name is null && _shop.Policies.Count > 0 ? _shop.Policies[0] : null;
    }

    public TurnResult Finish(MatchKind match, double confidence)
    {
        var state = Snapshot();
        return new TurnResult(_messages, _intent, state.Stage, _slots, _actions, Suggestions(), state, _policyUse)
        {
            Match = match,
            Confidence = confidence,
            ClarifyOptions = _clarifyOptions,
            ReplyKind = _replyKind,
            Pricing = _pricing,
        };
    }

    private ConversationState Snapshot()
    {
        var stageName = _shop.Stages.Count > 0 ? _shop.Stages[StageIndex].Name : "";
        return _input with
        {
            ShopId = _shop.Id,
            ScriptHash = _shop.SourceHash,
            Stage = stageName,
            Turn = _input.Turn + 1,
            Slots = _slots,
            Asked = _asked,
            Rotation = _rotation,
            PendingSlot = _pendingSlot,
            PendingIntent = _pendingIntent,
            LastFallback = _usedFallback ? _lastFallback : "",
            OrderPlaced = _orderPlaced,
            ComplaintStep = _complaintStep,
            ComplaintWaiting = _complaintWaiting,
            RecommendedSku = _recommendedSku,
            Bargaining = _bargaining,
            ClarifyOptions = _clarifyOptions,
            AgreedTotalMinor = _agreedTotal,
            Notes = _input.Notes,
        };
    }

    private void AskOrAdvance(IntentDefinition intent)
    {
        foreach (var slot in intent.AskSlots)
        {
            if (Ask(slot))
            {
                return;
            }
        }

        var target = intent.Then;
        if (target >= 0 && _shop.Stages[target].Kind == StageKind.Recommend && _asked.Count < _shop.MinQuestionsBeforeRecommend)
        {
            // The seeds: ask at least N questions before recommending, so the recommendation fits.
            if (AskNextUnfilled())
            {
                return;
            }
        }

        _pendingIntent = "";
        _pendingSlot = "";
        if (target >= 0)
        {
            EnterStage(target);
        }
        else
        {
            MoveAfter(intent);
        }
    }

    /// <summary>Asks the slot if it is neither filled nor already asked. True when a question was added.</summary>
    private bool Ask(int slot)
    {
        var definition = _shop.Slots[slot];
        if (_slots.ContainsKey(definition.Name) || _asked.Contains(definition.Name, StringComparer.Ordinal))
        {
            return false;
        }

        Say("ask:" + definition.Name, definition.Question, null);
        _asked.Add(definition.Name);
        _pendingSlot = definition.Name;
        return true;
    }

    /// <summary>Asks the first presale slot neither filled nor asked yet (never an after-sale one).</summary>
    private bool AskNextUnfilled()
    {
        var afterSale = ShopRuntime.For(_shop).AfterSaleSlots;
        for (var slot = 0; slot < _shop.Slots.Count; slot++)
        {
            if (!afterSale[slot] && Ask(slot))
            {
                return true;
            }
        }

        return false;
    }

    private void EnterStage(int stage)
    {
        StageIndex = stage;
        var definition = _shop.Stages[stage];
        if (definition.Kind == StageKind.Recommend && definition.Recommend is not null)
        {
            Recommend(definition);
        }
    }

    private void Recommend(StageDefinition stage)
    {
        var recommend = stage.Recommend!;
        var scope = Scope(null);
        foreach (var rule in recommend.Rules)
        {
            if (rule.When is null || rule.When(scope))
            {
                var item = _shop.Items[rule.Item];
                Say(stage.Name, recommend.Reply, item);
                _actions.Add(new RecommendItemAction(item.Sku, item.Name, item.Point));
                _recommendedSku = item.Sku;
                if (_intent.Length == 0 || _intent == _pendingIntent)
                {
                    _intent = stage.Name;
                }

                break;
            }
        }

        if (stage.Next >= 0)
        {
            StageIndex = stage.Next;
        }
    }

    private void MoveAfter(IntentDefinition intent)
    {
        if (intent.Next >= 0)
        {
            EnterStage(intent.Next);
        }
        else if (intent.Kind == IntentKind.Stage && intent.Stage >= 0 && _shop.Stages[intent.Stage].Next >= 0)
        {
            EnterStage(_shop.Stages[intent.Stage].Next);
        }
        else if (intent.Kind == IntentKind.Stage && intent.Stage >= 0)
        {
            StageIndex = intent.Stage;
        }
    }

    private void Flag(IntentDefinition intent)
    {
        foreach (var flag in intent.Flags)
        {
            _actions.Add(new FlagOrderAction(flag.Color, flag.Note));
        }
    }

    /// <summary>The seeds: every buyer who bought is offered what goes with it.</summary>
    private void CrossSell()
    {
        foreach (var cross in _shop.CrossSells)
        {
            var bought = false;
            foreach (var line in _context.Cart.Lines)
            {
                if (string.Equals(line.Category, cross.AfterCategory, StringComparison.Ordinal))
                {
                    bought = true;
                    break;
                }
            }

            if (!bought)
            {
                continue;
            }

            ItemDefinition? offered = null;
            foreach (var item in _shop.Items)
            {
                if (cross.OfferCategories.Contains(item.Category, StringComparer.Ordinal) && !InCart(item.Sku))
                {
                    offered = item;
                    break;
                }
            }

            Say("cross_sell:" + cross.AfterCategory, cross.Reply, offered);
            if (offered is not null)
            {
                _actions.Add(new RecommendItemAction(offered.Sku, offered.Name, offered.Point));
            }
        }
    }

    private bool InCart(string sku)
    {
        foreach (var line in _context.Cart.Lines)
        {
            if (string.Equals(line.Sku, sku, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A price objection answered by the shop's bargaining policy: the buyer's words become an ask
    /// ("700行吗" a target, "打八折" a percentage, "包邮吗" free shipping, anything else "any better"),
    /// about the client's cart or, without one, the item just recommended.
    /// </summary>
    private void RunPolicy(IntentDefinition intent, BargainAsk? counterOffer)
    {
        var policy = _shop.Policy(intent.Policy);
        var cart = CartForBargaining();
        _replyKind = ReplyKinds.Negotiate;
        if (policy is null || cart is null)
        {
            // Nothing to price (no cart, nothing recommended yet) or a shop compiled without its
            // policy: answer in the intent's own words if it has any, else let the fallback ask.
            if (intent.Reply is not null)
            {
                _replyKind = ReplyKinds.Intent;
                Say(intent.Name, intent.Reply, null);
            }
            else if (policy is not null && PricelessValueStep(policy) is { } value)
            {
                // 「打个折呗」 before any cart: the policy's value step, whose words state no figure.
                _replyKind = ReplyKinds.Intent;
                Say("policy:" + policy.Name + ":" + value.Name, value.Reply, null);
            }
            else if (AskNextUnfilled())
            {
                // Nothing to say about a price yet: ask what the buyer wants.
                _replyKind = ReplyKinds.Intent;
            }
            else
            {
                RunFallback();
                _intent = intent.Name;
            }

            return;
        }

        var ask = counterOffer ?? BargainAskParser.Parse(Normalized, ReferenceTotal(policy, cart));
        var outcome = Negotiator.Decide(policy, _shop, cart, ask, _bargaining, _context.CustomerTier, _options.GiftStockToday);
        foreach (var message in outcome.Messages)
        {
            _messages.Add(new ReplyMessage(message.Text, message.VariantId));
        }

        if (outcome.Decision == BargainDecision.Gift && outcome.Gifts.Count > 0)
        {
            var gift = outcome.Gifts[^1];
            _actions.Add(new OfferGiftAction(gift.Name, gift.CostMinor));
        }

        _bargaining = outcome.State;
        _policyUse = new PolicyUse(policy.Name, outcome.Step, outcome.Decision, outcome.TotalMinor, outcome.GiftStockConsumed);
        var priced = CartPricing.Price(policy, cart, _context.CustomerTier);
        _pricing = new TurnPricing(
            ReplyKinds.Negotiate,
            policy.Name,
            outcome.Step,
            outcome.Decision,
            priced.ListTotalMinor,
            outcome.TotalMinor,
            AskTotal(policy, ask, priced.ListTotalMinor),
            MoneyMath.SplitUp(outcome.TotalMinor, policy.UsePeriodDays),
            priced.ToNextCouponMinor,
            outcome.Round);
    }

    /// <summary>The buyer's ask as a total, the way the policy judges it (打八折 on the list total); 0 for none.</summary>
    private static long AskTotal(PolicyDefinition policy, BargainAsk ask, long listTotal) => ask.Kind switch
    {
        AskKind.TargetTotal => ask.TargetTotalMinor,
        AskKind.DiscountPercent when policy.PercentOff == PercentOffHandling.AsTarget => listTotal - MoneyMath.ShareDown(listTotal, ask.DiscountPercent * 100),
        _ => 0,
    };

    /// <summary>
    /// 「你推荐的这几款灯一共多少钱呀?」: the policy's quote on the conversation's cart (list total, the
    /// coupon that applies, the amount to the next one, the per-day split). Without a cart, the rule's
    /// own reply if it has one, else the fallback.
    /// </summary>
    private void RunQuote(IntentDefinition intent)
    {
        var policy = PolicyOf(intent);
        var cart = CartForBargaining();
        _replyKind = ReplyKinds.Quote;
        if (policy is null || cart is null)
        {
            NothingToPrice(intent);
            return;
        }

        var quote = Quoter.Quote(policy, _shop, cart, _context.CustomerTier);
        if (quote.Messages.Count > 0)
        {
            foreach (var message in quote.Messages)
            {
                _messages.Add(new ReplyMessage(message.Text, message.VariantId));
            }
        }
        else
        {
            SayPriced(intent, policy, cart, quote.PayableTotalMinor);
        }

        Flag(intent);
        _pricing = new TurnPricing(ReplyKinds.Quote, policy.Name, "", null, quote.ListTotalMinor, quote.PayableTotalMinor, 0,
            quote.PerDayMinor, quote.ToNextCouponMinor, _bargaining.Round);
        MoveAfter(intent);
    }

    /// <summary>
    /// 促成交易: the buyer agrees. Confirm the cart and the total agreed — the last offer of a
    /// negotiation on this same cart, else the quote's payable total — with the rule's reply (its
    /// scope has <c>total</c>, <c>list_total</c>, <c>per_day</c>, <c>to_next_coupon</c>, the cart and
    /// <c>payment_days</c>), then the conversation waits for the order.
    /// </summary>
    private void RunClose(IntentDefinition intent)
    {
        var cart = CartForBargaining();
        _replyKind = ReplyKinds.Close;
        if (cart is null)
        {
            NothingToPrice(intent);
            return;
        }

        var policy = PolicyOf(intent);
        long list = cart.TotalMinor, total = cart.TotalMinor, perDay = 0, toNext = 0;
        if (policy is not null)
        {
            var priced = CartPricing.Price(policy, cart, _context.CustomerTier);
            list = priced.ListTotalMinor;
            total = ReferenceTotal(policy, cart);
            perDay = MoneyMath.SplitUp(total, policy.UsePeriodDays);
            toNext = priced.ToNextCouponMinor;
        }

        SayPriced(intent, policy, cart, total);
        Flag(intent);
        _agreedTotal = total;
        _pendingIntent = "";
        _pendingSlot = "";
        _pricing = new TurnPricing(ReplyKinds.Close, policy?.Name ?? "", "", null, list, total, 0, perDay, toNext, _bargaining.Round);
        MoveAfter(intent);
    }

    /// <summary>A quote or close with no cart to price: the rule's own words if any, else the fallback (the intent stays reported).</summary>
    private void NothingToPrice(IntentDefinition intent)
    {
        if (intent.Reply is not null && intent.Kind == IntentKind.Quote)
        {
            Say(intent.Name, intent.Reply, null);
            return;
        }

        if (intent.Kind == IntentKind.Close && AskNextUnfilled())
        {
            // 「我要了」 with nothing in the cart and nothing recommended: no total to confirm, so ask
            // what the buyer wants to buy (the next presale question) instead of the fallback's words.
            return;
        }

        var kind = _replyKind;
        RunFallback();
        _intent = intent.Name;
        _replyKind = kind;
    }

    /// <summary>Renders the rule's reply with the policy's values for the cart (total = <paramref name="totalMinor"/>).</summary>
    private void SayPriced(IntentDefinition intent, PolicyDefinition? policy, CartView cart, long totalMinor)
    {
        var reply = intent.Reply;
        if (reply is null || reply.Variants.Count == 0)
        {
            return;
        }

        var values = new PolicyValues
        {
            TotalMinor = totalMinor,
            ListTotalMinor = cart.TotalMinor,
            PerDayMinor = policy is null ? 0 : MoneyMath.SplitUp(totalMinor, policy.UsePeriodDays),
            UsePeriodDays = policy?.UsePeriodDays ?? 0,
            UsePeriodYears = policy?.UsePeriodYears ?? 0,
            PaymentDays = _shop.PaymentReminder?.WithinDays ?? 0,
        };
        if (policy is not null)
        {
            var priced = CartPricing.Price(policy, cart, _context.CustomerTier);
            var coupon = priced.NextCoupon ?? priced.AppliedCoupon;
            values = new PolicyValues
            {
                TotalMinor = values.TotalMinor,
                ListTotalMinor = priced.ListTotalMinor,
                PerDayMinor = values.PerDayMinor,
                UsePeriodDays = values.UsePeriodDays,
                UsePeriodYears = values.UsePeriodYears,
                PaymentDays = values.PaymentDays,
                CouponName = coupon?.Name ?? "",
                CouponThresholdMinor = coupon?.ThresholdMinor ?? 0,
                CouponAmountMinor = coupon?.AmountMinor ?? 0,
                ToNextCouponMinor = priced.ToNextCouponMinor,
                Round = _bargaining.Round,
            };
        }

        var used = _rotation.GetValueOrDefault(intent.Name);
        var variant = reply.Variants[used % reply.Variants.Count];
        _rotation[intent.Name] = used + 1;
        var scope = new ScriptScope
        {
            Shop = _shop,
            Slots = _slotValues ??= SlotValues.From(_shop, _slots),
            Cart = cart,
            Buyer = new BuyerView(_context.CustomerTier, _context.Facts),
            Policy = values,
        };
        _messages.Add(new ReplyMessage(variant.Template.Render(scope), variant.Id));
    }

    private CartView? CartForBargaining()
    {
        if (_context.Cart.Lines.Count > 0)
        {
            return _context.Cart;
        }

        var item = _shop.Items.FirstOrDefault(i => string.Equals(i.Sku, _recommendedSku, StringComparison.Ordinal));
        return item is null ? null : new CartView([new CartLineView(item.Sku, item.Name, item.PriceMinor, 1, item.Category)]);
    }

    private void StartComplaint(IntentDefinition intent)
    {
        var flow = _shop.Complaint;
        if (flow is null)
        {
            Say(intent.Name, intent.Reply, null);
            return;
        }

        _pendingIntent = "";
        _pendingSlot = "";
        _complaintStep = 0;
        _complaintWaiting = false;
        ContinueComplaint();
    }

    /// <summary>
    /// The seeds' after-sale order. Steps that ask the buyer something (confirm, collect, opinion)
    /// end the turn; apologise and remedy flow straight into the next step; follow-up closes it.
    /// </summary>
    private void ContinueComplaint()
    {
        var flow = _shop.Complaint!;
        _intent = _shop.Intents[flow.Intent].Name;
        while (_complaintStep >= 0 && _complaintStep < flow.Steps.Count)
        {
            var step = flow.Steps[_complaintStep];
            var key = "complaint:" + step.Kind.ToString();
            switch (step.Kind)
            {
                case ComplaintStepKind.Confirm:
                case ComplaintStepKind.Opinion:
                    if (!_complaintWaiting)
                    {
                        // A question to the buyer: wait for the answer before going on.
                        Say(key, step.Reply, null);
                        _complaintWaiting = true;
                        return;
                    }

                    _complaintWaiting = false;
                    _complaintStep++;
                    continue;

                case ComplaintStepKind.Collect:
                    if (!_complaintWaiting)
                    {
                        Say(key, step.Reply, null);
                        _complaintWaiting = true;
                    }

                    foreach (var slot in step.AskSlots)
                    {
                        if (Ask(slot))
                        {
                            return;
                        }
                    }

                    _complaintWaiting = false;
                    _complaintStep++;
                    continue;

                case ComplaintStepKind.Remedy:
                    Say(key, step.Reply, null);
                    if (step.Remedy == RemedyKind.Coupon)
                    {
                        _actions.Add(new OfferCouponAction(step.RemedyName, 0, step.RemedyAmountMinor));
                    }

                    _complaintStep++;
                    continue;

                case ComplaintStepKind.FollowUp:
                    Say(key, step.Reply, null);
                    _complaintStep = -1;
                    return;

                default:
                    // Apologise: said, and the flow goes straight on.
                    Say(key, step.Reply, null);
                    _complaintStep++;
                    continue;
            }
        }

        _complaintStep = -1;
        _complaintWaiting = false;
    }

    /// <summary>Renders the next variant of a reply (rotated per key) and records its id.</summary>
    private void Say(string key, ReplyDefinition? reply, ItemDefinition? item)
    {
        if (reply is null || reply.Variants.Count == 0)
        {
            return;
        }

        var used = _rotation.GetValueOrDefault(key);
        var variant = reply.Variants[used % reply.Variants.Count];
        _rotation[key] = used + 1;
        _messages.Add(new ReplyMessage(variant.Template.Render(Scope(item)), variant.Id));
    }

    private ScriptScope Scope(ItemDefinition? item) => new()
    {
        Shop = _shop,
        Slots = _slotValues ??= SlotValues.From(_shop, _slots),
        Item = item,
        Cart = _context.Cart,
        Buyer = new BuyerView(_context.CustomerTier, _context.Facts),
        Policy = CartPricingValues(),
    };

    /// <summary>
    /// True figures only: the price policy's values for the conversation's cart (the client's, else
    /// the item recommended last), so any reply can say per_day, to_next_coupon, coupon... as the
    /// Quoter computes them; zeros without a cart, and for a cart the policy cannot price.
    /// </summary>
    private PolicyValues? CartPricingValues()
    {
        var policy = ShopRuntime.For(_shop).PricePolicy;
        if (policy is null)
        {
            return null;
        }

        var cart = CartForBargaining();
        if (cart is null)
        {
            return new PolicyValues { UsePeriodDays = policy.UsePeriodDays, UsePeriodYears = policy.UsePeriodYears };
        }

        try
        {
            return Quoter.CartValues(policy, cart, _context.CustomerTier);
        }
        catch (NegotiationInputException)
        {
            return new PolicyValues { UsePeriodDays = policy.UsePeriodDays, UsePeriodYears = policy.UsePeriodYears };
        }
    }

    private IReadOnlyList<string> Suggestions()
    {
        // Questions the agent could ask next: presale slots (not the after-sale flow's) that are
        // neither filled nor asked yet, in declaration order.
        var suggestions = new List<string>();
        var scope = Scope(null);
        for (var index = 0; index < _shop.Slots.Count; index++)
        {
            var slot = _shop.Slots[index];
            if (suggestions.Count >= _options.MaxSuggestions)
            {
                break;
            }

            if (_slots.ContainsKey(slot.Name) || _asked.Contains(slot.Name, StringComparer.Ordinal) || slot.Question.Variants.Count == 0
                || ShopRuntime.For(_shop).AfterSaleSlots[index])
            {
                continue;
            }

            suggestions.Add(slot.Question.Variants[0].Template.Render(scope));
        }

        return suggestions;
    }

    private int IndexOfStage(string name)
    {
        for (var i = 0; i < _shop.Stages.Count; i++)
        {
            if (string.Equals(_shop.Stages[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private int FindSlot(string name)
    {
        for (var i = 0; i < _shop.Slots.Count; i++)
        {
            if (string.Equals(_shop.Slots[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private int FindIntent(string name)
    {
        for (var i = 0; i < _shop.Intents.Count; i++)
        {
            if (string.Equals(_shop.Intents[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The policy's first explain-value step whose every wording is plain text (no template
    /// expression, so it states no price): what can be said about a price objection with no cart.
    /// </summary>
    private static PolicyStep? PricelessValueStep(PolicyDefinition policy)
    {
        foreach (var step in policy.Steps)
        {
            if (step.Kind == StepKind.ExplainValue && step.Reply.Variants.Count > 0
                && step.Reply.Variants.All(v => !v.Template.Source.Contains("{{", StringComparison.Ordinal)))
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>The first intent (the current stage's first) that asks one of <paramref name="slots"/>, or -1.</summary>
    private int IntentAsking(IReadOnlyList<string> slots)
    {
        var found = -1;
        for (var i = 0; i < _shop.Intents.Count; i++)
        {
            var intent = _shop.Intents[i];
            foreach (var slot in intent.AskSlots)
            {
                if (slots.Contains(_shop.Slots[slot].Name, StringComparer.Ordinal))
                {
                    if (intent.Stage == StageIndex)
                    {
                        return i;
                    }

                    found = found < 0 ? i : found;
                }
            }
        }

        return found;
    }

    private int FindIntentOfKind(IntentKind kind)
    {
        for (var i = 0; i < _shop.Intents.Count; i++)
        {
            if (_shop.Intents[i].Kind == kind)
            {
                return i;
            }
        }

        return -1;
    }
}
