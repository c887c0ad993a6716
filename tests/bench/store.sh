# The store a service benchmark runs on, shared by service-h2load.sh and service-load.sh. Source it
# from the repository root after STORE is set:
#   STORE=sqlite-full (default) | sqlite-normal | postgres | postgres2 (two replicas)
# Sets STORE_ARGS (the server's --Store settings), REPLICAS and PG_DIR, and defines stop_postgres.
# The postgres stores start a throwaway server with tests/postgres/start.sh; PG_OPTIONS adds Npgsql
# options to its connection string (default none: the store's own defaults, docs/operations.md,
# e.g. PG_OPTIONS="Maximum Pool Size=180;No Reset On Close=false;Max Auto Prepare=0" for Npgsql's).
# PG_PID is the server's postmaster (its CPU and its backends' is reported by service-load.sh).
PG_DIR=""
PG_PID=""
REPLICAS=1
case "$STORE" in
  sqlite-full) STORE_ARGS=(--Store:Durability=Full) ;;
  sqlite-normal) STORE_ARGS=(--Store:Durability=Normal) ;;
  postgres|postgres2)
    eval "$(bash tests/postgres/start.sh)"
    PG_DIR=$SDSL_TEST_POSTGRES_DIR
    PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
    STORE_ARGS=(--Store:Provider=postgres "--Store:ConnectionString=$SDSL_TEST_POSTGRES${PG_OPTIONS:+;$PG_OPTIONS}")
    [ "$STORE" = postgres2 ] && REPLICAS=2 ;;
  *) echo "STORE is sqlite-full, sqlite-normal, postgres or postgres2"; exit 2 ;;
esac
stop_postgres() { if [ -n "$PG_DIR" ]; then bash tests/postgres/stop.sh "$PG_DIR"; fi; }
