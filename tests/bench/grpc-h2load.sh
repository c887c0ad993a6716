#!/usr/bin/env bash
# gRPC stack benchmark (docs/benchmarks.md, section "gRPC stack"): h2load on loopback against the
# server's interop service (--interop): unary EmptyCall, and UnaryCall with a 64-byte payload each
# way. With BASELINE_DLL set to another build's ScriptService.dll (e.g. the hand-written layer this
# project had before grpc-dotnet, built from `git archive` of that commit), that server runs too, on
# its own port, and the two are driven interleaved in the same session.
# With ALLOC=1 it also measures the bytes each server allocates per call (dotnet-counters'
# dotnet.gc.heap.total_allocated over one run of each call; deterministic enough to compare on a busy machine).
# Not part of CI. Usage: [BASELINE_DLL=/tmp/old/.../ScriptService.dll] [ALLOC=1] tests/bench/grpc-h2load.sh [requests-per-run] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${1:-100000}
ROUNDS=${2:-3}
CONNECTIONS=16
STREAMS=10
BASELINE_DLL=${BASELINE_DLL:-}
ALLOC=${ALLOC:-}

source tests/interop/lib.sh
ensure_h2load

BASE_PID=
stop_baseline() {
  if [[ -n "$BASE_PID" ]] && kill -0 "$BASE_PID" 2>/dev/null; then
    kill "$BASE_PID" 2>/dev/null || true
    wait "$BASE_PID" 2>/dev/null || true
  fi
  cleanup
}
trap stop_baseline EXIT

# Request bodies, length-prefixed: Empty, and SimpleRequest{response_size=64, payload.body=64 zero bytes}.
"$PY" - "$WORK" <<'PYEOF'
import struct, sys
work = sys.argv[1]
def frame(payload):
    return b"\x00" + struct.pack(">I", len(payload)) + payload
payload = b"\x12\x40" + b"\x00" * 64            # Payload.body (field 2), 64 bytes
request = b"\x10\x40" + b"\x1a" + bytes([len(payload)]) + payload  # response_size=64, payload
open(work + "/empty.bin", "wb").write(frame(b""))
open(work + "/unary64.bin", "wb").write(frame(request))
PYEOF

start_server --interop
declare -A URL PID
URL[dotnet]="http://127.0.0.1:$PORT"
PID[dotnet]=$SERVER_PID
SIDES="dotnet"
if [[ -n "$BASELINE_DLL" ]]; then
  BASE_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  dotnet "$BASELINE_DLL" --urls "http://127.0.0.1:$BASE_PORT" --data "$WORK/baseline-data" --Logging:LogLevel:Default=Warning --interop \
    >"$WORK/baseline.log" 2>&1 &
  BASE_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$BASE_PID" 2>/dev/null || { echo "baseline server exited early:"; cat "$WORK/baseline.log"; exit 1; }
    "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $BASE_PORT), 0.2).close()" 2>/dev/null && break
    sleep 0.1
  done
  URL[baseline]="http://127.0.0.1:$BASE_PORT"
  PID[baseline]=$BASE_PID
  SIDES="dotnet baseline"
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# h2load counts any HTTP 200 as success, whatever grpc-status says: check one call of each first.
for side in $SIDES; do
  for target in "EmptyCall empty.bin" "UnaryCall unary64.bin"; do
    set -- $target
    out=$(curl -s --http2-prior-knowledge -D - -o "$WORK/resp.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
      --data-binary @"$WORK/$2" "${URL[$side]}/grpc.testing.TestService/$1" 2>&1 || true)
    # curl prints trailers after the body with -D; grpc-status must be 0.
    if ! grep -qi '^grpc-status: 0' <<<"$out"; then echo "sample $side $1 did not return grpc-status 0:"; echo "$out"; exit 1; fi
    echo "sample $side $1: grpc-status 0, $(stat -c %s "$WORK/resp.bin") response bytes"
  done
done

TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

run() { # side method body -> prints "requests/s server-CPU-microseconds/request"
  local before after pid=${PID[$1]}
  before=$(cpu_ticks "$pid")
  h2load -n "$REQUESTS" -c "$CONNECTIONS" -m "$STREAMS" -t 1 -d "$WORK/$3" \
    -H 'content-type: application/grpc' -H 'te: trailers' "${URL[$1]}/grpc.testing.TestService/$2" >"$WORK/h2load.out" 2>&1
  after=$(cpu_ticks "$pid")
  if ! grep -q " 0 failed, 0 errored, 0 timeout" "$WORK/h2load.out"; then
    cat "$WORK/h2load.out" >&2
  fi
  local rps
  rps=$(grep -E '^finished in' "$WORK/h2load.out" | sed -E 's/.* ([0-9.]+) req\/s.*/\1/')
  # Server CPU time per request: less sensitive than req/s to other load on a shared machine.
  awk -v r="$rps" -v b="$before" -v a="$after" -v t="$TICK" -v n="$REQUESTS" 'BEGIN { printf "%d %.2f\n", r, (a - b) / t * 1e6 / n }'
}

