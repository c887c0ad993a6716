#!/usr/bin/env bash
# Issue 9's budget "one full lamp_shop turn stays within 2x of before": the TurnBenchmarks of
# tests/ScriptDsl.Benchmarks built from the last main commit before the understanding work landed
# (BASE, default d098c49: "Merge policy updates", 2026-11-22, the parent of 97f42d3, the
# understanding contract) and from the working tree, run in one session, interleaved
# (before, after, before, after, ...), each in-process with BenchmarkDotNet. Prints each round's
# mean per benchmark, the median over the rounds, the ratio after/before and the load average.
#
#   bash tests/bench/turn-compare.sh                 # 2 rounds, short job
#   ROUNDS=3 JOB=default bash tests/bench/turn-compare.sh
#
# Only the benchmarks both sides have are compared (FirstTurnGreetAndAsk, SlotsAndRecommendation,
# QuickPhrase: the same messages on both sides; CounterOfferInChat is new). Each side runs its own
# compiled scripts/lamp_shop.csdsl, as a shop would before and after upgrading.
set -euo pipefail

BASE=${BASE:-d098c49}
ROUNDS=${ROUNDS:-2}
JOB=${JOB:-short}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
tmp=$(mktemp -d /tmp/turn-compare.XXXXXX)
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

echo "turn-compare: before = $BASE ($(git -C "$root" log -1 --format='%h %ad %s' --date=short "$BASE" | cut -c1-80))"
echo "turn-compare: after  = working tree of $root ($(git -C "$root" log -1 --format='%h' HEAD)$(git -C "$root" diff --quiet HEAD -- src scripts standard tests/ScriptDsl.Benchmarks || echo ', with uncommitted changes'))"
echo "turn-compare: load average before building: $(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$tmp/before"
git -C "$root" archive "$BASE" | tar -x -C "$tmp/before"

# Release builds of the benchmark project only (the generator compiles each side's scripts).
timeout 1200 dotnet build -c Release -nologo -v q "$tmp/before/tests/ScriptDsl.Benchmarks/ScriptDsl.Benchmarks.csproj" > "$tmp/build-before.log" 2>&1 \
  || { tail -30 "$tmp/build-before.log"; echo "turn-compare: the $BASE build failed"; exit 1; }
timeout 1200 dotnet build -c Release -nologo -v q "$root/tests/ScriptDsl.Benchmarks/ScriptDsl.Benchmarks.csproj" > "$tmp/build-after.log" 2>&1 \
  || { tail -30 "$tmp/build-after.log"; echo "turn-compare: the working tree's build failed"; exit 1; }
before_dll="$tmp/before/tests/ScriptDsl.Benchmarks/bin/Release/net10.0/ScriptDsl.Benchmarks.dll"
after_dll="$root/tests/ScriptDsl.Benchmarks/bin/Release/net10.0/ScriptDsl.Benchmarks.dll"

run() { # side round dll
  local out="$tmp/$1-$2"
  mkdir -p "$out"
  echo "turn-compare: round $2, $1 (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  (cd "$out" && timeout 1800 dotnet "$3" --filter '*TurnBenchmarks*' --job "$JOB" --inProcess --exporters json --artifacts "$out" > "$out/run.log" 2>&1) \
    || { tail -30 "$out/run.log"; echo "turn-compare: the $1 run failed"; exit 1; }
}

for round in $(seq 1 "$ROUNDS"); do
  run before "$round" "$before_dll"
  run after "$round" "$after_dll"
done
echo "turn-compare: load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$tmp" "$ROUNDS" <<'PY'
import glob, json, os, statistics, sys
tmp, rounds = sys.argv[1], int(sys.argv[2])
def read(side, r):
    files = glob.glob(os.path.join(tmp, f"{side}-{r}", "**", "*TurnBenchmarks*.json"), recursive=True)
    if not files:
        sys.exit(f"turn-compare: no BenchmarkDotNet JSON report for {side}, round {r}")
    result = {}
    for b in json.load(open(files[0], encoding="utf-8"))["Benchmarks"]:
        mem = (b.get("Memory") or {}).get("BytesAllocatedPerOperation")
        result[b["Method"]] = (b["Statistics"]["Mean"], mem)
    return result
before = [read("before", r) for r in range(1, rounds + 1)]
after = [read("after", r) for r in range(1, rounds + 1)]
common = [m for m in before[0] if m in after[0]]
print()
print("| Benchmark | before mean per round (ns) | after mean per round (ns) | before median | after median | after / before | allocated before → after |")
print("|---|---|---|---:|---:|---:|---|")
worst = 0.0
for m in common:
    b = [x[m][0] for x in before]
    a = [x[m][0] for x in after]
    mb, ma = statistics.median(b), statistics.median(a)
    ratio = ma / mb
    worst = max(worst, ratio)
    alloc = f"{before[0][m][1]} B → {after[0][m][1]} B"
    print(f"| {m} | {', '.join(f'{v:,.0f}' for v in b)} | {', '.join(f'{v:,.0f}' for v in a)} | {mb:,.0f} | {ma:,.0f} | {ratio:.2f}x | {alloc} |")
only = [m for m in after[0] if m not in before[0]]
for m in only:
    a = [x[m][0] for x in after]
    print(f"| {m} (new) | — | {', '.join(f'{v:,.0f}' for v in a)} | — | {statistics.median(a):,.0f} | — | {after[0][m][1]} B |")
print()
print(f"turn-compare: worst ratio {worst:.2f}x ({'within' if worst <= 2.0 else 'OVER'} the 2x budget)")
PY
