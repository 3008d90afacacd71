#!/usr/bin/env bash
# npm start: the whole system on this machine, without Docker.
# Installs what is missing (npm packages, Kafka jars from Maven Central, PostgreSQL from Debian),
# starts Kafka (KRaft, one node) and PostgreSQL on loopback, builds, starts the services (each runs
# its migrations and creates its topics at boot), then the gateway (nginx, port 8080) in front of
# them, and prints where each listens: the gateway first, the one address agencies use.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
state="${STACK_DIR:-$root/.stack}"
mkdir -p "$state/logs" "$state/run"

say() { printf '[start] %s\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

bash deploy/local/stack.sh up

say "building"
npm run --silent build

eval "$(bash deploy/local/stack.sh env)"
set -a
# shellcheck source=/dev/null
. deploy/local/dev.env
set +a

services=(approval:3001 supervision:3002 enforcement:3003 credit:3004 inspection:3005 console:3006 integration:3007)

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

for entry in "${services[@]}"; do
  name="${entry%%:*}"; port="${entry##*:}"
  pidfile="$state/run/$name.pid"
  if running "$pidfile"; then
    say "$name already running (pid $(cat "$pidfile"))"
    continue
  fi
  # MALLOC_ARENA_MAX: glibc keeps two malloc arenas instead of up to eight per core (ADR 0091).
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" PORT="$port" setsid nohup node "dist/services/$name/src/serve.js" >>"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  say "$name starting (pid $!, log $state/logs/$name.log)"
done

for entry in "${services[@]}"; do
  name="${entry%%:*}"; port="${entry##*:}"
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
    if ! running "$state/run/$name.pid"; then
      say "ERROR: $name exited during start; last lines of $state/logs/$name.log:"
      tail -n 20 "$state/logs/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null || { say "ERROR: $name is not ready after 60 s (see $state/logs/$name.log)"; exit 1; }
done

bash deploy/local/stack.sh gateway-up

cat <<MSG

The system is up. Agencies use the gateway: one host and port, one prefix per service.
  gateway       http://127.0.0.1:8080      /approval/  /supervision/  /enforcement/  /credit/  /inspection/  /console/  /integration/
                e.g. http://127.0.0.1:8080/approval/api/docs   (access log: $state/gateway/logs/access.log)

Each service also listens on its own port (for operators and debugging):
  service       REST                       API docs (OpenAPI)                         health / metrics
  approval      http://127.0.0.1:3001      http://127.0.0.1:3001/api/docs             /health  /metrics
  supervision   http://127.0.0.1:3002      http://127.0.0.1:3002/api/docs             /health  /metrics
  enforcement   http://127.0.0.1:3003      http://127.0.0.1:3003/api/docs             /health  /metrics
  credit        http://127.0.0.1:3004      http://127.0.0.1:3004/api/docs             /health  /metrics
  inspection    http://127.0.0.1:3005      http://127.0.0.1:3005/api/docs             /health  /metrics
  console       http://127.0.0.1:3006      http://127.0.0.1:3006/api/docs             /health  /metrics
  integration   http://127.0.0.1:3007      http://127.0.0.1:3007/api/docs             /health  /metrics
  kafka         $KAFKA_BROKERS
  postgresql    $DATABASE_HOST:$DATABASE_PORT (user $DATABASE_USER; databases approval, supervision, enforcement, credit, inspection, console, integration)

The operators' console (Chinese): http://127.0.0.1:3006/  (sign in with a department's API key)
Development API keys (header x-api-key) are in deploy/local/dev.env. Logs: $state/logs/
Stop everything: npm stop
MSG
