#!/usr/bin/env bash
# ScriptService under load from our own generator on Grpc.Net.Client (tests/bench/LoadGen;
# docs/benchmarks.md, "A load generator on Grpc.Net.Client"): N buyers on a few long-lived HTTP/2
# connections, each a closed loop of Reply calls walking a lamp-shop dialogue in its own
# conversation, and EmptyCall at the same concurrency on the same connections, interleaved in rounds.
# Reports req/s, exact p50/p90/p99/p99.9, failures, answers that failed the generator's checks, the
# generator's own and the server's CPU per request, and Reply/EmptyCall. Not part of CI.
#
# Usage: tests/bench/service-load.sh [ROUNDS] [DURATION-SECONDS]      (default 3 rounds of 10 s per call)
# Environment:
#   STORE=sqlite-full (default) | sqlite-normal | postgres | postgres2 (two replicas; connections alternate between them)
#   WORKLOAD=a (default): 160 buyers, each its own conversation, one message in flight each
#   WORKLOAD=b:           16 conversations x 10 concurrent streams each
#   CONNECTIONS=16 (HTTP/2 connections), WARMUP=5 (seconds, before the first round), REQUEST_IDS=1 (send request ids)
#   PROFILE=FILE.nettrace: also record the first server with dotnet-trace (cpu-sampling) during round 1..ROUNDS
#   postgres* start a throwaway server with tests/postgres/start.sh and stop it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ROUNDS=${1:-3}
DURATION=${2:-10}
WORKLOAD=${WORKLOAD:-a}
STORE=${STORE:-sqlite-full}
CONNECTIONS=${CONNECTIONS:-16}
WARMUP=${WARMUP:-5}
case "$WORKLOAD" in
  a) CALLER_ARGS=(--workload a --callers 160) ;;
  b) CALLER_ARGS=(--workload b --callers 160 --conversations 16) ;;
  *) echo "WORKLOAD is a or b"; exit 2 ;;
esac
EXTRA_ARGS=()
if [ "${REQUEST_IDS:-0}" = 1 ]; then EXTRA_ARGS+=(--request-ids); fi
source tests/interop/lib.sh

PG_DIR=""
REPLICAS=1
case "$STORE" in
  sqlite-full) STORE_ARGS=(--Store:Durability=Full) ;;
  sqlite-normal) STORE_ARGS=(--Store:Durability=Normal) ;;
  postgres|postgres2)
    eval "$(bash tests/postgres/start.sh)"
    PG_DIR=$SDSL_TEST_POSTGRES_DIR
    STORE_ARGS=(--Store:Provider=postgres "--Store:ConnectionString=$SDSL_TEST_POSTGRES;Maximum Pool Size=180")
    [ "$STORE" = postgres2 ] && REPLICAS=2 ;;
  *) echo "STORE is sqlite-full, sqlite-normal, postgres or postgres2"; exit 2 ;;
esac
stop_postgres() { if [ -n "$PG_DIR" ]; then bash tests/postgres/stop.sh "$PG_DIR"; fi; }
TRACE_PID=""
stop_all() {
  if [ -n "$TRACE_PID" ]; then kill -INT "$TRACE_PID" 2>/dev/null || true; wait "$TRACE_PID" 2>/dev/null || true; fi
  for pid in ${SERVER_PIDS:-}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  stop_postgres
  cleanup
}
trap stop_all EXIT

dotnet build tests/bench/LoadGen -c Release --nologo -v quiet -clp:ErrorsOnly
LOADGEN=tests/bench/LoadGen/bin/Release/net10.0/LoadGen.dll

SERVER_PIDS=""
TARGET_ARGS=()
for r in $(seq 1 "$REPLICAS"); do
  start_server --interop "${STORE_ARGS[@]}"
  SERVER_PIDS+=" $SERVER_PID"
  TARGET_ARGS+=(--target "http://127.0.0.1:$PORT" --server-pid "$SERVER_PID")
done
FIRST_PID=${SERVER_PIDS# }; FIRST_PID=${FIRST_PID%% *}

if [ -n "${PROFILE:-}" ]; then
  # dotnet-trace (dotnet tool install --tool-path /tmp/dt dotnet-trace), started after the warm-up.
  DT=${DOTNET_TRACE:-/tmp/dt/dotnet-trace}
  (sleep "$WARMUP"; exec "$DT" collect -p "$FIRST_PID" --profile cpu-sampling -o "$PROFILE" --duration "00:00:00:$(printf '%02d' "$((ROUNDS * DURATION * 2))")") >"$WORK/trace.log" 2>&1 &
  TRACE_PID=$!
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
COMMAND="STORE=$STORE WORKLOAD=$WORKLOAD CONNECTIONS=$CONNECTIONS WARMUP=$WARMUP REQUEST_IDS=${REQUEST_IDS:-0} bash tests/bench/service-load.sh $ROUNDS $DURATION"
echo
echo "command: $COMMAND"
echo "store $STORE ($REPLICAS replica(s)); $(nproc) cores; load average before: $LOAD_BEFORE; $(date -u '+%F %H:%M UTC'); $(dotnet --version) SDK"
STATUS=0
dotnet "$LOADGEN" "${TARGET_ARGS[@]}" "${CALLER_ARGS[@]}" --connections "$CONNECTIONS" \
  --rounds "$ROUNDS" --duration "$DURATION" --warmup "$WARMUP" "${EXTRA_ARGS[@]}" || STATUS=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$TRACE_PID" ]; then
  wait "$TRACE_PID" 2>/dev/null || true
  TRACE_PID=""
  echo "trace: $PROFILE"; tail -3 "$WORK/trace.log"
fi
exit "$STATUS"
