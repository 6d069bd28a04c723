#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on 127.0.0.1 (free port), runs the given command with
# TEST_DATABASE_URL pointing at it, and stops the server again, whatever the command's outcome.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PGROOT=$(mktemp -d /tmp/proconnect-pg.XXXXXX)
RUNAS=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGROOT"; RUNAS=(runuser -u postgres --); fi
"${RUNAS[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
stop() { "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }
trap stop EXIT
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'CREATE DATABASE proconnect_test' >/dev/null
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/proconnect_test"
"$@"
