#!/usr/bin/env bash
# ScriptService benchmark (docs/benchmarks.md, section "ScriptService: Reply and Negotiate"):
# h2load on loopback against lamp_shop's Reply and Negotiate, with the SQLite store, next to the
# gRPC layer's EmptyCall in the same run. 16 connections x 10 streams, as 16 h2load processes of one
# connection each, because a conversation is one row: each connection gets a conversation of its own
# (h2load sends one body for every request of a process). Latency percentiles come from h2load's
# per-request log. Not part of CI. Usage: tests/bench/service-h2load.sh [requests-per-connection] [rounds]
#
# Environment (docs/benchmarks.md, "The conversation store"):
#   WORKLOAD=b (default) 16 conversations x 10 streams each (contended: one conversation's turns queue)
#   WORKLOAD=a           160 buyers, each its own conversation, one request in flight (a buyer waits for the reply)
#   STORE=sqlite-full (default) | sqlite-normal | postgres | postgres2 (two replicas, the h2load processes spread over both)
#   postgres* start a throwaway server with tests/postgres/start.sh and stop it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PER_CONNECTION=${1:-2000}
ROUNDS=${2:-3}
WORKLOAD=${WORKLOAD:-b}
STORE=${STORE:-sqlite-full}
case "$WORKLOAD" in
  a) CONNECTIONS=160; STREAMS=1 ;;
  b) CONNECTIONS=16; STREAMS=10 ;;
  *) echo "WORKLOAD is a or b"; exit 2 ;;
esac
source tests/interop/lib.sh
ensure_h2load

ensure_python_grpc

"$PY" -m grpc_tools.protoc -I"$ROOT/protos" --python_out="$WORK" scriptdsl/v1/script_service.proto
touch "$WORK/scriptdsl/__init__.py" "$WORK/scriptdsl/v1/__init__.py"
# Length-prefixed bodies: per connection, a Reply ("在吗": matching, the workflow, a rendered reply,
# the state write) and a Negotiate ("不能再优惠一点吗", the lamp policy on a 2-line cart); and Empty.
PYTHONPATH="$WORK" "$PY" - "$WORK" "$CONNECTIONS" <<'PYEOF'
import struct, sys
from scriptdsl.v1 import script_service_pb2 as pb
work, connections = sys.argv[1], int(sys.argv[2])
def frame(message):
    payload = message.SerializeToString() if message is not None else b""
    return b"\x00" + struct.pack(">I", len(payload)) + payload
cart = pb.Cart(lines=[pb.CartLine(sku="KT-880", name="现代客厅方形吸顶灯", unit_price_minor=69900, quantity=1, category="客厅"),
                      pb.CartLine(sku="NB-201", name="北欧简约卧室吸顶灯", unit_price_minor=29900, quantity=1, category="卧室")])
for c in range(connections):
    open(f"{work}/reply{c}.bin", "wb").write(frame(pb.ReplyRequest(shop_id="lamp_shop", conversation_id=f"bench-reply-{c}", message="在吗")))
    open(f"{work}/negotiate{c}.bin", "wb").write(frame(pb.NegotiateRequest(shop_id="lamp_shop", conversation_id=f"bench-negotiate-{c}", cart=cart, any_better=True, message="不能再优惠一点吗")))
    open(f"{work}/empty{c}.bin", "wb").write(frame(None))
PYEOF

source tests/bench/store.sh
trap 'kill ${SERVER_PIDS:-} 2>/dev/null || true; stop_postgres; cleanup' EXIT

SERVER_PIDS=""
BASES=()
for r in $(seq 1 "$REPLICAS"); do
  start_server --interop "${STORE_ARGS[@]}"
  SERVER_PIDS+=" $SERVER_PID"
  BASES+=("http://127.0.0.1:$PORT")
done
BASE=${BASES[0]}

