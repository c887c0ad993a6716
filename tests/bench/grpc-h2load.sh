#!/usr/bin/env bash
# gRPC layer benchmark (docs/benchmarks.md, section "gRPC layer"): h2load on loopback against the
# server's interop service (unary EmptyCall, and UnaryCall with a 64-byte payload each way), and
# against plain Kestrel HTTP/2 endpoints that return the same response bytes without gRPC.
# Not part of CI. Usage: tests/bench/grpc-h2load.sh [requests-per-run] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${1:-200000}
ROUNDS=${2:-3}
CONNECTIONS=16
STREAMS=10


source tests/interop/lib.sh
ensure_h2load

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
BASE="http://127.0.0.1:$PORT"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# h2load counts any HTTP 200 as success, whatever grpc-status says: check one call of each first.
for target in "EmptyCall empty.bin" "UnaryCall unary64.bin"; do
  set -- $target
  out=$(curl -s --http2-prior-knowledge -D - -o "$WORK/resp.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$WORK/$2" "$BASE/grpc.testing.TestService/$1" 2>&1 || true)
  # curl prints trailers after the body with -D; grpc-status must be 0.
  if ! grep -qi '^grpc-status: 0' <<<"$out"; then echo "sample $1 did not return grpc-status 0:"; echo "$out"; exit 1; fi
  echo "sample $1: grpc-status 0, $(stat -c %s "$WORK/resp.bin") response bytes"
done
for target in empty unary64; do
  code=$(curl -s --http2-prior-knowledge -o "$WORK/plain.bin" -w '%{http_code}' --data-binary @"$WORK/$target.bin" "$BASE/plain/$target")
  echo "sample /plain/$target: HTTP $code, $(stat -c %s "$WORK/plain.bin") response bytes"
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
TICK=$(getconf CLK_TCK)

run() { # name url body -> prints "requests/s server-CPU-microseconds/request"
  local before after
  before=$(cpu_ticks)
  h2load -n "$REQUESTS" -c "$CONNECTIONS" -m "$STREAMS" -t 1 -d "$WORK/$3" \
    -H 'content-type: application/grpc' -H 'te: trailers' "$BASE$2" >"$WORK/h2load.out" 2>&1
  after=$(cpu_ticks)
  if ! grep -q " 0 failed, 0 errored, 0 timeout" "$WORK/h2load.out"; then
    cat "$WORK/h2load.out" >&2
  fi
  local rps
  rps=$(grep -E '^finished in' "$WORK/h2load.out" | sed -E 's/.* ([0-9.]+) req\/s.*/\1/')
  # Server CPU time per request: less sensitive than req/s to other load on a shared machine.
  awk -v r="$rps" -v b="$before" -v a="$after" -v t="$TICK" -v n="$REQUESTS" 'BEGIN { printf "%d %.2f\n", r, (a - b) / t * 1e6 / n }'
}

# Warm-up (JIT, connection pools), not reported.
run warm /grpc.testing.TestService/EmptyCall empty.bin >/dev/null
run warm /plain/empty empty.bin >/dev/null

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A RPS CPU
for round in $(seq 1 "$ROUNDS"); do
  # Interleaved, so drift on a shared machine hits both sides alike.
  for spec in "grpc_empty /grpc.testing.TestService/EmptyCall empty.bin" "plain_empty /plain/empty empty.bin" \
              "trailer_empty /plain/empty-trailer empty.bin" \
              "grpc_unary64 /grpc.testing.TestService/UnaryCall unary64.bin" "plain_unary64 /plain/unary64 unary64.bin" \
              "trailer_unary64 /plain/unary64-trailer unary64.bin"; do
    set -- $spec
    read -r rps cpu <<<"$(run "$1" "$2" "$3")"
    RPS[$1]+="$rps "
    CPU[$1]+="$cpu "
  done
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
echo
echo "h2load -n $REQUESTS -c $CONNECTIONS -m $STREAMS -t 1; $ROUNDS interleaved rounds; medians; $(nproc) cores; load average before: $LOAD_BEFORE; $(date -u '+%F %H:%M UTC')"
echo
echo "| call | gRPC req/s | plain req/s | ratio | gRPC server CPU µs/req | plain server CPU µs/req | CPU ratio (plain/gRPC) | plain + trailer req/s | plain + trailer CPU µs/req |"
echo "|---|---|---|---|---|---|---|---|---|"
for name in empty unary64; do
  g=$(med "${RPS[grpc_$name]}"); p=$(med "${RPS[plain_$name]}"); t=$(med "${RPS[trailer_$name]}")
  gc=$(med "${CPU[grpc_$name]}"); pc=$(med "${CPU[plain_$name]}"); tc=$(med "${CPU[trailer_$name]}")
  label=$([[ $name == empty ]] && echo "EmptyCall (empty message)" || echo "UnaryCall (64-byte payload each way)")
  awk -v l="$label" -v g="$g" -v p="$p" -v gc="$gc" -v pc="$pc" -v t="$t" -v tc="$tc" \
    'BEGIN { printf "| %s | %d | %d | %.2fx | %.2f | %.2f | %.2fx | %d | %.2f |\n", l, g, p, g / p, gc, pc, pc / gc, t, tc }'
done
echo
echo "all runs, req/s:"
for key in grpc_empty plain_empty trailer_empty grpc_unary64 plain_unary64 trailer_unary64; do echo "  $key: ${RPS[$key]}"; done
