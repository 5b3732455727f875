#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/bench.sh: installs (apt) and starts what tests and
# benchmarks need, on loopback, and stops it on exit: a throwaway PostgreSQL 15 cluster, Redis
# without persistence, Debian's Chromium. Exports TRYGG_TEST_PG_DSN, TRYGG_TEST_REDIS_URL,
# TRYGG_TEST_CHROMIUM.
PY=.venv/bin/python
WORK=$(mktemp -d /tmp/trygg-test.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  [ -n "${PGDATA_DIR:-}" ] && as_pg "$PG_BIN/pg_ctl -D '$PGDATA_DIR' -m immediate stop" >/dev/null 2>&1 || true
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "==> Installing ${need_apt[*]} (apt)"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# PostgreSQL: a cluster of our own in $WORK, on loopback, trust auth for the test user only.
PG_BIN=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
PGDATA_DIR="$WORK/pg"
PG_PORT=$(free_port)
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
mkdir -p "$PGDATA_DIR" && { [ "$(id -u)" -ne 0 ] || chown postgres "$PGDATA_DIR" "$WORK"; }
echo "==> Starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT"
as_pg "$PG_BIN/initdb -D '$PGDATA_DIR' -U postgres -A trust --no-sync >/dev/null"
as_pg "$PG_BIN/pg_ctl -D '$PGDATA_DIR' -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$WORK' -c fsync=off\" -l '$WORK/pg.log' -w start >/dev/null"
export TRYGG_TEST_PG_DSN="postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/postgres"

# Redis: loopback, no RDB/AOF persistence (nothing of a conversation may reach the disk).
REDIS_PORT=$(free_port)
echo "==> Starting Redis on 127.0.0.1:$REDIS_PORT (no persistence)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize no \
  --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
export TRYGG_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export TRYGG_TEST_CHROMIUM=/usr/bin/chromium


