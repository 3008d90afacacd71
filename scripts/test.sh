#!/usr/bin/env bash
# npm test: every test, on a fresh clone of a fresh machine.
#   format → lint (module boundaries) → typecheck → build → unit → schema drift → integration → end-to-end → chaos
# Integration and end-to-end tests use real Kafka and PostgreSQL, found through one seam
# (libs/testing/src/infra.ts): TEST_KAFKA_BROKERS + TEST_DATABASE_URL if given, else testcontainers
# when a Docker engine answers, else the local stack (deploy/local/stack.sh), started here if needed
# and stopped at the end (a stack found running is left alone).
# Last, a short chaos run (one of each fault, 2,000 loops; bench/chaos.ts) on a stack of its own (it
# kills Kafka and PostgreSQL), which it stops and deletes again. Its checks are behavioural only (no
# time budget). CHAOS=0 skips it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export NX_DAEMON=false NX_NO_CLOUD=true
results="$root/.stack/test-results"
mkdir -p "$results"
rm -f "$results"/*.json "$results"/chaos.txt

# Each step's heading carries the time since the run began, and the previous step's length, so a slow
# step (or jest waiting on an open handle after its tier) shows in the log without file times.
step_started=$SECONDS
step() {
  printf '\n== %s ==  (at %d s; previous step %d s)\n' "$*" "$SECONDS" "$((SECONDS - step_started))"
  step_started=$SECONDS
}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

step "format (prettier --check)"
npx prettier --check --log-level warn "**/*.{ts,js,mjs}"

step "lint (eslint + Nx module boundaries)"
npx nx show projects >/dev/null # computes the project graph the boundary rule reads
npx eslint --max-warnings 0 .

step "typecheck"
npx tsc -p tsconfig.json

step "build"
npm run --silent build

# the end-to-end tests run the gateway (nginx from Debian's packages) with deploy/gateway's configuration
bash deploy/local/stack.sh gateway-install

# chromium (the console's browser tests), promtool and a Chinese font, from Debian's packages if missing
bash scripts/test-tools.sh

# What of the local stack this run starts, it stops at the end.
started=()
if [ -z "${TEST_KAFKA_BROKERS:-}" ] || [ -z "${TEST_DATABASE_URL:-}" ]; then
  eval "$(bash deploy/local/stack.sh env)"
  port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  port_open "$DATABASE_PORT" || started+=(postgres)
  port_open "${KAFKA_BROKERS##*:}" || started+=(kafka)
fi
stop_started() {
  local component
  for component in "${started[@]}"; do bash deploy/local/stack.sh down "$component" || true; done
}
trap stop_started EXIT

status=0
step "observability (promtool check config / check rules, Grafana dashboards)"
node scripts/check-observability.mjs || status=1

for tier in unit schema integration e2e; do
  if [ "$tier" = schema ]; then step "schema drift (a migration generated on a freshly migrated database must be empty)"; else step "$tier tests"; fi
  extra=()
  [ "$tier" != unit ] && extra+=(--runInBand)
  npx jest --selectProjects "$tier" "${extra[@]}" --json --outputFile "$results/$tier.json" || status=1
done

if [ "${CHAOS:-1}" != 0 ]; then
  step "chaos (short: one of each fault, on a stack of its own)"
  CHAOS_LOOPS="${CHAOS_LOOPS:-2000}" CHAOS_ROUNDS="${CHAOS_ROUNDS:-1}" CHAOS_DRAIN_BUDGET_S="${CHAOS_DRAIN_BUDGET_S:-0}" \
    node dist/bench/chaos.js | tee "$results/chaos.txt" || status=1
fi

step "summary"
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, suitesFailed = 0;
  const chaos = process.argv[1] + "/chaos.txt";
  if (fs.existsSync(chaos)) {
    const ok = /^chaos: PASSED$/m.test(fs.readFileSync(chaos, "utf8"));
    if (ok) passed++; else failed++;
    console.log(`chaos: ${ok ? "PASSED" : "FAILED"}`);
  }
  for (const tier of ["unit", "schema", "integration", "e2e"]) {
    const file = process.argv[1] + "/" + tier + ".json";
    if (!fs.existsSync(file)) { suitesFailed++; console.log(`${tier}: no results`); continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; suitesFailed += r.numRuntimeErrorTestSuites;
    console.log(`${tier}: ${r.numPassedTests} passed, ${r.numFailedTests} failed (${r.numTotalTestSuites} suites)`);
  }
  console.log("");
  console.log(`${passed} passed, ${failed + suitesFailed} failed`);
' "$results"
exit $status
