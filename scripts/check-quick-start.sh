#!/usr/bin/env bash
# What a stranger does first, proved on a fresh clone of the committed HEAD
# (no node_modules/, data/, prisma/generated/ or .next/): the README's quick
# start, run character for character (the block between its quick-start
# markers) on a free port, then checked over HTTP as a person would use it:
# the home page, a session and a token pair for the demo user, /api/me with
# that token. Then `npm run dev`, which must answer /api/health. A failing
# step fails the script and prints the tail of the server's log.
#
#   bash scripts/check-quick-start.sh [folder to clone into]
#
# .ci/run calls it first and then runs `npm test` in the same clone.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$(mktemp -d /tmp/svj-quick-start.XXXXXX)/session-vs-jwt}
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1

git clone -q "$ROOT" "$DIR"
cd "$DIR"
QUICK_START=$(sed -n '/^<!-- quick-start/,/^<!-- \/quick-start/p' README.md | sed -n '/^```bash$/,/^```$/p' | sed '1d;$d')
if [ -z "$QUICK_START" ]; then
  echo "README.md has no quick-start block (a \`\`\`bash block between <!-- quick-start --> and <!-- /quick-start -->)" >&2
  exit 1
fi

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }

SERVER_PID=""
SERVER_LOG=""
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
fail() {
  echo "✗ quick start: $1" >&2
  if [ -n "$SERVER_LOG" ]; then
    echo "── last lines of $SERVER_LOG" >&2
    tail -n 60 "$SERVER_LOG" >&2 || true
  fi
  stop_server
  exit 1
}
trap stop_server EXIT

# Starts a command in its own process group (so stopping it stops npm, tsx
# and Next together) and waits until `path` answers 200 on the port.
start_and_wait() {
  local name=$1 command=$2 port=$3 path=$4 seconds=$5
  SERVER_LOG="$DIR/$name.log"
  echo "── $name: $command   (PORT=$port, log: $SERVER_LOG)"
  PORT=$port setsid bash -c "$command" >"$SERVER_LOG" 2>&1 </dev/null &
  SERVER_PID=$!
  local started=$SECONDS
  until [ "$(curl -s --connect-timeout 5 --max-time 30 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path" || true)" = 200 ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "$name exited before answering $path"
    [ $((SECONDS - started)) -lt "$seconds" ] || fail "$name did not answer $path within $seconds s"
    sleep 1
  done
  echo "   answering after $((SECONDS - started)) s"
}

expect_status() {
  local want=$1 what=$2
  shift 2
  local status
  status=$(curl -s --connect-timeout 5 --max-time 60 -o "$DIR/last-response" -w '%{http_code}' "$@") || true
  [ "$status" = "$want" ] || fail "$what: expected $want, got $status: $(head -c 300 "$DIR/last-response")"
  echo "   ✓ $what → $status"
}
json_field() { node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const v = JSON.parse(s)[process.argv[1]]; if (typeof v !== "string" || !v) process.exit(1); console.log(v); })' "$1"; }

PORT_DEMO=$(free_port)
start_and_wait quick-start "$QUICK_START" "$PORT_DEMO" / 900
BASE="http://127.0.0.1:$PORT_DEMO"
DEMO='{"email":"demo@example.com","password":"demo-password"}'
expect_status 200 "GET /" "$BASE/"
expect_status 200 "POST /api/session (demo user)" -c "$DIR/jar" -X POST "$BASE/api/session" \
  -H 'content-type: application/json' -H "origin: $BASE" -d "$DEMO"
grep -q svj_session "$DIR/jar" || fail "POST /api/session set no session cookie"
expect_status 200 "GET /api/session with that cookie" -b "$DIR/jar" "$BASE/api/session"
expect_status 200 "POST /api/auth/token (demo user)" -X POST "$BASE/api/auth/token" -H 'content-type: application/json' -d "$DEMO"
ACCESS_TOKEN=$(json_field access_token <"$DIR/last-response") || fail "the token answer has no access_token"
expect_status 200 "GET /api/me with that access token" "$BASE/api/me" -H "authorization: Bearer $ACCESS_TOKEN"
# The demo starts the resource server beside the app: another service that
# accepts the same access token knowing only the issuer's URL.
RESOURCE_SERVER="http://127.0.0.1:$((PORT_DEMO + 1))"
for _ in $(seq 30); do
  [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$RESOURCE_SERVER/health" || true)" = 200 ] && break
  sleep 1
done
expect_status 200 "GET the resource server's /whoami (PORT + 1) with that access token" "$RESOURCE_SERVER/whoami" \
  -H "authorization: Bearer $ACCESS_TOKEN"
# The demo turns DEMO_CONTROLS on (a deployment leaves them off: 403).
expect_status 200 "PUT /api/auth/denylist (demo controls on)" -X PUT "$BASE/api/auth/denylist" \
  -H "authorization: Bearer $ACCESS_TOKEN" -H 'content-type: application/json' -d '{"enabled":false}'
stop_server
# What the demo keeps on disk (accounts, password hashes, secrets) is this user's only.
[ "$(stat -c %a data)" = 700 ] || fail "data/ is $(stat -c %a data), not 700"
for file in data/app.db* data/secrets.json; do
  [ "$(stat -c %a "$file")" = 600 ] || fail "$file is $(stat -c %a "$file"), not 600"
done
echo "   ✓ data/ is 700, the database and secrets files 600"

PORT_DEV=$(free_port)
start_and_wait dev "npm run dev" "$PORT_DEV" /api/health 300
stop_server
echo "✓ quick start and npm run dev work on a fresh clone ($DIR)"
