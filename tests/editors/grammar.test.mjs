// Tokenizes the shops' example scripts with VS Code's own TextMate engine (vscode-textmate on the
// Oniguruma regex library compiled to WebAssembly, as VS Code runs it) and checks the scopes of a
// sample of tokens: keywords, strings, {{ }} template parts, comments, sdsl:allow pragmas,
// numbers and money, and the understanding keywords.
//   cd tests/editors && npm ci && npm test
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import vsctm from "vscode-textmate";
import oniguruma from "vscode-oniguruma";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const grammarPath = path.join(root, "editors/vscode-csdsl/syntaxes/csdsl.tmLanguage.json");
const require = createRequire(import.meta.url);

const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async (scopeName) =>
    scopeName === "source.csdsl" ? vsctm.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null,
});
const grammar = await registry.loadGrammar("source.csdsl");

/** Every line of a text as a list of { text, scopes } tokens. */
function tokenize(source) {
  let stack = vsctm.INITIAL;
  return source.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return {
      line,
      endStackDepth: stack.depth,
      tokens: result.tokens.map((t) => ({ text: line.substring(t.startIndex, t.endIndex), scopes: t.scopes })),
    };
  });
}

/** The scopes of the `occurrence`th token whose text is `token`, on the first line containing `lineNeedle`. */
function scopesOf(lines, lineNeedle, token, occurrence = 0) {
  const line = lines.find((l) => l.line.includes(lineNeedle));
  assert.ok(line, `no line contains ${JSON.stringify(lineNeedle)}`);
  const hits = line.tokens.filter((t) => t.text === token);
  assert.ok(hits.length > occurrence,
    `no token ${JSON.stringify(token)} (#${occurrence}) on line ${JSON.stringify(line.line)}; tokens: ${JSON.stringify(line.tokens.map((t) => t.text))}`);
  return hits[occurrence].scopes;
}

function expectScope(lines, lineNeedle, token, scope, occurrence = 0) {
  const scopes = scopesOf(lines, lineNeedle, token, occurrence);
  assert.ok(scopes.includes(scope), `${JSON.stringify(token)} on ${JSON.stringify(lineNeedle)}: expected ${scope}, got ${scopes.join(" ")}`);
  return scopes;
}

function expectNoScope(lines, lineNeedle, token, scope, occurrence = 0) {
  const scopes = scopesOf(lines, lineNeedle, token, occurrence);
  assert.ok(!scopes.includes(scope), `${JSON.stringify(token)} on ${JSON.stringify(lineNeedle)}: unexpected ${scope} in ${scopes.join(" ")}`);
}

const lamp = tokenize(readFileSync(path.join(root, "scripts/lamp_shop.csdsl"), "utf8"));
const apparel = tokenize(readFileSync(path.join(root, "scripts/apparel_shop.csdsl"), "utf8"));

const standard = readdirSync(path.join(root, "standard")).filter((f) => f.endsWith(".csdsl")).sort()
  .map((f) => [`standard/${f}`, tokenize(readFileSync(path.join(root, "standard", f), "utf8"))]);

test("every line of both scripts and the standard libraries ends back at the top level (no string or template left open)", () => {
  for (const [name, lines] of [["scripts/lamp_shop", lamp], ["scripts/apparel_shop", apparel], ...standard]) {
    lines.forEach((l, i) => assert.equal(l.endStackDepth, 1, `${name}.csdsl line ${i + 1} leaves a rule open: ${l.line}`));
  }
});

test("declarations: shop, policy and slot names", () => {
  expectScope(lamp, 'shop lamp_shop "明亮灯饰"', "shop", "storage.type.csdsl");
  expectScope(lamp, 'shop lamp_shop "明亮灯饰"', "lamp_shop", "entity.name.type.shop.csdsl");
  expectScope(lamp, "policy bargain for lamp_shop", "policy", "storage.type.csdsl");
  expectScope(lamp, "policy bargain for lamp_shop", "bargain", "entity.name.function.policy.csdsl");
  expectScope(lamp, "policy bargain for lamp_shop", "lamp_shop", "entity.name.type.shop.csdsl");
  expectScope(lamp, "slot room: choice(", "room", "variable.other.declaration.csdsl");
  expectScope(apparel, 'shop apparel_shop "小青衣橱"', "apparel_shop", "entity.name.type.shop.csdsl");
});

