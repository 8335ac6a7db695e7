#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on 127.0.0.1 (Debian's postgresql package) and print its
# SQLAlchemy URL. Used by .ci/run; stop it with: scripts/pg_throwaway.sh stop DIR
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PORT=${PGPORT_TEST:-54329}
if [ "${1:-}" = "stop" ]; then
  su postgres -c "$BIN/pg_ctl -D '$2/data' -m fast stop" >/dev/null 2>&1 || true
  exit 0
fi
DIR=$(mktemp -d /tmp/wijkmodel-pg.XXXXXX)
chown postgres "$DIR"
su postgres -c "$BIN/initdb -D '$DIR/data' -A trust -U postgres --no-sync -E UTF8" >/dev/null
su postgres -c "$BIN/pg_ctl -D '$DIR/data' -l '$DIR/log' -w -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DIR' -c fsync=off\" start" >/dev/null
su postgres -c "$BIN/createdb -h 127.0.0.1 -p $PORT -U postgres wijkmodel_test"
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/wijkmodel_test $DIR"
