// 试聊: chat with a shop as a buyer, with everything the engine decided shown beside each reply.
import { Code, ConnectError } from "@connectrpc/connect";
import { api } from "./api.js";
import { h, clear } from "./dom.js";
import { yuan, parseYuan } from "./money.js";
import { decisionLabels, matchLabels, matchName } from "./labels.js";
import {
  MatchKind,
  RecordOutcomeRequest_Outcome,
  type Action,
  type CatalogItem,
  type ChatMessage,
  type ReplyResponse,
  type ScriptInfo,
} from "./gen/scriptdsl/v1/script_service_pb.js";

export class ChatPanel {
  readonly root: HTMLElement;
  private shop: ScriptInfo | null = null;
  private conversationId = newConversationId();
  private readonly cart = new Map<string, number>();
  private readonly log = h("div", { class: "chat-log", id: "chat-log", "aria-live": "polite" });
  private readonly input = h("input", { id: "chat-input", type: "text", placeholder: "以买家身份输入, 例如: 在吗", autocomplete: "off", maxlength: 500 });
  private readonly suggestions = h("div", { class: "suggestions", id: "chat-suggestions" });
  private readonly cartList = h("div", { class: "cart-items", id: "cart-items" });
  private readonly cartTotal = h("div", { class: "cart-total", id: "cart-total" });
  private readonly target = h("input", { id: "negotiate-target", type: "text", inputmode: "decimal", placeholder: "买家出价 (元)", size: 10 });
  private readonly conversationLabel = h("span", { class: "muted", id: "conversation-id" });
  private busy = false;

  constructor(private readonly onError: (message: string) => void) {
    const form = h("form", { class: "chat-form", onsubmit: (e: Event) => { e.preventDefault(); void this.send(this.input.value); } },
      this.input, h("button", { type: "submit", id: "chat-send" }, "发送"));
    this.root = h("section", { class: "panel chat", id: "panel-chat" },
      h("div", { class: "chat-main" },
        h("div", { class: "panel-head" }, h("h2", {}, "试聊"), this.conversationLabel,
          h("button", { type: "button", id: "chat-reset", class: "secondary", onclick: () => this.reset() }, "重新开始")),
        this.log, this.suggestions, form),
      h("aside", { class: "chat-side" },
        h("h3", {}, "购物车"), this.cartList, this.cartTotal,
        h("div", { class: "row" },
          h("button", { type: "button", id: "quote", onclick: () => void this.quote() }, "报价")),
        h("h3", {}, "议价"),
        h("div", { class: "row" }, this.target,
          h("button", { type: "button", id: "negotiate", onclick: () => void this.negotiate("target") }, "出价")),
        h("div", { class: "row" },
          h("button", { type: "button", class: "secondary", id: "negotiate-better", onclick: () => void this.negotiate("better") }, "能再便宜点吗"),
          h("button", { type: "button", class: "secondary", id: "negotiate-shipping", onclick: () => void this.negotiate("shipping") }, "包邮吗")),
        h("h3", {}, "结果"),
        h("div", { class: "row" },
          h("button", { type: "button", class: "secondary", id: "outcome-ordered", onclick: () => void this.outcome(RecordOutcomeRequest_Outcome.ORDERED) }, "记为已下单"),
          h("button", { type: "button", class: "secondary", id: "outcome-paid", onclick: () => void this.outcome(RecordOutcomeRequest_Outcome.PAID) }, "记为已付款"))));
    this.showConversation();
  }

  setShop(shop: ScriptInfo): void {
    this.shop = shop;
    this.cart.clear();
    this.renderCart();
    this.reset();
  }

  reset(): void {
    this.conversationId = newConversationId();
    clear(this.log);
    clear(this.suggestions);
    this.input.value = "";
    this.showConversation();
    this.input.focus();
  }

  private showConversation(): void {
    this.conversationLabel.textContent = `会话 ${this.conversationId.slice(0, 8)}`;
  }

  async send(text: string): Promise<void> {
    const message = text.trim();
    if (!this.shop || !message || this.busy) return;
    this.busy = true;
    this.input.value = "";
    this.log.append(h("div", { class: "turn buyer" }, h("div", { class: "bubble" }, message)));
    this.scroll();
    try {
      const reply = await api.reply({
        shopId: this.shop.shopId,
        conversationId: this.conversationId,
        message,
        context: { cart: { lines: this.cartLines() } },
        requestId: newConversationId(),
      });
      this.log.append(renderReply(reply));
      this.renderSuggestions(reply.suggestions);
    } catch (e) {
      this.log.append(h("div", { class: "turn error" }, describe(e)));
      this.onError(describe(e));
    } finally {
      this.busy = false;
      this.scroll();
    }
  }

