#!/usr/bin/env bash
# Calls ScriptService's own API (Reply, Negotiate, Converse, ...) with Debian's Python grpcio, from
# stubs generated from protos/scriptdsl/v1/script_service.proto, against a real server.
# Prints PASS/FAIL per case and finally "api: N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source tests/interop/lib.sh

ensure_python_grpc
"$PY" -m grpc_tools.protoc -I"$ROOT/protos" --python_out="$WORK" --grpc_python_out="$WORK" scriptdsl/v1/script_service.proto
touch "$WORK/scriptdsl/__init__.py" "$WORK/scriptdsl/v1/__init__.py"
start_server

export PYTHONPATH="$WORK"
if ! timeout 120 "$PY" "$ROOT/tests/interop/api_client.py" --server_port "$PORT"; then
  echo "--- server log (last 50 lines) ---"; tail -n 50 "$WORK/server.log"
  exit 1
fi
