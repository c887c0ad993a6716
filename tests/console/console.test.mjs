// The shop console in a real browser: headless Debian Chromium (puppeteer-core) against a real
// ScriptService started by run-console-tests.sh (API_URL: the gRPC API, HTTP/2; CONSOLE_URL: the
// console's HTTP/1.1 port with gRPC-Web). Expected numbers come from the API itself (a Node gRPC
// client over HTTP/2), never from constants. Screenshots: tests/console/artifacts/.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import puppeteer from "puppeteer-core";
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const consoleDir = path.join(root, "src/ScriptService.Console");
const artifacts = path.join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });
const API_URL = process.env.API_URL ?? assert.fail("API_URL is not set (run run-console-tests.sh)");
const CONSOLE_URL = process.env.CONSOLE_URL ?? assert.fail("CONSOLE_URL is not set (run run-console-tests.sh)");
// The test command seeds 2,000 conversations (a few minutes less on a busy CI machine); the figure in
// docs/benchmarks.md is over 10,000: CONSOLE_BENCH_CONVERSATIONS=10000 bash tests/console/run-console-tests.sh
const BENCH_CONVERSATIONS = Number.parseInt(process.env.CONSOLE_BENCH_CONVERSATIONS ?? "2000", 10);

// The page's own generated messages (src/gen), compiled for Node with the console's esbuild, so this
// client and the page speak from the same descriptors.
const esbuild = createRequire(path.join(consoleDir, "package.json"))("esbuild");
const genOut = path.join(here, "node_modules/.cache/sdsl/script_service_pb.mjs");
esbuild.buildSync({ entryPoints: [path.join(consoleDir, "src/gen/scriptdsl/v1/script_service_pb.ts")], outfile: genOut, format: "esm", platform: "node", logLevel: "warning" });
const pb = await import(genOut);
const api = createClient(pb.ScriptService, createGrpcTransport({ baseUrl: API_URL, defaultTimeoutMs: 15000 }));

const results = {};
const consoleErrors = [];
let browser;
let page;

function watch(p, name) {
  p.on("console", (m) => { if (m.type() === "error") consoleErrors.push(`${name}: ${m.text()}`); });
  p.on("pageerror", (e) => consoleErrors.push(`${name}: ${e.message}`));
  p.on("requestfailed", (r) => consoleErrors.push(`${name}: request failed ${r.url()} ${r.failure()?.errorText}`));
  return p;
}

before(async () => {
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    userDataDir: path.join(process.env.WORK ?? path.join(here, "artifacts"), "chromium-profile"),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
    protocolTimeout: 60000,
  });
  const context = browser.defaultBrowserContext();
  await context.overridePermissions(CONSOLE_URL, ["clipboard-read", "clipboard-write", "clipboard-sanitized-write"]);
  page = watch(await browser.newPage(), "console");
  page.setDefaultTimeout(20000);
  await page.setViewport({ width: 1280, height: 900 });
});

afterEach(async (t) => {
  // A picture of the page as the test left it, for when it failed.
  await page?.screenshot({ path: path.join(artifacts, `last-${t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 40)}.png`) }).catch(() => {});
});

after(async () => {
  await browser?.close();
  writeFileSync(path.join(artifacts, "measurements.json"), JSON.stringify(results, null, 2) + "\n");
  console.log("measurements:", JSON.stringify(results));
});

const shot = (name) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
const texts = (selector) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ""));
const countOf = (selector) => page.$$eval(selector, (els) => els.length);

async function openConsole(hash) {
  await page.goto(`${CONSOLE_URL}/?shop=lamp_shop#${hash}`, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready=true]");
}

async function say(text) {
  const before = await countOf("#chat-log .turn.shop, #chat-log .turn.error");
  await page.type("#chat-input", text);
  await page.click("#chat-send");
  await page.waitForFunction((n) => document.querySelectorAll("#chat-log .turn.shop, #chat-log .turn.error").length > n, {}, before);
  const errors = await texts("#chat-log .turn.error");
  assert.deepEqual(errors, [], `the console showed an error for ${text}`);
}