  private async quote(): Promise<void> {
    if (!this.shop) return;
    try {
      const q = await api.quote({ shopId: this.shop.shopId, cart: { lines: this.cartLines() } });
      const facts: (string | null)[] = [
        `原价 ${yuan(q.listTotalMinor)} 元`,
        `应付 ${yuan(q.payableTotalMinor)} 元`,
        ...q.applied.map((c) => `已用 ${c.name} (满${yuan(c.thresholdMinor)}减${yuan(c.amountMinor)})`),
        q.nextCoupon && q.toNextCouponMinor > 0n ? `再买 ${yuan(q.toNextCouponMinor)} 元可用 ${q.nextCoupon.name}` : null,
        q.perDayMinor > 0n ? `约 ${yuan(q.perDayMinor)} 元/天` : null,
      ];
      this.log.append(h("div", { class: "turn shop quote" }, ...q.messages.map(bubble),
        h("div", { class: "meta" }, h("span", { class: "chip kind" }, "报价"), ...facts.filter(isText).map((f) => h("span", { class: "chip" }, f)))));
    } catch (e) {
      this.log.append(h("div", { class: "turn error" }, describe(e)));
    }
    this.scroll();
  }

  private async negotiate(kind: "target" | "better" | "shipping"): Promise<void> {
    if (!this.shop) return;
    let ask: { case: "targetTotalMinor"; value: bigint } | { case: "anyBetter"; value: boolean } | { case: "freeShipping"; value: boolean };
    let words: string;
    if (kind === "target") {
      const fen = parseYuan(this.target.value);
      if (fen === null) {
        this.onError("出价请写元, 最多两位小数, 例如 700 或 699.50");
        return;
      }
      ask = { case: "targetTotalMinor", value: fen };
      words = `${yuan(fen)}元可以吗?`;
    } else if (kind === "better") {
      ask = { case: "anyBetter", value: true };
      words = "能再便宜点吗?";
    } else {
      ask = { case: "freeShipping", value: true };
      words = "包邮吗?";
    }
    this.log.append(h("div", { class: "turn buyer" }, h("div", { class: "bubble" }, words)));
    try {
      const r = await api.negotiate({
        shopId: this.shop.shopId, conversationId: this.conversationId, cart: { lines: this.cartLines() },
        ask, message: words, requestId: newConversationId(),
      });
      this.log.append(h("div", { class: "turn shop negotiate" }, ...r.messages.map(bubble),
        h("div", { class: "meta" },
          h("span", { class: "chip kind decision" }, decisionLabels[r.decision] || "议价"),
          h("span", { class: "chip" }, `报价 ${yuan(r.totalMinor)} 元`),
          h("span", { class: "chip" }, `第 ${r.round} 轮`),
          r.step ? h("span", { class: "chip" }, `步骤 ${r.step}`) : null,
          ...r.gifts.map((g) => h("span", { class: "chip action" }, `赠品 ${g.name}`)))));
    } catch (e) {
      this.log.append(h("div", { class: "turn error" }, describe(e)));
    }
    this.scroll();
  }

  private async outcome(outcome: RecordOutcomeRequest_Outcome): Promise<void> {
    if (!this.shop) return;
    try {
      const q = await api.quote({ shopId: this.shop.shopId, cart: { lines: this.cartLines() } });
      await api.recordOutcome({ shopId: this.shop.shopId, conversationId: this.conversationId, outcome, paidTotalMinor: outcome === RecordOutcomeRequest_Outcome.PAID ? q.payableTotalMinor : 0n });
      this.log.append(h("div", { class: "turn note" }, outcome === RecordOutcomeRequest_Outcome.PAID ? `已记为付款 ${yuan(q.payableTotalMinor)} 元` : "已记为下单"));
    } catch (e) {
      this.log.append(h("div", { class: "turn error" }, describe(e)));
    }
    this.scroll();
  }

  private cartLines() {
    const items = this.shop?.items ?? [];
    return items.filter((i) => (this.cart.get(i.sku) ?? 0) > 0).map((i) => ({
      sku: i.sku, name: i.name, unitPriceMinor: i.priceMinor, quantity: this.cart.get(i.sku) ?? 0, category: i.category,
    }));
  }

  private renderCart(): void {
    clear(this.cartList);
    const items = this.shop?.items ?? [];
    if (items.length === 0) this.cartList.append(h("p", { class: "muted" }, "这个店铺的脚本没有声明商品。"));
    for (const item of items) this.cartList.append(this.cartRow(item));
    this.updateTotal();
  }