# Warm-up (JIT, connection pools), not reported.
for side in $SIDES; do run "$side" EmptyCall empty.bin >/dev/null; run "$side" UnaryCall unary64.bin >/dev/null; done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A RPS CPU
for round in $(seq 1 "$ROUNDS"); do
  # Interleaved, so drift on a shared machine hits both sides alike.
  for call in "empty EmptyCall empty.bin" "unary64 UnaryCall unary64.bin"; do
    set -- $call
    for side in $SIDES; do
      read -r rps cpu <<<"$(run "$side" "$2" "$3")"
      RPS[${side}_$1]+="$rps "
      CPU[${side}_$1]+="$cpu "
    done
  done
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
echo
echo "h2load -n $REQUESTS -c $CONNECTIONS -m $STREAMS -t 1; $ROUNDS interleaved rounds; medians; $(nproc) cores; load average before: $LOAD_BEFORE; $(date -u '+%F %H:%M UTC')"
echo
# The median of the per-round ratios: each round's two runs are next to each other in time, so their
# ratio is less disturbed by the machine's drift than the ratio of the two medians.
paired() { # "a1 a2 ..." "b1 b2 ..." -> median of ai/bi
  paste <(tr ' ' '\n' <<<"$1" | grep .) <(tr ' ' '\n' <<<"$2" | grep .) | awk '{ printf "%.4f\n", $1 / $2 }' | median
}
if [[ -n "$BASELINE_DLL" ]]; then
  echo "| call | grpc-dotnet req/s | baseline req/s | ratio of medians | median of per-round ratios | grpc-dotnet server CPU µs/req | baseline server CPU µs/req | CPU ratio (baseline/grpc-dotnet) | median of per-round CPU ratios |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
else
  echo "| call | grpc-dotnet req/s | server CPU µs/req |"
  echo "|---|---:|---:|"
fi
for name in empty unary64; do
  label=$([[ $name == empty ]] && echo "EmptyCall (empty message)" || echo "UnaryCall (64-byte payload each way)")
  g=$(med "${RPS[dotnet_$name]}"); gc=$(med "${CPU[dotnet_$name]}")
  if [[ -n "$BASELINE_DLL" ]]; then
    b=$(med "${RPS[baseline_$name]}"); bc=$(med "${CPU[baseline_$name]}")
    pr=$(paired "${RPS[dotnet_$name]}" "${RPS[baseline_$name]}"); pc=$(paired "${CPU[baseline_$name]}" "${CPU[dotnet_$name]}")
    awk -v l="$label" -v g="$g" -v b="$b" -v gc="$gc" -v bc="$bc" -v pr="$pr" -v pc="$pc" \
      'BEGIN { printf "| %s | %d | %d | %.2fx | %.2fx | %.2f | %.2f | %.2fx | %.2fx |\n", l, g, b, g / b, pr, gc, bc, bc / gc, pc }'
  else
    echo "| $label | $g | $gc |"
  fi
done
echo
echo "all runs, req/s:"
for side in $SIDES; do for name in empty unary64; do echo "  ${side}_$name: ${RPS[${side}_$name]}"; done; done
echo "all runs, server CPU µs/req:"
for side in $SIDES; do for name in empty unary64; do echo "  ${side}_$name: ${CPU[${side}_$name]}"; done; done

if [[ -n "$ALLOC" ]]; then
  # dotnet-counters is a served dotnet tool; installed into the temporary folder, removed on exit.
  dotnet tool install --tool-path "$WORK/tools" dotnet-counters >/dev/null
  echo
  echo "bytes allocated per call (dotnet-counters, System.Runtime dotnet.gc.heap.total_allocated during one h2load run of $REQUESTS calls):"
  for side in $SIDES; do
    for call in "EmptyCall empty.bin" "UnaryCall unary64.bin"; do
      set -- $call
      # A fixed window around the run (a background job ignores SIGINT, so no stopping it early); the
      # idle server allocates ~50 KB/s, i.e. well under 10 B per call of the 100,000 counted here.
      "$WORK/tools/dotnet-counters" collect -p "${PID[$side]}" --counters System.Runtime --refresh-interval 1 --format csv \
        --duration 00:00:00:15 -o "$WORK/counters-$side-$1.csv" >/dev/null 2>&1 &
      counters=$!
      # Start the calls only once the counters flow (attaching can take seconds on a busy machine).
      for _ in $(seq 1 100); do grep -q total_allocated "$WORK/counters-$side-$1.csv" 2>/dev/null && break; sleep 0.1; done
      h2load -n "$REQUESTS" -c "$CONNECTIONS" -m "$STREAMS" -t 1 -d "$WORK/$2" \
        -H 'content-type: application/grpc' -H 'te: trailers' "${URL[$side]}/grpc.testing.TestService/$1" >/dev/null 2>&1
      wait "$counters" || true
      "$PY" - "$WORK/counters-$side-$1.csv" "$REQUESTS" "$side" "$1" <<'PYEOF'
import csv, sys
path, n, side, call = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
total = sum(float(r[4]) for r in csv.reader(open(path)) if len(r) > 4 and r[2].startswith("dotnet.gc.heap.total_allocated"))
print(f"  {side} {call}: {total / n:.0f} B/call")
PYEOF
    done
  done
fi
