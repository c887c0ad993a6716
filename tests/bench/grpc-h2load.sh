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
PY=/usr/bin/python3

if ! command -v h2load >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

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

dotnet build src/ScriptService -c Release --nologo -v quiet -clp:ErrorsOnly
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
dotnet src/ScriptService/bin/Release/net10.0/ScriptService.dll --interop --urls "http://127.0.0.1:$PORT" \
  --Logging:LogLevel:Default=Warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2).close()" 2>/dev/null && break
  sleep 0.1
done
BASE="http://127.0.0.1:$PORT"

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

run() { # name url body -> prints requests/s
  h2load -n "$REQUESTS" -c "$CONNECTIONS" -m "$STREAMS" -t 1 -d "$WORK/$3" \
    -H 'content-type: application/grpc' -H 'te: trailers' "$BASE$2" >"$WORK/h2load.out" 2>&1
  if ! grep -q "succeeded, 0 errored, 0 timeout" "$WORK/h2load.out" || ! grep -q "2xx" "$WORK/h2load.out"; then
    cat "$WORK/h2load.out" >&2
  fi
  grep -E '^finished in' "$WORK/h2load.out" | sed -E 's/.* ([0-9.]+) req\/s.*/\1/'
}

# Warm-up (JIT, connection pools), not reported.
run warm /grpc.testing.TestService/EmptyCall empty.bin >/dev/null
run warm /plain/empty empty.bin >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A RESULTS
for round in $(seq 1 "$ROUNDS"); do
  # Interleaved, so drift on a shared machine hits both sides alike.
  RESULTS[grpc_empty]+="$(run g /grpc.testing.TestService/EmptyCall empty.bin) "
  RESULTS[plain_empty]+="$(run p /plain/empty empty.bin) "
  RESULTS[grpc_unary64]+="$(run g /grpc.testing.TestService/UnaryCall unary64.bin) "
  RESULTS[plain_unary64]+="$(run p /plain/unary64 unary64.bin) "
done

echo
echo "h2load -n $REQUESTS -c $CONNECTIONS -m $STREAMS -t 1, $ROUNDS interleaved rounds, median req/s ($(nproc) cores, $(date -u +%F))"
echo
echo "| call | gRPC req/s | plain HTTP/2 req/s | ratio | runs gRPC / plain |"
echo "|---|---|---|---|---|"
for name in empty unary64; do
  g=$(tr ' ' '\n' <<<"${RESULTS[grpc_$name]}" | grep . | median)
  p=$(tr ' ' '\n' <<<"${RESULTS[plain_$name]}" | grep . | median)
  ratio=$(awk -v g="$g" -v p="$p" 'BEGIN { printf "%.2f", g / p }')
  label=$([[ $name == empty ]] && echo "EmptyCall (0-byte message)" || echo "UnaryCall (64-byte payload each way)")
  echo "| $label | $g | $p | ${ratio}x | ${RESULTS[grpc_$name]}/ ${RESULTS[plain_$name]}|"
done
