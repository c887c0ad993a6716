// The shop console: pick a shop, then 试聊 (chat as a buyer), 转化看板 (conversion) and 未识别问题
// (what the script missed). Everything comes from the scriptdsl.v1 API over gRPC-Web.
import { api, apiKey, setApiKey } from "./api.js";
import { h } from "./dom.js";
import { ChatPanel, describe } from "./chat.js";
import { DashboardPanel } from "./dashboard.js";
import { UnmatchedPanel } from "./unmatched.js";
import type { ScriptInfo } from "./gen/scriptdsl/v1/script_service_pb.js";

type Tab = "chat" | "dashboard" | "unmatched";

const app = document.getElementById("app");
if (!app) throw new Error("index.html has no #app");

const notice = h("div", { class: "notice", id: "notice", role: "alert", hidden: true });
function showError(message: string): void {
  notice.textContent = message;
  notice.hidden = false;
}

const chat = new ChatPanel(showError);
const dashboard = new DashboardPanel(showError);
const unmatched = new UnmatchedPanel(showError);
const panels: Record<Tab, HTMLElement> = { chat: chat.root, dashboard: dashboard.root, unmatched: unmatched.root };

const shopSelect = h("select", { id: "shop", "aria-label": "店铺" });
const keyInput = h("input", { id: "api-key", type: "password", placeholder: "API key (可选)", value: apiKey(), autocomplete: "off", size: 14 });
keyInput.addEventListener("change", () => { setApiKey(keyInput.value.trim()); addEventListener("hashchange", () => {
  const tab = location.hash.slice(1);
  if (tab in panels && tab !== current) select(tab as Tab);
});

select(current);
void loadShops(); });

const tabs = h("nav", { class: "tabs", role: "tablist" },
  ...(Object.keys(panels) as Tab[]).map((tab) =>
    h("button", { type: "button", role: "tab", id: `tab-${tab}`, "data-tab": tab, onclick: () => select(tab) },
      { chat: "试聊", dashboard: "转化看板", unmatched: "未识别问题" }[tab])));

app.append(
  h("header", { class: "top" }, h("h1", {}, "ScriptDsl 店铺控制台"), shopSelect, keyInput),
  tabs, notice, ...Object.values(panels));

let shops: ScriptInfo[] = [];
let current: Tab = (location.hash.slice(1) as Tab) in panels ? (location.hash.slice(1) as Tab) : "chat";

function currentShop(): ScriptInfo | undefined {
  return shops.find((s) => s.shopId === shopSelect.value);
}

function select(tab: Tab): void {
  current = tab;
  if (location.hash !== `#${tab}`) history.replaceState(null, "", `#${tab}`);
  for (const [name, panel] of Object.entries(panels)) panel.hidden = name !== tab;
  for (const b of tabs.querySelectorAll("button")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  const shop = currentShop();
  if (!shop) return;
  if (tab === "dashboard") void dashboard.show(shop.shopId);
  if (tab === "unmatched") void unmatched.show(shop.shopId);
}

shopSelect.addEventListener("change", () => {
  const shop = currentShop();
  if (!shop) return;
  localStorage.setItem("scriptdsl.console.shop", shop.shopId);
  chat.setShop(shop);
  select(current);
});

async function loadShops(): Promise<void> {
  try {
    shops = (await api.listScripts({})).scripts;
    notice.hidden = true;
  } catch (e) {
    showError(`无法读取店铺列表: ${describe(e)}`);
    return;
  }
  shopSelect.replaceChildren(...shops.map((s) => h("option", { value: s.shopId }, `${s.displayName} (${s.shopId})`)));
  const wanted = new URLSearchParams(location.search).get("shop") ?? localStorage.getItem("scriptdsl.console.shop");
  if (wanted && shops.some((s) => s.shopId === wanted)) shopSelect.value = wanted;
  const shop = currentShop();
  if (shop) chat.setShop(shop);
  select(current);
  document.body.dataset.ready = "true";
}

addEventListener("hashchange", () => {
  const tab = location.hash.slice(1);
  if (tab in panels && tab !== current) select(tab as Tab);
});

select(current);
void loadShops();
