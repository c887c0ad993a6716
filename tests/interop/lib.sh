# Shared by the interop scripts: Debian's Python grpcio, protoc stubs, and our server on a free
# loopback port, stopped on exit. Source it after `set -euo pipefail` and `cd` to the repo root.
PY=/usr/bin/python3   # Debian's python, which the apt packages install into (another python3 may be first on PATH)

ensure_python_grpc() {
  if ! "$PY" -c 'import grpc, grpc_tools.protoc' >/dev/null 2>&1; then
    echo "installing python3-grpcio python3-grpc-tools"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3-grpcio python3-grpc-tools >/dev/null
  fi
}

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

# start_server [extra server args...]: builds and starts ScriptService on a free loopback port with
# its data under $WORK; sets PORT and SERVER_PID; waits (at most 30 s) until it accepts connections.
start_server() {
  dotnet build src/ScriptService -c Release --nologo -v quiet -clp:ErrorsOnly
  PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  dotnet src/ScriptService/bin/Release/net10.0/ScriptService.dll --urls "http://127.0.0.1:$PORT" --data "$WORK/data" \
    --Logging:LogLevel:Default=Warning --Console:Enabled=false "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server exited early:"; cat "$WORK/server.log"; exit 1
    fi
    if "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2).close()" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "server did not accept connections within 30 s:"; cat "$WORK/server.log"; exit 1
}

# h2load, for the benchmarks (Debian's nghttp2-client).
ensure_h2load() {
  if ! command -v h2load >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null
  fi
}
