#!/usr/bin/env bash
# Starts the local PostgreSQL 15 cluster if it is down and creates a fresh,
# empty test database owned by a test role. Idempotent; prints the URL.
# Needs root (or the postgres user) on a Debian machine with postgresql installed.
set -euo pipefail
DB_NAME="${1:-session_vs_jwt_test}"
ROLE="svj"
PASSWORD="svj-test-only"

if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
  exit 1
fi
CLUSTER=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
if ! pg_lsclusters -h | awk 'NR==1 {print $4}' | grep -q online; then
  pg_ctlcluster $CLUSTER start
fi
PORT=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
psql_admin() { su postgres -c "PGOPTIONS='-c client_min_messages=warning' psql -p $PORT -v ON_ERROR_STOP=1 -qtA -c \"$1\"" >/dev/null; }
psql_admin "DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'; END IF; END \\\$\\\$;"
psql_admin "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
psql_admin "CREATE DATABASE $DB_NAME OWNER $ROLE"
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB_NAME"
