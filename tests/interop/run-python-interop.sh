#!/usr/bin/env bash
# Runs gRPC's interop test cases with Debian's Python grpcio client against our server (--interop),
# plus a server reflection check. Installs python3-grpcio and python3-grpc-tools when missing.
# Prints PASS/FAIL per case and finally "interop: N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source tests/interop/lib.sh
ensure_python_grpc

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

start_server --interop

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
