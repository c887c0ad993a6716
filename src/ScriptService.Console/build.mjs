// Builds the console into wwwroot/ (committed, so the service serves it on a fresh clone without
// npm): type-checks with tsc, bundles src/main.ts with esbuild (minified, chart.js and the gRPC-Web
// client included), copies index.html and the stylesheet. Deterministic: same sources, same bytes.
//   npm ci && npm run build            rebuild
//   npm run check                      rebuild into a temp folder and fail if wwwroot/ differs
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes("--check");
const out = check ? mkdtempSync(path.join(tmpdir(), "sdsl-console-")) : path.join(here, "wwwroot");

execFileSync(process.execPath, [path.join(here, "node_modules/typescript/bin/tsc"), "-p", path.join(here, "tsconfig.json")], { stdio: "inherit" });

if (!check) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(here, "src/main.ts")],
  outfile: path.join(out, "console.js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022"],
  legalComments: "eof",
  logLevel: "warning",
});
await build({
  entryPoints: [path.join(here, "src/style.css")],
  outfile: path.join(out, "console.css"),
  bundle: true,
  minify: true,
  logLevel: "warning",
});
copyFileSync(path.join(here, "src/index.html"), path.join(out, "index.html"));

const files = readdirSync(out).sort();
for (const f of files) console.log(`${f}\t${readFileSync(path.join(out, f)).length} bytes`);

if (check) {
  const committed = path.join(here, "wwwroot");
  const stale = files.filter((f) => {
    try { return !readFileSync(path.join(out, f)).equals(readFileSync(path.join(committed, f))); } catch { return true; }
  });
  const extra = readdirSync(committed).filter((f) => !files.includes(f));
  rmSync(out, { recursive: true, force: true });
  if (stale.length > 0 || extra.length > 0) {
    console.error(`console: the committed bundle (src/ScriptService.Console/wwwroot) does not match its sources: ${[...stale, ...extra].join(", ")}. Run: cd src/ScriptService.Console && npm ci && npm run build`);
    process.exit(1);
  }
  console.log("console: the committed bundle matches its sources");
}
