// 转化看板: the shop's conversion from GetStats — overall, per reply variant and per bargaining
// step — as charts with the numbers beside them.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration,
} from "chart.js";
import { api } from "./api.js";
import { h, clear } from "./dom.js";
import { percent, percentValue, yuan } from "./money.js";
import type { GetStatsResponse, StepStats, VariantStats } from "./gen/scriptdsl/v1/script_service_pb.js";

// Only the pieces the bar charts use, so the bundle carries no more of chart.js than that.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const colors = { conversations: "#8aa4c8", ordered: "#f0a04b", paid: "#2e9e6b", accepted: "#b36ad1" };

export class DashboardPanel {
  readonly root: HTMLElement;
  private readonly kpis = h("div", { class: "kpis", id: "kpis" });
  private readonly variantTable = h("tbody");
  private readonly stepTable = h("tbody");
  private readonly status = h("span", { class: "muted", id: "dashboard-status" });
  private readonly funnel: ChartBox;
  private readonly variants: ChartBox;
  private readonly steps: ChartBox;
  private shopId = "";
  private renders = 0;

  constructor(private readonly onError: (message: string) => void) {
    this.funnel = new ChartBox("chart-funnel", "漏斗");
    this.variants = new ChartBox("chart-variants", "每条话术的转化");
    this.steps = new ChartBox("chart-steps", "每个议价步骤");
    this.root = h("section", { class: "panel dashboard", id: "panel-dashboard" },
      h("div", { class: "panel-head" }, h("h2", {}, "转化看板"), this.status,
        h("button", { type: "button", id: "dashboard-refresh", class: "secondary", onclick: () => void this.refresh() }, "刷新")),
      this.kpis,
      h("div", { class: "chart-row" }, this.funnel.root),
      h("h3", {}, "话术 (回复变体)"),
      h("div", { class: "chart-row" }, this.variants.root,
        h("div", { class: "table-wrap" }, h("table", { id: "variant-table" },
          h("thead", {}, h("tr", {}, h("th", {}, "意图"), h("th", {}, "变体"), h("th", {}, "展示"), h("th", {}, "会话"), h("th", {}, "下单"), h("th", {}, "付款"), h("th", {}, "转化"))),
          this.variantTable))),
      h("h3", {}, "议价步骤"),
      h("div", { class: "chart-row" }, this.steps.root,
        h("div", { class: "table-wrap" }, h("table", { id: "step-table" },
          h("thead", {}, h("tr", {}, h("th", {}, "策略"), h("th", {}, "步骤"), h("th", {}, "使用"), h("th", {}, "接受"), h("th", {}, "下单"), h("th", {}, "付款"))),
          this.stepTable))));
  }

  async show(shopId: string): Promise<void> {
    this.shopId = shopId;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    if (!this.shopId) return;
    try {
      const stats = await api.getStats({ shopId: this.shopId });
      const started = performance.now();
      this.render(stats);
      const ms = performance.now() - started;
      this.root.dataset.renderMs = ms.toFixed(1);
      this.root.dataset.renders = String(++this.renders);
      this.status.textContent = `更新于 ${new Date().toLocaleTimeString("zh-CN", { hour12: false })}`;
    } catch (e) {
      this.onError(e instanceof Error ? e.message : String(e));
    }
  }

