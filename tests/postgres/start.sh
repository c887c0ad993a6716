#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests: Debian's postgresql package (15), installed
# when missing; initdb into a new temporary folder; pg_ctl on a free loopback port as a non-root
# user (the "postgres" user when run as root). No containers.
#
#   eval "$(bash tests/postgres/start.sh)"   # exports SDSL_TEST_POSTGRES and SDSL_TEST_POSTGRES_DIR
#   bash tests/postgres/stop.sh "$SDSL_TEST_POSTGRES_DIR"
#
# Prints only the two export lines on stdout; progress goes to stderr. Bounded in time: pg_ctl
# waits at most 60 s for the server.
set -euo pipefail

BIN=""
for candidate in /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ]; then BIN="$candidate"; fi
done
if [ -z "$BIN" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres: the postgresql package is missing and this user cannot install it (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "postgres: installing Debian's postgresql package" >&2
  timeout 600 apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq postgresql >&2
  for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then BIN="$candidate"; fi
  done
fi

DIR=$(mktemp -d /tmp/sdsl-postgres-XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$DIR"
  AS=(runuser -u postgres --)
else
  AS=()
fi

PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

# Trust on loopback only: a test server that lives for one test run, reachable from this machine only.
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U sdsl --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR -c max_connections=400" start >&2 \
  || { cat "$DIR/server.log" >&2; exit 1; }
"${AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U sdsl sdsl >&2

echo "postgres: server on 127.0.0.1:$PORT, data in $DIR" >&2
echo "export SDSL_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=sdsl;Database=sdsl'"
echo "export SDSL_TEST_POSTGRES_DIR='$DIR'"