test("the committed bundle matches its sources (rebuilt and compared byte for byte)", () => {
  const r = spawnSync(process.execPath, ["build.mjs", "--check"], { cwd: consoleDir, encoding: "utf8", timeout: 120000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const js = readFileSync(path.join(consoleDir, "wwwroot/console.js"));
  const css = readFileSync(path.join(consoleDir, "wwwroot/console.css"));
  const html = readFileSync(path.join(consoleDir, "wwwroot/index.html"));
  results.bundleBytes = js.length + css.length + html.length;
  results.bundleGzipBytes = gzipSync(js).length + gzipSync(css).length + gzipSync(html).length;
});

test("first load, cold cache: the console lists the shops", async () => {
  const context = await browser.createBrowserContext();
  try {
    const cold = watch(await context.newPage(), "cold");
    const client = await cold.createCDPSession();
    await client.send("Network.setCacheDisabled", { cacheDisabled: true });
    const started = Date.now();
    await cold.goto(`${CONSOLE_URL}/`, { waitUntil: "load" });
    await cold.waitForSelector("body[data-ready=true]");
    results.firstLoadReadyMs = Date.now() - started;
    const nav = await cold.evaluate(() => JSON.parse(JSON.stringify(performance.getEntriesByType("navigation")[0])));
    results.firstLoadEventMs = Math.round(nav.loadEventEnd);
    const { scripts } = await api.listScripts({});
    const options = await cold.$$eval("#shop option", (os) => os.map((o) => o.value));
    assert.deepEqual(options, scripts.map((s) => s.shopId));
  } finally {
    await context.close();
  }
});

test("chat three turns with lamp_shop: replies, intents and slots as the API gives them", async () => {
  await openConsole("chat");
  const lines = ["在吗", "老板,请给我推荐一款卧室灯", "北欧风的"];
  for (const line of lines) await say(line);

  // The same three lines through the API in a conversation of its own: the engine is deterministic.
  const conversationId = `api-${Date.now()}`;
  const expected = [];
  for (const message of lines) expected.push(await api.reply({ shopId: "lamp_shop", conversationId, message }));

  const turns = await page.$$eval("#chat-log .turn.shop", (els) => els.map((e) => ({
    intent: e.querySelector(".chip.intent")?.getAttribute("data-intent") ?? null,
    bubbles: [...e.querySelectorAll(".bubble")].map((b) => b.textContent ?? ""),
    slots: [...e.querySelectorAll(".chip.slot")].map((s) => s.textContent ?? ""),
    match: e.querySelector(".chip.match")?.getAttribute("data-match") ?? null,
  })));
  assert.equal(turns.length, 3);
  turns.forEach((t, i) => {
    const r = expected[i];
    assert.equal(t.intent, r.intent, `turn ${i + 1} intent`);
    assert.equal(t.bubbles.length, r.messages.length, `turn ${i + 1} number of messages`);
    assert.ok(t.bubbles.every((b) => b.length > 0));
    assert.deepEqual(t.slots.sort(), Object.entries(r.slots).map(([k, v]) => `${k}=${v}`).sort(), `turn ${i + 1} slots`);
    if (r.match !== pb.MatchKind.MATCH_KIND_UNSPECIFIED) assert.equal(t.match, pb.MatchKind[r.match], `turn ${i + 1} match kind`);
  });
  // What the buyer said was understood: the room slot is filled from 卧室灯 by the second turn.
  assert.ok(Object.keys(expected[1].slots).length > 0, "the second turn filled a slot");
  await shot("chat");
});

test("set a cart from the shop's items, quote and negotiate", async () => {
  const { scripts } = await api.listScripts({});
  const lamp = scripts.find((s) => s.shopId === "lamp_shop");
  const item = lamp.items[0];
  const qty = await page.$(`input.qty[data-sku="${item.sku}"]`);
  await qty.click({ clickCount: 3 });
  await qty.type("2");
  await page.$eval(`input.qty[data-sku="${item.sku}"]`, (e) => e.dispatchEvent(new Event("change")));
  const cart = { lines: [{ sku: item.sku, name: item.name, unitPriceMinor: item.priceMinor, quantity: 2, category: item.category }] };
  const quote = await api.quote({ shopId: "lamp_shop", cart });
  await page.click("#quote");
  await page.waitForSelector("#chat-log .turn.quote");
  const chips = (await texts("#chat-log .turn.quote .chip")).join(" ");
  assert.ok(chips.includes(`应付 ${yuanOf(quote.payableTotalMinor)} 元`), chips);
  assert.ok(chips.includes(`原价 ${yuanOf(quote.listTotalMinor)} 元`), chips);

  await page.type("#negotiate-target", yuanOf(quote.listTotalMinor / 2n));
  await page.click("#negotiate");
  await page.waitForSelector("#chat-log .turn.negotiate");
  const decision = await page.$eval("#chat-log .turn.negotiate .decision", (e) => e.textContent ?? "");
  assert.ok(decision.length > 0);
  const offered = (await texts("#chat-log .turn.negotiate .chip")).find((c) => c.startsWith("报价 "));
  assert.match(offered ?? "", /^报价 \d+\.\d\d 元$/);
  await shot("chat-cart");
});

test("start over begins a new conversation", async () => {
  const before = await page.$eval("#conversation-id", (e) => e.textContent);
  await page.click("#chat-reset");
  assert.equal(await countOf("#chat-log .turn"), 0);
  assert.notEqual(await page.$eval("#conversation-id", (e) => e.textContent), before);
});

test("mobile width: nothing overflows sideways and the chat still works", async () => {
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await openConsole("chat");
  await say("包邮吗");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
  await shot("chat-mobile");
  await page.setViewport({ width: 1280, height: 900 });
});

test("dashboard: outcomes recorded through the API change the numbers and the charts", async () => {
  await openConsole("dashboard");
  await page.waitForSelector("#kpi-conversations");
  const before = await dashboardState();

  // Three new conversations: all ordered; the first two paid; the first also bargained.
  const { scripts } = await api.listScripts({});
  const item = scripts.find((s) => s.shopId === "lamp_shop").items[0];
  const cart = { lines: [{ sku: item.sku, name: item.name, unitPriceMinor: item.priceMinor, quantity: 1, category: item.category }] };
  const stamp = Date.now();
  for (let i = 0; i < 3; i++) {
    const conversationId = `dash-${stamp}-${i}`;
    await api.reply({ shopId: "lamp_shop", conversationId, message: "在吗" });
    if (i === 0) await api.negotiate({ shopId: "lamp_shop", conversationId, cart, ask: { case: "anyBetter", value: true } });
    await api.recordOutcome({ shopId: "lamp_shop", conversationId, outcome: pb.RecordOutcomeRequest_Outcome.ORDERED });
    if (i < 2) await api.recordOutcome({ shopId: "lamp_shop", conversationId, outcome: pb.RecordOutcomeRequest_Outcome.PAID, paidTotalMinor: item.priceMinor });
  }
  const stats = await api.getStats({ shopId: "lamp_shop" });

  await page.click("#dashboard-refresh");
  await page.waitForFunction((n) => document.querySelector("#kpi-conversations .kpi-value")?.textContent === n, {}, stats.conversations.toString());
  const now = await dashboardState();
  assert.equal(now.kpis["kpi-conversations"], stats.conversations.toString());
  assert.equal(now.kpis["kpi-ordered"], stats.ordered.toString());
  assert.equal(now.kpis["kpi-paid"], stats.paid.toString());
  assert.equal(Number(now.kpis["kpi-conversations"]) - Number(before.kpis["kpi-conversations"]), 3);
  assert.equal(Number(now.kpis["kpi-ordered"]) - Number(before.kpis["kpi-ordered"]), 3);
  assert.equal(Number(now.kpis["kpi-paid"]) - Number(before.kpis["kpi-paid"]), 2);
  assert.equal(now.kpis["kpi-inquiry-conversion"], percentOf(stats.paid, stats.conversations));
  assert.equal(now.kpis["kpi-payment-rate"], percentOf(stats.paid, stats.ordered));
  assert.equal(now.kpis["kpi-average"], `¥${yuanOf(stats.averagePaidMinor)}`);
  assert.deepEqual(now.funnel, [[Number(stats.conversations), Number(stats.ordered), Number(stats.paid)]]);
  assert.notDeepEqual(now.funnel, before.funnel, "the funnel chart changed");
  assert.equal(now.variantRows, stats.variants.length);
  assert.equal(now.variantLabels.length, stats.variants.length);
  assert.equal(now.stepRows, stats.policySteps.length);
  assert.ok(stats.policySteps.length > 0, "the negotiation shows as a policy step");
  const step = stats.policySteps.find((s) => s.used > 0n);
  const row = await page.$$eval(`#step-table tr[data-step="${step.policy}.${step.step}"] td`, (tds) => tds.map((t) => t.textContent));
  assert.equal(row[2], step.used.toString());
  assert.equal(row[3], step.accepted.toString());
  assert.equal(row[5], step.paidAfter.toString());
  // The charts are drawn (a canvas with pixels), not only described.
  const drawn = await page.$eval("#chart-funnel", (c) => c.toDataURL().length);
  assert.ok(drawn > 1000);
  await shot("dashboard");
});

test("unmatched: a message the script missed appears with its count, and copies as an examples line", async (t) => {
  try {
    await api.listUnmatched({ shopId: "lamp_shop", limit: 10 });
  } catch (e) {
    if (e instanceof ConnectError && e.code === Code.Unimplemented) {
      t.skip("this server does not implement ListUnmatched yet");
      return;
    }
    throw e;
  }
  await openConsole("chat");
  // Words no shop phrasing shares, so neither a trigger nor the classifier can take it: it falls back.
  // A fixed text (the server's data folder is new for each run): with a per-run suffix the
  // classifier read some suffixes with confidence, and the test passed or failed by chance.
  const odd = "量子纠缠薛定谔方程";
  await say(odd);
  await page.click("#tab-unmatched");
  const listed = (await api.listUnmatched({ shopId: "lamp_shop", limit: 500 })).messages;
  assert.ok(listed.some((m) => m.text === odd), "the API lists the missed message");
  await page.waitForFunction((n) => document.querySelectorAll("#unmatched-table tbody tr").length === n, {}, listed.length);
  const rows = await page.$$eval("#unmatched-table tbody tr", (trs) => trs.map((tr) => ({ text: tr.getAttribute("data-text"), count: tr.querySelector(".count")?.textContent })));
  const mostFrequent = [...listed].sort((a, b) => (a.count === b.count ? Number(b.lastSeenUnixMs - a.lastSeenUnixMs) : a.count > b.count ? -1 : 1));
  assert.deepEqual(rows, mostFrequent.map((m) => ({ text: m.text, count: m.count.toString() })));
  const newest = [...listed].sort((a, b) => Number(b.lastSeenUnixMs - a.lastSeenUnixMs))[0];
  await page.select("#unmatched-order", "newest");
  assert.equal(await page.$eval("#unmatched-table tbody tr", (tr) => tr.getAttribute("data-text")), newest.text);
  await page.click("#unmatched-table tbody tr button.copy");
  const line = await page.$eval("#copied-line", (e) => e.textContent);
  assert.equal(line, `examples "${newest.text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), line);
  await shot("unmatched");
});

test(`dashboard over ${BENCH_CONVERSATIONS} conversations renders (measured, not asserted)`, async () => {
  const shopId = "apparel_shop";
  const started = Date.now();
  let next = 0;
  // A stream the server refused (HTTP/2 REFUSED_STREAM) was not processed: safe to send again. Any
  // other error fails the test.
  const call = async (f) => {
    for (let attempt = 1; ; attempt++) {
      try { return await f(); } catch (e) {
        if (attempt >= 5 || !(e instanceof ConnectError) || !e.message.includes("REFUSED_STREAM")) throw e;
      }
    }
  };
  const worker = async () => {
    for (let i = next++; i < BENCH_CONVERSATIONS; i = next++) {
      const conversationId = `bench-${started}-${i}`;
      await call(() => api.reply({ shopId, conversationId, message: i % 3 === 0 ? "在吗" : i % 3 === 1 ? "穿多大码" : "能退吗" }));
      if (i % 4 !== 3) await call(() => api.recordOutcome({ shopId, conversationId, outcome: pb.RecordOutcomeRequest_Outcome.ORDERED }));
      if (i % 2 === 0) await call(() => api.recordOutcome({ shopId, conversationId, outcome: pb.RecordOutcomeRequest_Outcome.PAID, paidTotalMinor: 8900n }));
    }
  };
  // 64 in flight, outcomes and replies mixed (this once failed with "database is locked" on SQLite).
  await Promise.all(Array.from({ length: 64 }, worker));
  results.benchSeedMs = Date.now() - started;
  const stats = await api.getStats({ shopId });
  assert.ok(stats.conversations >= BigInt(BENCH_CONVERSATIONS));

  await page.goto(`${CONSOLE_URL}/?shop=${shopId}#dashboard`, { waitUntil: "load" });
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForFunction((n) => document.querySelector("#kpi-conversations .kpi-value")?.textContent === n, {}, stats.conversations.toString());
  const renders = await page.$eval("#panel-dashboard", (e) => e.dataset.renders ?? "");
  const clicked = Date.now();
  await page.click("#dashboard-refresh");
  await page.waitForFunction((n) => document.querySelector("#panel-dashboard")?.dataset.renders !== n, {}, renders);
  results.dashboardConversations = Number(stats.conversations);
  results.dashboardRefreshMs = Date.now() - clicked;
  results.dashboardRenderMs = Number(await page.$eval("#panel-dashboard", (e) => e.dataset.renderMs));
  await shot("dashboard-bench");
});

test("no console errors on any page", () => {
  assert.deepEqual(consoleErrors, []);
});

async function dashboardState() {
  return page.evaluate(() => ({
    kpis: Object.fromEntries([...document.querySelectorAll(".kpi")].map((k) => [k.id, k.querySelector(".kpi-value")?.textContent ?? ""])),
    funnel: JSON.parse(document.querySelector("#chart-funnel")?.dataset.values ?? "null"),
    variantLabels: JSON.parse(document.querySelector("#chart-variants")?.dataset.labels ?? "[]"),
    variantRows: document.querySelectorAll("#variant-table tbody tr").length,
    stepRows: document.querySelectorAll("#step-table tbody tr").length,
  }));
}

// Independent of the page's formatting code: the same rules written again here.
function yuanOf(fen) {
  const s = fen.toString().padStart(3, "0");
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

function percentOf(part, whole) {
  if (whole <= 0n) return "—";
  const tenths = Math.round(Number(part * 1000n) / Number(whole));
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}
