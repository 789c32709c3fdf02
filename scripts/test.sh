#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run them. The README's test command.
#   system: Chromium (browser tests), Caddy (the replica test), Noto CJK fonts (Chinese text in screenshots)
#   Python: .venv with requirements-dev.txt; then ruff checks the code, and pytest runs the tests
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v caddy >/dev/null 2>&1 || missing="$missing caddy"
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
if [ -n "$missing" ]; then
  SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

python3 -m venv .venv
.venv/bin/pip install -q -r requirements-dev.txt
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
