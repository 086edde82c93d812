#!/usr/bin/env bash
# The README quick start, checked end to end (run by ./beacon test after the Maven suite):
# `./beacon up` prints its ready line, a curl'd event is visible to `./beacon sql` within 5 s,
# and `./beacon down` stops the stack. Uses the default ports (8080, 9092/9093, 8123/9000) and a
# throw-away data dir.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export BEACON_JAVA_OPTS="${BEACON_JAVA_OPTS:--Xms256m -Xmx1g} -Dbeacon.dev-stack.dir=.beacon-smoke"
rm -rf .beacon-smoke
log="$(mktemp)"
t0=$(date +%s%N)
./beacon up >"$log" 2>&1 &
pid=$!
cleanup() { if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; rm -rf "$ROOT/.beacon-smoke"; }
trap cleanup EXIT
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

until grep -q "^Beacon ready" "$log"; do
  kill -0 "$pid" 2>/dev/null || { echo "smoke: ./beacon up exited:"; cat "$log"; exit 1; }
  [ "$(ms "$t0")" -lt 120000 ] || { echo "smoke: not ready within 2 minutes:"; cat "$log"; exit 1; }
  sleep 0.2
done
ready_ms=$(ms "$t0")
grep "^Beacon ready" "$log"

WRITE_KEY="$(./beacon status | sed -n 's/^write_key=//p')"
[ -n "$WRITE_KEY" ] || { echo "smoke: ./beacon status printed no write_key"; exit 1; }
./beacon status | grep -q '^secret_key=sk_' || { echo "smoke: ./beacon status printed no secret_key"; exit 1; }
marker="smoke-$(date +%s%N)"
t1=$(date +%s%N)
curl -sf -u "$WRITE_KEY:" -H 'Content-Type: application/json' http://127.0.0.1:8080/v1/track \
  -d "{\"userId\":\"user_123\",\"event\":\"Smoke Test\",\"messageId\":\"$marker\",\"properties\":{\"plan\":\"pro\"}}" >/dev/null
until [ "$(./beacon sql "SELECT count() AS n FROM events FINAL WHERE event_id = '$marker'" | sed -n 3p | tr -d ' ')" = "1" ]; do
  [ "$(ms "$t1")" -lt 5000 ] || { echo "smoke: event not visible to ./beacon sql within 5 s"; cat "$log"; exit 1; }
done
visible_ms=$(ms "$t1")
./beacon sql "SELECT event_name, user_id, properties.value FROM events FINAL WHERE event_id = '$marker'"
./beacon down
kill -0 "$pid" 2>/dev/null && { echo "smoke: ./beacon down left the stack running"; exit 1; }
echo "smoke: ready after ${ready_ms} ms; curl'd event visible to ./beacon sql after ${visible_ms} ms"
