#!/usr/bin/env bash
# The README's test command. Two ways to run it:
#   bash scripts/test.sh          everything, as CI runs it: installs what the tests need on a fresh Debian machine
#                                 (Chromium for the browser tests, Caddy for the replica tests, Noto CJK fonts for
#                                 Chinese text in screenshots, PostgreSQL for the class store's tests, which start a
#                                 throwaway cluster of their own), then ruff, then every test
#   bash scripts/test.sh --fast   the loop while working: no system installs; ruff, then every test but the browser,
#                                 replica, real-data and slow ones, on two cores
# Both make .venv with requirements-dev.txt when it is missing or the requirements changed. Any further
# arguments go to pytest (a file, -k, -x ...).
set -euo pipefail
cd "$(dirname "$0")/.."

fast=no
if [ "${1:-}" = "--fast" ]; then
  fast=yes
  shift
fi

if [ "$fast" = no ]; then
  missing=""
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v caddy >/dev/null 2>&1 || missing="$missing caddy"
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  if [ -n "$missing" ]; then
    SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
  fi
fi

# pip runs only when the requirements differ from those .venv was last installed with: the stamp holds their hash.
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/requirements.sha256
wanted=$(cat requirements*.txt | sha256sum | cut -d" " -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  .venv/bin/pip install -q -r requirements-dev.txt
  echo "$wanted" >"$stamp"
fi

.venv/bin/ruff check .

# One part of the run. With no arguments of the caller's, a part that collects no test (pytest's status 5)
# fails like any other: a marker that stopped matching must not pass in CI unnoticed.
pytest_part() {
  local status=0
  .venv/bin/python -m pytest "$@" || status=$?
  if [ "$status" -eq 5 ] && [ "$narrowed" = yes ]; then
    status=0
  fi
  return "$status"
}
narrowed=$([ $# -gt 0 ] && echo yes || echo no)

# Two workers, each test file on one of them (its module fixtures built once). The browser and replica tests
# run alone afterwards: they time pages and servers, and two Chromiums and servers at once would skew that.
parallel=(-n 2 --dist loadfile)
if [ "$fast" = yes ]; then
  pytest_part "${parallel[@]}" -m "not browser and not integration and not replicas and not slow" "$@"
  exit
fi
failed=0
pytest_part "${parallel[@]}" -m "not browser and not replicas" "$@" || failed=1
pytest_part -m "browser or replicas" "$@" || failed=1
exit "$failed"