  render(s: GetStatsResponse): void {
    clear(this.kpis);
    const kpi = (id: string, label: string, value: string, hint: string) =>
      h("div", { class: "kpi", id }, h("div", { class: "kpi-label" }, label), h("div", { class: "kpi-value" }, value), h("div", { class: "kpi-hint" }, hint));
    this.kpis.append(
      kpi("kpi-conversations", "询单 (会话)", s.conversations.toString(), "来咨询的会话"),
      kpi("kpi-ordered", "下单", s.ordered.toString(), "记为已下单的会话"),
      kpi("kpi-paid", "付款", s.paid.toString(), "记为已付款的会话"),
      kpi("kpi-inquiry-conversion", "询单转化率", percent(s.paid, s.conversations), "付款 / 询单"),
      kpi("kpi-payment-rate", "支付率", percent(s.paid, s.ordered), "付款 / 下单"),
      kpi("kpi-average", "客单价", s.paid > 0n ? `¥${yuan(s.averagePaidMinor)}` : "—", "付款总额 / 付款"));

    this.funnel.update(["询单", "下单", "付款"], [
      { label: "会话数", values: [s.conversations, s.ordered, s.paid].map(Number), color: [colors.conversations, colors.ordered, colors.paid] },
    ], false);

    const variants = [...s.variants].sort(byConversionThenShown);
    clear(this.variantTable);
    for (const v of variants) {
      this.variantTable.append(h("tr", { "data-variant": v.variantId },
        h("td", {}, v.intent || "(兜底)"), h("td", { class: "mono" }, v.variantId), h("td", { class: "num" }, v.shown.toString()),
        h("td", { class: "num" }, v.conversations.toString()), h("td", { class: "num" }, v.orderedAfter.toString()),
        h("td", { class: "num" }, v.paidAfter.toString()), h("td", { class: "num" }, percent(v.paidAfter, v.conversations))));
    }
    // A server that does not count conversations per variant yet (VariantStats.conversations = 0
    // everywhere) still says how often each line was shown: chart that instead of empty bars.
    const withConversions = variants.some((v) => v.conversations > 0n);
    this.variants.update(variants.map((v) => `${v.intent || "(兜底)"} · ${v.variantId}`), [
      withConversions
        ? { label: "转化 % (付款会话 / 看到它的会话)", values: variants.map((v) => percentValue(v.paidAfter, v.conversations)), color: colors.paid }
        : { label: "展示次数", values: variants.map((v) => Number(v.shown)), color: colors.conversations },
    ], true, withConversions ? 100 : undefined);

    const steps = [...s.policySteps].sort((a, b) => ordinal(a.policy, b.policy) || Number(b.used - a.used));
    clear(this.stepTable);
    for (const st of steps) {
      this.stepTable.append(h("tr", { "data-step": `${st.policy}.${st.step}` },
        h("td", {}, st.policy), h("td", {}, st.step), h("td", { class: "num" }, st.used.toString()), h("td", { class: "num" }, st.accepted.toString()),
        h("td", { class: "num" }, st.orderedAfter.toString()), h("td", { class: "num" }, st.paidAfter.toString())));
    }
    this.steps.update(steps.map(stepLabel), [
      { label: "使用", values: steps.map((x) => Number(x.used)), color: colors.conversations },
      { label: "接受", values: steps.map((x) => Number(x.accepted)), color: colors.accepted },
      { label: "付款", values: steps.map((x) => Number(x.paidAfter)), color: colors.paid },
    ], false);
  }
}

function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stepLabel(s: StepStats): string {
  return `${s.policy}.${s.step}`;
}

function byConversionThenShown(a: VariantStats, b: VariantStats): number {
  // Compare paid_after/conversations as fractions, in integers.
  const left = a.paidAfter * (b.conversations || 1n);
  const right = b.paidAfter * (a.conversations || 1n);
  if (left !== right) return left > right ? -1 : 1;
  return a.shown === b.shown ? ordinal(a.variantId, b.variantId) : a.shown > b.shown ? -1 : 1;
}

interface Series { label: string; values: number[]; color: string | string[] }

/** One bar chart; its canvas carries the plotted numbers in data-values for anyone who reads the page. */
class ChartBox {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private chart: Chart<"bar"> | null = null;

  constructor(id: string, title: string) {
    this.canvas = h("canvas", { id, role: "img", "aria-label": title });
    this.root = h("figure", { class: "chart" }, h("div", { class: "chart-canvas" }, this.canvas), h("figcaption", {}, title));
  }

  update(labels: string[], series: Series[], horizontal: boolean, max?: number): void {
    this.canvas.dataset.values = JSON.stringify(series.map((s) => s.values));
    this.canvas.dataset.labels = JSON.stringify(labels);
    const height = horizontal ? Math.max(160, labels.length * 26 + 60) : 240;
    (this.canvas.parentElement as HTMLElement).style.height = `${height}px`;
    const datasets = series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.color }));
    if (this.chart) {
      this.chart.data.labels = labels;
      this.chart.data.datasets = datasets;
      if (horizontal && this.chart.options.scales?.x) this.chart.options.scales.x.suggestedMax = max;
      this.chart.update("none");
      return;
    }
    const config: ChartConfiguration<"bar"> = {
      type: "bar",
      data: { labels, datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: series.length > 1 || horizontal } },
        scales: horizontal ? { x: { beginAtZero: true, suggestedMax: max } } : { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    };
    this.chart = new Chart(this.canvas, config);
  }
}
