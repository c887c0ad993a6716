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
#   WORKLOAD=a (default): 160 buyers, each its own conversation, one message in flight each (BUYERS=N for another number)
#   WORKLOAD=b:           16 conversations x 10 concurrent streams each
#   CONNECTIONS=16 (HTTP/2 connections), WARMUP=20 (seconds before the first round, half EmptyCall, half Reply: tiered JIT settles), REQUEST_IDS=1 (send request ids)
#   SERVER_ENV="NAME=VALUE ...", LOADGEN_ENV="NAME=VALUE ...": extra environment for the server(s) / the generator only (e.g. DOTNET_GCgen0size=0x4000000)
#   CALLS=both (default) | reply | empty: which calls the rounds run (reply alone for a profile of the Reply path)
#   GENERATOR=loadgen (default: tests/bench/LoadGen, Grpc.Net.Client) | h2gen (tests/bench/h2gen/h2gen.c: the same
#     load, checks and table from one C thread on libnghttp2, at a fraction of the CPU; built here with gcc into
#     the run's temp folder; needs libnghttp2-dev: apt-get install -y libnghttp2-dev). LOADGEN_ENV applies to either.
#   PERF=FILE.data: record the first server with `perf record -g` (on-CPU samples, 499 Hz) during the rounds;
#     the server runs with DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0 so perf
#     names every managed frame (use WARMUP=20 or more: without ReadyToRun the warm-up JIT-compiles more);
#     summarize with tests/bench/profile-summary.py FILE.data
#   PROFILE=FILE.nettrace: record the first server with dotnet-trace (cpu-sampling) during the rounds
#     (dotnet tool install --tool-path /tmp/dt dotnet-trace; DOTNET_TRACE=path to use another)
#   postgres* start a throwaway server with tests/postgres/start.sh and stop it at the end, and report the
#     PostgreSQL processes' CPU per request (the postmaster and all its backends) beside the service's;
#     PG_OPTIONS="..." adds Npgsql options to the connection string (default none: the store's own defaults)
#   PG_PERF=FILE.data: (postgres*) record the PostgreSQL backends with `perf record -g` during the rounds, as PERF= does
#     the service (the backends that exist when the rounds start; `perf report -i FILE.data --no-children --sort sym`)
#   JITLOG=FILE: the first server writes every method the JIT compiles to FILE (DOTNET_JitStdOutFile with
#     DOTNET_JitDisasmSummary=1: one line per compilation, with its tier), to see what is still compiled late in a run
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ROUNDS=${1:-3}
DURATION=${2:-10}
WORKLOAD=${WORKLOAD:-a}
STORE=${STORE:-sqlite-full}
CONNECTIONS=${CONNECTIONS:-16}
WARMUP=${WARMUP:-20}
case "$WORKLOAD" in
  a) CALLER_ARGS=(--workload a --callers "${BUYERS:-160}") ;;
  b) CALLER_ARGS=(--workload b --callers 160 --conversations 16) ;;
  *) echo "WORKLOAD is a or b"; exit 2 ;;
esac
EXTRA_ARGS=()
if [ "${REQUEST_IDS:-0}" = 1 ]; then EXTRA_ARGS+=(--request-ids); fi
EXTRA_ARGS+=(--calls "${CALLS:-both}")
source tests/interop/lib.sh

source tests/bench/store.sh
TRACE_PID=""
PERF_PID=""
PG_PERF_PID=""
stop_all() {
  if [ -n "$TRACE_PID" ]; then kill -INT "$TRACE_PID" 2>/dev/null || true; wait "$TRACE_PID" 2>/dev/null || true; fi
  if [ -n "$PERF_PID" ]; then kill -INT "$PERF_PID" 2>/dev/null || true; wait "$PERF_PID" 2>/dev/null || true; fi
  if [ -n "$PG_PERF_PID" ]; then kill -INT "$PG_PERF_PID" 2>/dev/null || true; wait "$PG_PERF_PID" 2>/dev/null || true; fi
  for pid in ${SERVER_PIDS:-}; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "/tmp/perf-$pid.map"; done
  stop_postgres
  cleanup
}
trap stop_all EXIT

GENERATOR=${GENERATOR:-loadgen}
case "$GENERATOR" in loadgen|h2gen) ;; *) echo "GENERATOR is loadgen or h2gen"; exit 2 ;; esac
if [ "$GENERATOR" = h2gen ] && [ ! -f /usr/include/nghttp2/nghttp2.h ]; then echo "GENERATOR=h2gen needs libnghttp2-dev (apt-get install -y libnghttp2-dev)"; exit 2; fi
dotnet build src/ScriptService -c Release --nologo -v quiet -clp:ErrorsOnly
case "$GENERATOR" in
  loadgen)
    dotnet build tests/bench/LoadGen -c Release --nologo -v quiet -clp:ErrorsOnly
    GENERATOR_CMD=(dotnet tests/bench/LoadGen/bin/Release/net10.0/LoadGen.dll) ;;
  h2gen)
    gcc -O2 -Wall -Wextra -Werror -o "$WORK/h2gen" tests/bench/h2gen/h2gen.c -lnghttp2 -lm
    GENERATOR_CMD=("$WORK/h2gen") ;;
esac

