#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, starts a local PostgreSQL 15,
# builds everything with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror, checks the
# data files, and runs every test — both storage backends, the benchmarks' smoke runs included —
# and then the web front end's unit and end-to-end tests (scripts/web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
MOTCUA_TEST_PG="$(bash scripts/start-test-postgres.sh)"
export MOTCUA_TEST_PG

BUILD=${MOTCUA_TEST_BUILD:-build-test}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMOTCUA_WERROR=ON -DMOTCUA_SANITIZE=address,undefined > "$BUILD.configure.log" 2>&1 \
  || { cat "$BUILD.configure.log"; exit 1; }
cmake --build "$BUILD" -j "$(nproc)"

python3 scripts/check_data.py

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)" --timeout 900

# The web front end: its unit tests, then end to end in Chromium against this build's server.
bash scripts/web.sh test "$BUILD/src/cli/motcua"