# h2load counts any HTTP 200 as success, whatever grpc-status says: check one call of each first.
for target in "/grpc.testing.TestService/EmptyCall empty0.bin" "/scriptdsl.v1.ScriptService/Reply reply0.bin" "/scriptdsl.v1.ScriptService/Negotiate negotiate0.bin"; do
  set -- $target
  out=$(curl -s --http2-prior-knowledge -D - -o "$WORK/resp.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$WORK/$2" "$BASE$1" 2>&1 || true)
  if ! grep -qi '^grpc-status: 0' <<<"$out"; then echo "sample $1 did not return grpc-status 0:"; echo "$out"; exit 1; fi
  echo "sample $1: grpc-status 0, $(stat -c %s "$WORK/resp.bin") response bytes"
done

run() { # name path body-prefix -> "req/s p50 p90 p99 p99.9 (ms) failures"
  local name=$1 path=$2 body=$3 start end pids=()
  rm -f "$WORK"/log-*.tsv
  start=$(date +%s.%N)
  for c in $(seq 0 $((CONNECTIONS - 1))); do
    h2load -n "$PER_CONNECTION" -c 1 -m "$STREAMS" -t 1 -d "$WORK/$body$c.bin" --log-file="$WORK/log-$c.tsv" \
      -H 'content-type: application/grpc' -H 'te: trailers' "${BASES[$((c % REPLICAS))]}$path" >"$WORK/h2load-$c.out" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  end=$(date +%s.%N)
  local failed
  failed=$(cat "$WORK"/h2load-*.out | sed -nE 's/.* ([0-9]+) failed, ([0-9]+) errored, ([0-9]+) timeout.*/\1 \2 \3/p' | awk '{ f += $1 + $2 + $3 } END { print f + 0 }')
  cut -f3 "$WORK"/log-*.tsv | sort -n | awk -v s="$start" -v e="$end" -v f="$failed" '
    { t[NR] = $1 / 1000.0 } END {
      n = NR
      printf "%d %.2f %.2f %.2f %.2f %d\n", n / (e - s), t[int(n * 0.5)], t[int(n * 0.9)], t[int(n * 0.99)], t[int(n * 0.999)], f }'
}

run warm /grpc.testing.TestService/EmptyCall empty >/dev/null
run warm /scriptdsl.v1.ScriptService/Reply reply >/dev/null

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A RESULTS
for round in $(seq 1 "$ROUNDS"); do
  for spec in "EmptyCall /grpc.testing.TestService/EmptyCall empty" "Reply /scriptdsl.v1.ScriptService/Reply reply" "Negotiate /scriptdsl.v1.ScriptService/Negotiate negotiate"; do
    set -- $spec
    RESULTS[$1]+="$(run "$@")"$'\n'
  done
done

median_row() { # the round with the median req/s
  grep . <<<"$1" | sort -n -k1,1 | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'
}
echo
echo "store $STORE ($REPLICAS replica(s)), workload $WORKLOAD: $CONNECTIONS h2load processes x (-c 1 -m $STREAMS -n $PER_CONNECTION), a conversation per connection; $ROUNDS interleaved rounds, the median round; $(nproc) cores; load average before: $LOAD_BEFORE; $(date -u '+%F %H:%M UTC')"
echo
echo "| call | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | failed | vs EmptyCall |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
EMPTY=$(median_row "${RESULTS[EmptyCall]}" | cut -d' ' -f1)
for name in EmptyCall Reply Negotiate; do
  median_row "${RESULTS[$name]}" | awk -v n="$name" -v e="$EMPTY" '{ printf "| %s | %d | %s | %s | %s | %s | %d | %.3fx |\n", n, $1, $2, $3, $4, $5, $6, $1 / e }'
done
echo
echo "all rounds (req/s p50 p90 p99 p99.9 failed):"
for name in EmptyCall Reply Negotiate; do echo "  $name:"; grep . <<<"${RESULTS[$name]}" | sed 's/^/    /'; done
