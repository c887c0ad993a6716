#!/usr/bin/env bash
# Stops the server tests/postgres/start.sh started in DIR and removes DIR.
set -uo pipefail
DIR=${1:?usage: stop.sh DIR}
case "$DIR" in /tmp/sdsl-postgres-*) ;; *) echo "stop.sh: not a test server folder: $DIR" >&2; exit 1 ;; esac
BIN=""
for candidate in /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/pg_ctl" ]; then BIN="$candidate"; fi
done
if [ -n "$BIN" ] && [ -f "$DIR/data/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >&2
  else
    "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >&2
  fi
fi
rm -rf "$DIR"