test("keywords and types", () => {
  expectScope(lamp, "stage consult {", "stage", "storage.type.csdsl");
  expectScope(lamp, "intent recommend on", "intent", "storage.type.csdsl");
  expectScope(lamp, "intent recommend on", "on", "keyword.control.csdsl");
  expectScope(lamp, "ask room, style, shape", "ask", "keyword.control.csdsl");
  expectScope(lamp, "then suggest", "then", "keyword.control.csdsl");
  expectScope(lamp, "fact ship_within_hours: int = 48", "int", "support.type.csdsl");
  expectScope(lamp, "slot budget: money", "money", "support.type.csdsl");
  expectScope(lamp, "if room == 卧室 and style == 北欧", "if", "keyword.control.csdsl");
  expectScope(lamp, "if room == 卧室 and style == 北欧", "and", "keyword.operator.logical.csdsl");
  expectScope(lamp, "if room == 卧室 and style == 北欧", "==", "keyword.operator.comparison.csdsl");
  expectScope(lamp, "if room == 卧室 and style == 北欧", "->", "keyword.operator.arrow.csdsl");
  expectScope(lamp, "flag red", "red", "constant.language.csdsl");
  expectScope(lamp, "currency CNY", "currency", "keyword.other.csdsl");
  expectScope(apparel, "if height < 160 and weight <= 50", "<=", "keyword.operator.comparison.csdsl");
  expectScope(apparel, "fit != 宽松", "!=", "keyword.operator.comparison.csdsl");
  // A Chinese word glued to a keyword is a name, not the keyword.
  expectNoScope(tokenize("slot order_no: text"), "slot order_no", "order_no", "storage.type.csdsl");
});

test("strings and the {{ }} template parts inside them", () => {
  const name = expectScope(lamp, '"明亮灯饰" {', '"', "string.quoted.double.csdsl");
  assert.ok(name.includes("punctuation.definition.string.begin.csdsl"));
  expectScope(lamp, "欢迎光临{{ shop.name }}", "亲, 您好, 欢迎光临", "string.quoted.double.csdsl");
  const open = expectScope(lamp, "欢迎光临{{ shop.name }}", "{{", "punctuation.section.template.begin.csdsl");
  assert.ok(open.includes("string.quoted.double.csdsl"), "the template part is inside the string");
  // `shop` inside a template is a variable, not the `shop` keyword.
  expectScope(lamp, "欢迎光临{{ shop.name }}", "shop", "variable.other.template.csdsl");
  expectNoScope(lamp, "欢迎光临{{ shop.name }}", "shop", "storage.type.csdsl");
  expectScope(lamp, "欢迎光临{{ shop.name }}", "}}", "punctuation.section.template.end.csdsl");
  expectScope(lamp, "只要{{ item.price | money }}元", "|", "punctuation.separator.alternation.csdsl", 0);
  expectScope(lamp, "只要{{ item.price | money }}元", "|", "keyword.operator.pipe.csdsl", 1);
  expectScope(lamp, "只要{{ item.price | money }}元", "money", "support.function.template.csdsl");
  expectScope(lamp, "{{ if to_next_coupon > 0 }}", "if", "keyword.control.template.csdsl");
  expectScope(lamp, "{{ if to_next_coupon > 0 }}", "end", "keyword.control.template.csdsl");
  // Text after a template part is string again.
  expectScope(lamp, "只要{{ item.price | money }}元", "元哦, 您看下喜不喜欢呢?", "string.quoted.double.csdsl");
  const escaped = tokenize('reply "他说\\"好\\"{{ x }}"');
  expectScope(escaped, "reply", '\\"', "constant.character.escape.csdsl");
  expectScope(escaped, "reply", "x", "variable.other.template.csdsl");
});

test("comments and sdsl:allow pragmas", () => {
  expectScope(lamp, "// ---- facts", "//", "comment.line.double-slash.csdsl");
  const pragma = expectScope(lamp, "order on concept bought // sdsl:allow SDSL1004", "sdsl:allow", "keyword.other.pragma.allow.csdsl");
  assert.ok(pragma.includes("comment.line.double-slash.csdsl"));
  expectScope(lamp, "order on concept bought // sdsl:allow SDSL1004", "SDSL1004", "constant.other.diagnostic-id.csdsl");
  expectScope(lamp, "order on concept bought // sdsl:allow SDSL1004", "order", "storage.type.csdsl");
  // A quote inside a comment opens no string.
  const c = tokenize('// say "hi\nshop x "y" {');
  expectScope(c, "shop x", "shop", "storage.type.csdsl");
});

