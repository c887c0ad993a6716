// 未识别问题: what buyers wrote that the script fell back on or had to ask about, so the author can
// add it as examples to the right rule.
import { api } from "./api.js";
import { h, clear } from "./dom.js";
import { matchLabels } from "./labels.js";
import type { UnmatchedMessage } from "./gen/scriptdsl/v1/script_service_pb.js";

type Order = "frequent" | "newest";

export class UnmatchedPanel {
  readonly root: HTMLElement;
  private readonly body = h("tbody");
  private readonly copied = h("pre", { class: "copied", id: "copied-line", hidden: true });
  private readonly empty = h("p", { class: "muted", id: "unmatched-empty", hidden: true }, "还没有未识别的消息。");
  private readonly selectAll = h("button", { type: "button", class: "secondary", id: "copy-selected" }, "复制所选为一行 examples");
  private rows: UnmatchedMessage[] = [];
  private order: Order = "frequent";
  private shopId = "";

  constructor(private readonly onError: (message: string) => void) {
    const orderSelect = h("select", { id: "unmatched-order", "aria-label": "排序" },
      h("option", { value: "frequent" }, "最常见在前"), h("option", { value: "newest" }, "最新在前"));
    orderSelect.addEventListener("change", () => { this.order = orderSelect.value as Order; this.render(); });
    this.selectAll.addEventListener("click", () => {
      const texts = [...this.body.querySelectorAll<HTMLInputElement>("input.pick:checked")].map((c) => c.value);
      if (texts.length > 0) void this.copy(examplesLine(texts));
    });
    this.root = h("section", { class: "panel unmatched", id: "panel-unmatched" },
      h("div", { class: "panel-head" }, h("h2", {}, "未识别问题"), orderSelect,
        h("button", { type: "button", id: "unmatched-refresh", class: "secondary", onclick: () => void this.refresh() }, "刷新")),
      h("p", { class: "muted" }, "买家问了、脚本没听懂 (兜底回复) 或需要反问的消息。复制成 examples 行, 粘贴到对应规则下, 重新构建即可。"),
      h("div", { class: "table-wrap" }, h("table", { id: "unmatched-table" },
        h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", {}, "买家消息"), h("th", {}, "次数"), h("th", {}, "最近"), h("th", {}, "情况"), h("th", {}, ""))),
        this.body)),
      this.empty,
      h("div", { class: "row" }, this.selectAll),
      this.copied);
  }

  async show(shopId: string): Promise<void> {
    this.shopId = shopId;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.shopId) return;
    try {
      const r = await api.listUnmatched({ shopId: this.shopId, limit: 500 });
      this.rows = r.messages;
      this.render();
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  private render(): void {
    const rows = [...this.rows].sort(this.order === "frequent"
      ? (a, b) => (a.count === b.count ? Number(b.lastSeenUnixMs - a.lastSeenUnixMs) : a.count > b.count ? -1 : 1)
      : (a, b) => (a.lastSeenUnixMs === b.lastSeenUnixMs ? Number(b.count - a.count) : a.lastSeenUnixMs > b.lastSeenUnixMs ? -1 : 1));
    clear(this.body);
    this.empty.hidden = rows.length > 0;
    for (const m of rows) {
      this.body.append(h("tr", { "data-text": m.text },
        h("td", {}, h("input", { type: "checkbox", class: "pick", value: m.text, "aria-label": "选择" })),
        h("td", { class: "text" }, m.text),
        h("td", { class: "num count" }, m.count.toString()),
        h("td", { class: "when" }, formatTime(m.lastSeenUnixMs)),
        h("td", {}, matchLabels[m.match] ?? "", m.clarifyOptions.length > 0 ? h("small", {}, ` (${m.clarifyOptions.join(" / ")})`) : null),
        h("td", {}, h("button", { type: "button", class: "copy", onclick: () => void this.copy(examplesLine([m.text])) }, "复制为 examples 行"))));
    }
  }

  private async copy(line: string): Promise<void> {
    this.copied.textContent = line;
    this.copied.hidden = false;
    try {
      await navigator.clipboard.writeText(line);
      this.copied.dataset.clipboard = "ok";
    } catch {
      // No clipboard permission (or not a secure context): the line stays shown, selected, to copy by hand.
      this.copied.dataset.clipboard = "manual";
      const range = document.createRange();
      range.selectNodeContents(this.copied);
      const selection = getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      this.onError("浏览器不允许写剪贴板: 已选中该行, 请手动复制");
    }
  }
}

/** `examples "a" | "b"` with each text written as a .csdsl string (backslash and quote escaped). */
export function examplesLine(texts: string[]): string {
  return `examples ${texts.map((t) => `"${t.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(" | ")}`;
}

function formatTime(unixMs: bigint): string {
  if (unixMs <= 0n) return "";
  const d = new Date(Number(unixMs));
  const pad = (n: number) => n.toString().padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
