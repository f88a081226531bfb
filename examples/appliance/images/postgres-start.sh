#!/bin/sh
# PostgreSQL 15 of the Hearth appliance: what the package's maintainer scripts and pg_createcluster would do, done
# at container start. First start (empty $PGDATA): initdb with the superuser $POSTGRES_USER / $POSTGRES_PASSWORD,
# password (scram) logins from anywhere, database $POSTGRES_DB. Then postgres in the foreground as user postgres.
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
BIN=/usr/lib/postgresql/15/bin
if [ -z "${POSTGRES_PASSWORD:-}" ]; then
  echo "postgres-start: set POSTGRES_PASSWORD (the password of $POSTGRES_USER)" >&2
  exit 2
fi
as_postgres() {
  program=$1
  shift
  start-stop-daemon -S -c postgres:postgres -x "$program" -- "$@"
}
mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres "$BIN/initdb" -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\"" |
      as_postgres "$BIN/postgres" --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "postgres-start: initialised $PGDATA (database $POSTGRES_DB, owner $POSTGRES_USER)"
fi
exec start-stop-daemon -S -c postgres:postgres -x "$BIN/postgres" -- -D "$PGDATA" \
  -c listen_addresses='*' -c unix_socket_directories=/run/postgresql -c jit=off \
  -c max_connections="${POSTGRES_MAX_CONNECTIONS:-200}"
