#!/usr/bin/env bash
# Creates a migration for both providers from the change to prisma/models.prisma
# since a git revision (default HEAD):
#   bash scripts/new-migration.sh add_sessions [base-rev]
# `migrate dev`, `--from-url` and `--from-migrations` do not work offline with
# the Wasm engine and a driver adapter (docs/decisions.md §1), so the old datamodel is
# taken from git and diffed against the current one. The PostgreSQL diff
# needs a reachable server (SCRATCH_POSTGRES_URL; nothing is written to it).
set -euo pipefail
cd "$(dirname "$0")/.."
NAME="${1:?usage: new-migration.sh <name> [base-rev]}"
BASE="${2:-HEAD}"
STAMP="$(date -u +%Y%m%d%H%M%S)_${NAME}"
export CHECKPOINT_DISABLE=1
OLD="$(mktemp -d)"

for provider in sqlite postgres; do
  mkdir -p "$OLD/$provider"
  cp "prisma/$provider/schema.prisma" "$OLD/$provider/schema.prisma"
  git show "$BASE:prisma/models.prisma" > "$OLD/$provider/models.prisma"
  url="file:$OLD/scratch.db"
  [ "$provider" = postgres ] && url="${SCRATCH_POSTGRES_URL:?set SCRATCH_POSTGRES_URL to a PostgreSQL database URL}"
  mkdir -p "prisma/$provider/migrations/$STAMP"
  DATABASE_URL="$url" node_modules/.bin/prisma migrate diff \
    --from-schema-datamodel "$OLD/$provider" --to-schema-datamodel "prisma/$provider" \
    --script -o "prisma/$provider/migrations/$STAMP/migration.sql"
done
echo "Created prisma/{sqlite,postgres}/migrations/$STAMP"
