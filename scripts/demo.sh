#!/usr/bin/env bash
# The main job (README): installs what is missing, builds the `motcua` command and the web front
# end, generates the demo province into ./motcua-data (embedded SQLite) unless it is already
# there, prints the demo sign-in accounts, and serves portal, workspace and API on
# http://localhost:8080, with the local stand-in payment gateway and bank (motcua-gateway) on
# 127.0.0.1:8091 for online payment of fees. Environment: DOSSIERS (default 100000), MOTCUA_DIR,
# LISTEN.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DMOTCUA_TESTS=OFF -DMOTCUA_BENCH=OFF -DMOTCUA_WERROR=OFF \
  > build.configure.log 2>&1 || { cat build.configure.log; exit 1; }
cmake --build build -j "$(nproc)" --target motcua motcua-gateway

bash scripts/web.sh build

DIR=${MOTCUA_DIR:-motcua-data}
if [ ! -f "$DIR/motcua.db" ]; then
  LISTEN_PORT=${LISTEN:-127.0.0.1:8080}
  build/src/cli/motcua demo --dir "$DIR" --dossiers "${DOSSIERS:-100000}" \
    --public-url "http://localhost:${LISTEN_PORT##*:}"
fi
python3 scripts/print-demo-accounts.py "$DIR/credentials.json" build/src/cli/motcua
# The demo's payment settings (payment.json, written by the demo command) point the gateway at
# the stand-in; a store made before online payment existed has none, and serves without it.
if [ -f "$DIR/payment.json" ]; then
  build/src/pay/motcua-gateway --listen 127.0.0.1:8091 --config "$DIR/payment.json" &
  GATEWAY=$!
  trap 'kill $GATEWAY 2>/dev/null || true' EXIT
  echo "demo: stand-in payment gateway on http://127.0.0.1:8091 (not a real gateway)"
fi
build/src/cli/motcua serve --dir "$DIR" --listen "${LISTEN:-127.0.0.1:8080}" --static web/dist
