#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (Playwright's own download needs the internet).
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  echo "browser: Debian's Chromium is installed"
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "browser: installing Debian's chromium package"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "browser: Chromium installed"
else
  echo "browser: /usr/bin/chromium missing; browser tests will be skipped (apt-get install chromium)" >&2
fi