  private cartRow(item: CatalogItem): HTMLElement {
    const qty = h("input", { type: "number", min: 0, max: 99, value: this.cart.get(item.sku) ?? 0, class: "qty", "data-sku": item.sku, "aria-label": `${item.name} 数量` });
    qty.addEventListener("change", () => {
      const n = Number.parseInt(qty.value, 10);
      this.cart.set(item.sku, Number.isFinite(n) && n > 0 ? Math.min(n, 99) : 0);
      qty.value = String(this.cart.get(item.sku) ?? 0);
      this.updateTotal();
    });
    return h("label", { class: "cart-item" },
      h("span", { class: "item-name" }, item.name, h("small", {}, ` ${item.sku} · ${item.category}`)),
      h("span", { class: "item-price" }, `¥${yuan(item.priceMinor)}`), qty);
  }

  private updateTotal(): void {
    const total = this.cartLines().reduce((sum, l) => sum + l.unitPriceMinor * BigInt(l.quantity), 0n);
    this.cartTotal.textContent = `合计 ¥${yuan(total)}`;
  }

  private renderSuggestions(list: string[]): void {
    clear(this.suggestions);
    for (const s of list) this.suggestions.append(h("button", { type: "button", class: "suggestion", onclick: () => void this.send(s) }, s));
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function renderReply(r: ReplyResponse): HTMLElement {
  const meta = h("div", { class: "meta" },
    h("span", { class: "chip intent", title: "意图", "data-intent": r.intent }, r.intent || "(兜底)"),
    r.match !== MatchKind.MATCH_KIND_UNSPECIFIED
      ? h("span", { class: `chip match ${matchName(r.match).toLowerCase()}`, title: matchName(r.match), "data-match": matchName(r.match) }, matchLabels[r.match])
      : null,
    r.match !== MatchKind.MATCH_KIND_UNSPECIFIED || r.confidence > 0
      ? h("span", { class: "chip confidence", title: "置信度" }, `${Math.round(r.confidence * 100)}%`)
      : null,
    r.replyKind ? h("span", { class: "chip kind" }, r.replyKind) : null,
    r.stage ? h("span", { class: "chip stage", title: "阶段" }, `阶段 ${r.stage}`) : null);
  const slots = Object.entries(r.slots);
  return h("div", { class: "turn shop" },
    ...r.messages.map(bubble),
    meta,
    slots.length > 0 ? h("div", { class: "meta slots" }, ...slots.map(([k, v]) => h("span", { class: "chip slot", "data-slot": k }, `${k}=${v}`))) : null,
    r.actions.length > 0 ? h("div", { class: "meta actions" }, ...r.actions.map(renderAction)) : null,
    r.clarifyOptions.length > 0 ? h("div", { class: "meta clarify" }, "在问: ", ...r.clarifyOptions.map((o) => h("span", { class: "chip" }, o))) : null,
    r.pricing ? h("div", { class: "meta pricing" },
      h("span", { class: "chip kind" }, r.pricing.kind),
      h("span", { class: "chip" }, `原价 ${yuan(r.pricing.listTotalMinor)}`),
      h("span", { class: "chip" }, `报价 ${yuan(r.pricing.totalMinor)}`),
      r.pricing.askTotalMinor > 0n ? h("span", { class: "chip" }, `买家出价 ${yuan(r.pricing.askTotalMinor)}`) : null,
      r.pricing.step ? h("span", { class: "chip" }, `步骤 ${r.pricing.step}`) : null,
      r.pricing.decision ? h("span", { class: "chip decision" }, decisionLabels[r.pricing.decision]) : null) : null);
}

function renderAction(a: Action): HTMLElement {
  const k = a.kind;
  switch (k.case) {
    case "recommend": return h("span", { class: "chip action recommend", title: k.value.reason }, `推荐 ${k.value.name} (${k.value.sku})`);
    case "gift": return h("span", { class: "chip action gift" }, `赠品 ${k.value.name}`);
    case "coupon": return h("span", { class: "chip action coupon" }, `优惠券 ${k.value.name} 满${yuan(k.value.thresholdMinor)}减${yuan(k.value.amountMinor)}`);
    case "flag": return h("span", { class: `chip action flag ${k.value.color}` }, `${k.value.color} 旗: ${k.value.note}`);
    case "escalate": return h("span", { class: "chip action escalate" }, `转交 ${k.value.to}: ${k.value.reason}`);
    default: return h("span", { class: "chip action" }, "?");
  }
}

function bubble(m: ChatMessage): HTMLElement {
  return h("div", { class: "bubble", "data-variant": m.variantId, title: m.variantId }, m.text);
}

function isText(s: string | null): s is string {
  return s !== null;
}

export function describe(e: unknown): string {
  if (e instanceof ConnectError) return `${Code[e.code] ?? e.code}: ${e.rawMessage}`;
  return e instanceof Error ? e.message : String(e);
}

// crypto.randomUUID exists only in secure contexts; a console opened over plain http on a LAN
// address (keys configured) is not one, so the id is built from getRandomValues, which always is.
export function newConversationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
