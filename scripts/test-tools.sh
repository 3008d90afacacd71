#!/usr/bin/env bash
# Tools the browser and observability tests need, from Debian's packages (the same way
# deploy/local/stack.sh installs PostgreSQL): chromium for the console's browser tests,
# promtool (package prometheus) for the Prometheus configuration and alert rules, and a Chinese font
# (fonts-wqy-microhei) so that the console's screenshots show characters, not boxes; and Schemathesis
# (from PyPI, pinned) in a virtual environment under .stack/tools for the OpenAPI contract test
# (test/e2e/openapi-contract.e2e-spec.ts). Only this setup reaches the network; the tests do not.
# Idempotent: installs only what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

SCHEMATHESIS_VERSION=4.32.5
venv="$root/.stack/tools/schemathesis"
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  printf '[test-tools] installing schemathesis %s from PyPI into %s\n' "$SCHEMATHESIS_VERSION" "$venv"
  command -v python3 >/dev/null 2>&1 && python3 -m venv --help >/dev/null 2>&1 || {
    as_root=()
    [ "$(id -u)" -ne 0 ] && as_root=(sudo)
    "${as_root[@]}" apt-get install -y --no-install-recommends python3 python3-venv >/dev/null
  }
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
printf '[test-tools] installing from Debian: %s\n' "${missing[*]}"
as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null || {
  "${as_root[@]}" apt-get update >/dev/null
  "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
}