test("numbers, money, percentages and dates", () => {
  expectScope(lamp, 'sku "NB-201"', "299.00", "constant.numeric.money.csdsl");
  expectScope(lamp, "floor 85% of list", "85%", "constant.numeric.percent.csdsl");
  expectScope(lamp, 'floor sku "KT-880" 540.00', "540.00", "constant.numeric.money.csdsl");
  expectScope(lamp, 'coupon "店铺优惠券" spend 300.00 off 20.00', "20.00", "constant.numeric.money.csdsl");
  expectScope(lamp, "fact ship_within_hours: int = 48", "48", "constant.numeric.integer.csdsl");
  expectScope(lamp, "max_rounds 6", "6", "constant.numeric.integer.csdsl");
  expectScope(apparel, 'price 89.00 category 上衣', "89.00", "constant.numeric.money.csdsl");
  const t = tokenize('fact promo_end: date = 2026-12-12\nitem x sku "A" name "B" price 599 category c\nunit "斤" = 0.5 kg');
  expectScope(t, "promo_end", "2026-12-12", "constant.numeric.date.csdsl");
  expectScope(t, "price 599", "599", "constant.numeric.money.csdsl");
  expectScope(t, "unit", "0.5", "constant.numeric.decimal.csdsl");
});

test("the standard libraries: library, intent, label and examples", () => {
  const presale = standard.find(([name]) => name === "standard/presale.csdsl")?.[1];
  assert.ok(presale, "standard/presale.csdsl exists");
  expectScope(presale, 'library presale "售前标准问法"', "library", "storage.type.csdsl");
  expectScope(presale, 'library presale "售前标准问法"', "presale", "entity.name.type.shop.csdsl");
  expectScope(presale, 'intent greet label "打招呼"', "intent", "storage.type.csdsl");
  expectScope(presale, 'intent greet label "打招呼"', "label", "keyword.control.csdsl");
  expectScope(presale, 'examples "在吗" | "在不在"', "examples", "keyword.control.csdsl");
  expectScope(presale, 'examples "在吗" | "在不在"', "在吗", "string.quoted.double.csdsl");
  expectScope(presale, "// The standard presale library", "//", "comment.line.double-slash.csdsl");
});

test("the understanding keywords (docs/design/understanding-spec.md)", () => {
  const src = [
    "library presale \"售前标准问法\" {",
    "  intent shipping label \"发货时间和快递\"",
    "    examples \"一般几天能到啊\" | \"什么时候发货呀\"",
    "}",
    "shop s \"S\" {",
    "  use standard presale",
    "  understanding { threshold 0.55 margin 0.10 }",
    "  unit \"斤\" = 0.5 kg",
    "  expect \"我得问问我老婆\" -> authority",
    "  objection price like price on \"贵\"",
    "  quote on \"一共多少钱\" examples \"算一下价格\" use policy bargain",
    "  close on \"就这个吧\" reply \"好的亲, 全套{{ total | money }}元\"",
    "}",
  ].join("\n");
  const t = tokenize(src);
  expectScope(t, "library presale", "library", "storage.type.csdsl");
  expectScope(t, "library presale", "presale", "entity.name.type.shop.csdsl");
  expectScope(t, "intent shipping label", "label", "keyword.control.csdsl");
  expectScope(t, "examples \"一般几天能到啊\"", "examples", "keyword.control.csdsl");
  expectScope(t, "examples \"一般几天能到啊\"", "|", "punctuation.separator.alternation.csdsl");
  expectScope(t, "use standard presale", "use", "keyword.control.csdsl");
  expectScope(t, "use standard presale", "standard", "keyword.control.csdsl");
  expectScope(t, "use standard presale", "presale", "entity.name.namespace.library.csdsl");
  expectScope(t, "understanding {", "understanding", "storage.type.csdsl");
  expectScope(t, "understanding {", "threshold", "keyword.other.csdsl");
  expectScope(t, "understanding {", "0.55", "constant.numeric.decimal.csdsl");
  expectScope(t, "unit \"斤\"", "unit", "storage.type.csdsl");
  expectScope(t, "expect \"我得问问我老婆\"", "expect", "storage.type.csdsl");
  expectScope(t, "expect \"我得问问我老婆\"", "->", "keyword.operator.arrow.csdsl");
  expectScope(t, "objection price like price", "like", "keyword.control.csdsl");
  expectScope(t, "quote on", "quote", "storage.type.csdsl");
  expectScope(t, "close on", "close", "storage.type.csdsl");
  expectScope(t, "close on", "money", "support.function.template.csdsl");
});
