#!/usr/bin/env bash
# Starts the local PostgreSQL cluster if it is down (creating one if the
# machine has none) and creates a fresh, empty test database owned by a test
# role. Idempotent. Prints the URL on stdout and nothing else: every other
# line goes to stderr, because callers capture stdout as the URL.
# Needs root (or the postgres user) on a Debian machine with postgresql installed.
set -euo pipefail
exec 3>&1 1>&2
DB_NAME="${1:-session_vs_jwt_test}"
ROLE="svj"
PASSWORD="svj-test-only"

if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "PostgreSQL server is not installed: apt-get install -y postgresql"
  exit 1
fi
if [ -z "$(pg_lsclusters -h)" ]; then
  VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_createcluster "$VERSION" main 3>&-
fi
read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters -h | head -1)
if [[ "$STATUS" != online* ]]; then
  pg_ctlcluster "$VERSION" "$CLUSTER" start 3>&-
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$PORT"

psql_admin() { su postgres -c "PGOPTIONS='-c client_min_messages=warning' psql -p $PORT -v ON_ERROR_STOP=1 -qtA -c \"$1\"" >/dev/null; }
psql_admin "DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'; END IF; END \\\$\\\$;"
psql_admin "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
psql_admin "CREATE DATABASE $DB_NAME OWNER $ROLE"
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB_NAME" >&3
