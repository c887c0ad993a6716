#!/usr/bin/env bash
# Runs every test of the project: the .NET test projects, then the interop tests that drive
# our server with other languages' gRPC clients. Installs the system packages those need.
# Ends with one line "total: N passed, M failed" over everything that ran.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=$(mktemp)
PG_DIR=""
cleanup() {
  rm -f "$LOG"
  if [ -n "$PG_DIR" ]; then bash tests/postgres/stop.sh "$PG_DIR" || true; fi
}
trap cleanup EXIT

# One real PostgreSQL server for the store contract suite and the multi-replica test (installed
# when missing, initdb into a temporary folder, a free loopback port; stopped and removed on exit).
eval "$(bash tests/postgres/start.sh)"
PG_DIR="$SDSL_TEST_POSTGRES_DIR"
export SDSL_TEST_POSTGRES

# Every suite runs even when an earlier one fails, so one run shows every failure; the script
# exits non-zero at the end if any suite failed.
STATUS=0
run() { "$@" 2>&1 | tee -a "$LOG" || STATUS=1; }

run dotnet test ScriptDsl.sln --nologo

# gRPC interop: Debian's Python grpcio client against our server (installs what it needs).
run bash tests/interop/run-python-interop.sh

# Our own API from Python's stock grpcio client, with stubs generated from protos/scriptdsl/v1.
run bash tests/interop/run-python-api.sh

# Editor highlighting: the .csdsl TextMate grammar, tokenized by VS Code's own engine (node).
run bash tests/editors/run-editors-tests.sh

# The shop console in a real browser (Debian chromium, headless, puppeteer-core) against a real service.
run bash tests/console/run-console-tests.sh

# dotnet test prints "Passed!  - Failed: F, Passed: P, ..." per project; the interop scripts
# print "interop: P passed, F failed" and "api: P passed, F failed"; the node suites "editors: ..." and "console: ...".
awk '
  /^(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    gsub(/,/, ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1) } }
  /^(interop|api|editors|console): [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
  END { printf "total: %d passed, %d failed\n", p, f; if (f > 0) exit 1 }' "$LOG" || STATUS=1
exit "$STATUS"
