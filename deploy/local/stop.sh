#!/usr/bin/env bash
# npm stop: stops the gateway and the services, then Kafka and PostgreSQL. State (data, jars) is kept.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state="${STACK_DIR:-$root/.stack}"

bash "$root/deploy/local/stack.sh" gateway-down

for name in approval supervision enforcement credit inspection console integration; do
  pidfile="$state/run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    printf '[stop] %s stopped\n' "$name"
  fi
  rm -f "$pidfile"
done
bash "$root/deploy/local/stack.sh" down