# As tests/interop/lib.sh's start_server, without its build, each replica with a data folder and log
# of its own, and (PERF) the JIT's perf map for the first server only (not for the build's processes).
launch_server() { # replica-number
  PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  local perfmap=0 wx=1 r2r=1
  # For perf: the JIT's symbol map; W^X off (else JIT code runs from a memfd double mapping the map
  # does not name); ReadyToRun off, so the framework's code is JIT-compiled too and named in the map.
  if [ -n "${PERF:-}" ] && [ "$1" = 1 ]; then perfmap=1 wx=0 r2r=0; fi
  local jit=()
  if [ -n "${JITLOG:-}" ] && [ "$1" = 1 ]; then jit=(DOTNET_JitDisasmSummary=1 "DOTNET_JitStdOutFile=$JITLOG"); fi
  env ${SERVER_ENV:-} "${jit[@]}" DOTNET_PerfMapEnabled=$perfmap DOTNET_EnableWriteXorExecute=$wx DOTNET_ReadyToRun=$r2r dotnet src/ScriptService/bin/Release/net10.0/ScriptService.dll --urls "http://127.0.0.1:$PORT" \
    --data "$WORK/data$1" --Logging:LogLevel:Default=Warning --Console:Enabled=false --interop "${STORE_ARGS[@]}" >"$WORK/server$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server exited early:"; cat "$WORK/server$1.log"; exit 1; fi
    if "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2).close()" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server did not accept connections within 30 s:"; cat "$WORK/server$1.log"; exit 1
}

SERVER_PIDS=""
TARGET_ARGS=()
for r in $(seq 1 "$REPLICAS"); do
  launch_server "$r"
  SERVER_PIDS+=" $SERVER_PID"
  TARGET_ARGS+=(--target "http://127.0.0.1:$PORT" --server-pid "$SERVER_PID")
done
FIRST_PID=${SERVER_PIDS# }; FIRST_PID=${FIRST_PID%% *}
if [ -n "$PG_PID" ]; then TARGET_ARGS+=(--db-pid "$PG_PID"); fi

if [ -n "${PROFILE:-}" ]; then
  # dotnet-trace (dotnet tool install --tool-path /tmp/dt dotnet-trace), started after the warm-up.
  DT=${DOTNET_TRACE:-/tmp/dt/dotnet-trace}
  (sleep "$WARMUP"; exec "$DT" collect -p "$FIRST_PID" --profile cpu-sampling -o "$PROFILE" --duration "00:00:00:$(printf '%02d' "$((ROUNDS * DURATION * 2))")") >"$WORK/trace.log" 2>&1 &
  TRACE_PID=$!
fi

if [ -n "${PERF:-}" ]; then
  # The rounds start after the generator's reference dialogue and the warm-up; a few seconds' margin.
  RECORD=$(( ROUNDS * DURATION * $([ "${CALLS:-both}" = both ] && echo 2 || echo 1) ))
  (sleep "$((WARMUP + 3))"; exec perf record -F 499 -g -p "$FIRST_PID" -o "$PERF" -- sleep "$RECORD") >"$WORK/perf.log" 2>&1 &
  PERF_PID=$!
fi

if [ -n "${PG_PERF:-}" ] && [ -n "$PG_PID" ]; then
  RECORD=$(( ROUNDS * DURATION * $([ "${CALLS:-both}" = both ] && echo 2 || echo 1) ))
  # The backends are the postmaster's children once the warm-up has opened the pool's connections.
  (sleep "$((WARMUP + 3))"; exec perf record -F 499 -g -p "$(pgrep -d, -P "$PG_PID")" -o "$PG_PERF" -- sleep "$RECORD") >"$WORK/pg-perf.log" 2>&1 &
  PG_PERF_PID=$!
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
GEN_SHOWN=""; [ "$GENERATOR" = loadgen ] || GEN_SHOWN="GENERATOR=$GENERATOR "
COMMAND="$GEN_SHOWN${CALLS:+CALLS=$CALLS }${PG_OPTIONS:+PG_OPTIONS=\"$PG_OPTIONS\" }${BUYERS:+BUYERS=$BUYERS }${SERVER_ENV:+SERVER_ENV=\"$SERVER_ENV\" }${LOADGEN_ENV:+LOADGEN_ENV=\"$LOADGEN_ENV\" }STORE=$STORE WORKLOAD=$WORKLOAD CONNECTIONS=$CONNECTIONS WARMUP=$WARMUP REQUEST_IDS=${REQUEST_IDS:-0} bash tests/bench/service-load.sh $ROUNDS $DURATION"
echo
echo "command: $COMMAND"
echo "store $STORE ($REPLICAS replica(s)); $(nproc) cores; load average before: $LOAD_BEFORE; $(date -u '+%F %H:%M UTC'); $(dotnet --version) SDK"
STATUS=0
env ${LOADGEN_ENV:-} "${GENERATOR_CMD[@]}" "${TARGET_ARGS[@]}" "${CALLER_ARGS[@]}" --connections "$CONNECTIONS" \
  --rounds "$ROUNDS" --duration "$DURATION" --warmup "$WARMUP" "${EXTRA_ARGS[@]}" || STATUS=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$TRACE_PID" ]; then
  wait "$TRACE_PID" 2>/dev/null || true
  TRACE_PID=""
  echo "trace: $PROFILE"; tail -3 "$WORK/trace.log"
fi
if [ -n "$PERF_PID" ]; then
  wait "$PERF_PID" 2>/dev/null || true
  PERF_PID=""
  # The samples' stacks as text, while the server's JIT symbol map (/tmp/perf-PID.map, removed at exit) exists.
  perf script -i "$PERF" >"$PERF.txt" 2>/dev/null || true
  echo "perf: $PERF, stacks in $PERF.txt (summarize: python3 tests/bench/profile-summary.py $PERF.txt)"; tail -2 "$WORK/perf.log"
fi
if [ -n "$PG_PERF_PID" ]; then
  wait "$PG_PERF_PID" 2>/dev/null || true
  PG_PERF_PID=""
  echo "postgres perf: $PG_PERF (perf report -i $PG_PERF --no-children --sort dso,sym)"; tail -2 "$WORK/pg-perf.log"
fi
exit "$STATUS"
