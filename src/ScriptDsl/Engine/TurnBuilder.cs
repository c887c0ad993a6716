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
                Say(intent.Name, intent.Reply, null);
                Flag(intent);
                _orderPlaced = true;
                _pendingIntent = "";
                _pendingSlot = "";
                CrossSell();
                MoveAfter(intent);
                return;

            case IntentKind.Complaint:
                StartComplaint(intent);
                return;

            case IntentKind.Objection when intent.Policy is not null:
                RunPolicy(intent);
                return;

            default:
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
            ContinueComplaint();
            return true;
        }

        if (_pendingIntent.Length > 0 && filledNow.Count > 0)
        {
            var pending = FindIntent(_pendingIntent);
            if (pending >= 0)
            {
                _intent = _pendingIntent;
                AskOrAdvance(_shop.Intents[pending]);
                return true;
            }
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

    public TurnResult Finish()
    {
        var state = Snapshot();
        return new TurnResult(_messages, _intent, state.Stage, _slots, _actions, Suggestions(), state, _policyUse);
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
    private void RunPolicy(IntentDefinition intent)
    {
        var policy = _shop.Policy(intent.Policy);
        var cart = CartForBargaining();
        if (policy is null || cart is null)
        {
            // Nothing to price (no cart, nothing recommended yet) or a shop compiled without its
            // policy: answer in the intent's own words if it has any, else let the fallback ask.
            if (intent.Reply is not null)
            {
                Say(intent.Name, intent.Reply, null);
            }
            else
            {
                RunFallback();
                _intent = intent.Name;
            }

            return;
        }

        var ask = BargainAskParser.Parse(Normalized);
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
        Slots = SlotValues.From(_shop, _slots),
        Item = item,
        Cart = _context.Cart,
        Buyer = new BuyerView(_context.CustomerTier, _context.Facts),
    };

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
