#!/usr/bin/env bash
# Installs exactly the Debian 12 packages motcua needs to build, test and run. Idempotent.
# Run as root on Debian 12 (bookworm). Nothing is downloaded from outside Debian's archive.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3
  libpq-dev postgresql-15
  libssl-dev libsodium-dev
  libqpdf-dev libhpdf-dev libqrencode-dev
  libtesseract-dev libleptonica-dev tesseract-ocr-vie
  qpdf poppler-utils libnss3-tools
  libgtest-dev libgmock-dev libbenchmark-dev
  nginx-light
  chromium fonts-dejavu-core
)
# The web front end is built with Node.js and npm. A machine that already has Node (a newer
# build than Debian's, say) keeps it; otherwise Debian's nodejs and npm are installed.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages (${missing[*]}); run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all ${#PACKAGES[@]} packages present"
