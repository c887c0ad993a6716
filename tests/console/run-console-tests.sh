#!/usr/bin/env bash
# The shop console's real-browser tests: Debian's chromium (installed when missing), driven headless
# by puppeteer-core, against a real ScriptService (API on one free loopback port, the console on
# another) with its data in a temp folder. Screenshots go to tests/console/artifacts/.
# Prints "console: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# chromium, and a Chinese font so that the screenshots show the text rather than empty boxes.
if ! command -v chromium >/dev/null || [[ -z "$(fc-list :lang=zh 2>/dev/null)" ]]; then
  echo "installing chromium fonts-wqy-zenhei"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
fi

(cd tests/console && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
(cd src/ScriptService.Console && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

dotnet build src/ScriptService -c Release --nologo -v quiet -clp:ErrorsOnly
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(free_port)
CONSOLE_PORT=$(free_port)
while [[ "$CONSOLE_PORT" == "$PORT" ]]; do CONSOLE_PORT=$(free_port); done
dotnet src/ScriptService/bin/Release/net10.0/ScriptService.dll --urls "http://127.0.0.1:$PORT" \
  --Console:Url="http://127.0.0.1:$CONSOLE_PORT" --data "$WORK/data" \
  --Logging:LogLevel:Default=Warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited early:"; cat "$WORK/server.log"; exit 1; fi
  if node -e "require('net').connect($CONSOLE_PORT,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" 2>/dev/null; then break; fi
  sleep 0.1
done

export API_URL="http://127.0.0.1:$PORT" CONSOLE_URL="http://127.0.0.1:$CONSOLE_PORT" WORK
set +e
# CONSOLE_TEST_PATTERN runs only the tests whose names match (while working on one).
timeout 900 node --test ${CONSOLE_TEST_PATTERN:+--test-name-pattern="$CONSOLE_TEST_PATTERN"} --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$WORK/tap.txt" tests/console/console.test.mjs
STATUS=$?
set -e
PASSED=$(grep -E '^# pass ' "$WORK/tap.txt" | awk '{print $3}' || true)
FAILED=$(grep -E '^# fail ' "$WORK/tap.txt" | awk '{print $3}' || true)
PASSED=${PASSED:-0}; FAILED=${FAILED:-0}
if [[ $STATUS -ne 0 && $FAILED -eq 0 ]]; then FAILED=1; fi
if [[ $FAILED -ne 0 ]]; then echo "--- server log (last 50 lines) ---"; tail -n 50 "$WORK/server.log"; fi
echo "console: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
