#!/usr/bin/env bash
# The web front end (web/): installs its npm packages exactly as package-lock.json pins them,
# builds it into web/dist, and runs its tests.
#   bash scripts/web.sh build          npm ci (when needed) + type check + vite build
#   bash scripts/web.sh test BIN       build, unit tests (vitest), then the end-to-end suite in
#                                      Debian's Chromium against a real `BIN serve`
# Nothing but the npm registry is contacted; the browser is /usr/bin/chromium (never downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."
# The binary, as given relative to the repository root (or absolute).
BIN_ARG=${2:-}
[ -n "$BIN_ARG" ] && BIN_ARG=$(realpath "$BIN_ARG")
cd web

install() {
  # npm ci only when the lock file changed since the last install (it wipes node_modules).
  local stamp=node_modules/.motcua-lock.sha256
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

build() {
  install
  npm run --silent build
}

case "${1:-build}" in
  build)
    build
    ;;
  test)
    bin=${BIN_ARG:?usage: web.sh test MOTCUA_BINARY}
    build
    npm run --silent test:unit
    MOTCUA_BIN="$bin" npm run --silent e2e
    # Smoke run of the front end's benchmark (bundle size, first render), so that it keeps working.
    node ../bench/web/first_render.mjs --runs 1 --bin "$bin"
    ;;
  *)
    echo "usage: web.sh build | test MOTCUA_BINARY" >&2
    exit 2
    ;;
esac
