#!/usr/bin/env bash
# Runs gRPC's interop test cases with Debian's Python grpcio client against our server (--interop),
# plus a server reflection check. Installs python3-grpcio and python3-grpc-tools when missing.
# Prints PASS/FAIL per case and finally "interop: N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=/usr/bin/python3   # Debian's python, which the apt packages install into (another python3 may be first on PATH)

if ! "$PY" -c 'import grpc, grpc_tools.protoc' >/dev/null 2>&1; then
  echo "installing python3-grpcio python3-grpc-tools"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3-grpcio python3-grpc-tools >/dev/null
fi

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

# Stubs. protoc puts them under grpc/..., which would shadow the grpc library itself, so each
# package is moved to its own top-level name and the imports between generated files rewritten.
"$PY" -m grpc_tools.protoc -I"$ROOT/protos" --python_out="$WORK" --grpc_python_out="$WORK" \
  grpc/testing/empty.proto grpc/testing/messages.proto grpc/testing/test.proto \
  grpc/reflection/v1alpha/reflection.proto grpc/reflection/v1/reflection.proto
mv "$WORK/grpc/testing" "$WORK/interop_pb"
mv "$WORK/grpc/reflection/v1alpha" "$WORK/reflection_v1alpha_pb"
mv "$WORK/grpc/reflection/v1" "$WORK/reflection_v1_pb"
rm -rf "$WORK/grpc"
sed -i 's/^from grpc\.testing import/from interop_pb import/' "$WORK"/interop_pb/*.py
sed -i 's/^from grpc\.reflection\.v1alpha import/from reflection_v1alpha_pb import/' "$WORK"/reflection_v1alpha_pb/*.py
sed -i 's/^from grpc\.reflection\.v1 import/from reflection_v1_pb import/' "$WORK"/reflection_v1_pb/*.py
touch "$WORK/interop_pb/__init__.py" "$WORK/reflection_v1alpha_pb/__init__.py" "$WORK/reflection_v1_pb/__init__.py"

dotnet build src/ScriptService -c Release --nologo -v quiet -clp:ErrorsOnly
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
dotnet src/ScriptService/bin/Release/net10.0/ScriptService.dll --interop --urls "http://127.0.0.1:$PORT" \
  --Logging:LogLevel:Default=Warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# Ready when it accepts connections; bounded to 30 s.
for _ in $(seq 1 300); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "server exited early:"; cat "$WORK/server.log"; exit 1
  fi
  if "$PY" -c "import socket, sys; socket.create_connection(('127.0.0.1', $PORT), 0.2).close()" 2>/dev/null; then
    break
  fi
  sleep 0.1
done

export PYTHONPATH="$WORK:$ROOT/tests/interop"
REFLECTION_FAILED=0
timeout 60 "$PY" "$ROOT/tests/interop/reflection_check.py" --server_port "$PORT" || { echo "FAIL reflection check"; REFLECTION_FAILED=1; }
CLIENT_STATUS=0
timeout 300 "$PY" "$ROOT/tests/interop/interop_client.py" --server_port "$PORT" | tee "$WORK/client.out" || CLIENT_STATUS=1
if [[ $CLIENT_STATUS -ne 0 || $REFLECTION_FAILED -ne 0 ]]; then
  echo "--- server log (last 50 lines) ---"; tail -n 50 "$WORK/server.log"
  # The closing line again, last, counting the reflection check as a case when it failed.
  PASSED=$(sed -n 's/^interop: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$WORK/client.out")
  FAILED=$(sed -n 's/^interop: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$WORK/client.out")
  echo "interop: ${PASSED:-0} passed, $(( ${FAILED:-16} + REFLECTION_FAILED )) failed"
  exit 1
fi
