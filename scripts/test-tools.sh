#!/usr/bin/env bash
# Tools the browser and observability tests need, from Debian's packages (the same way
# deploy/local/stack.sh installs PostgreSQL): chromium for the console's browser tests,
# promtool (package prometheus) for the Prometheus configuration and alert rules, and a Chinese font
# (fonts-wqy-microhei) so that the console's screenshots show characters, not boxes.
# Idempotent: installs only what is missing.
set -euo pipefail
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
