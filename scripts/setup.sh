#!/usr/bin/env bash
# Installs what exoray needs, idempotently: a Chromium (Debian's package when none
# is found), then the npm dependencies and the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[setup] %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "exoray needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))."
  exit 1
fi

find_chromium() {
  for p in "${EXORAY_CHROMIUM:-}" "${PUPPETEER_EXECUTABLE_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser \
           /usr/lib/chromium/chromium /snap/bin/chromium /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    if [ -n "$p" ] && [ -x "$p" ]; then echo "$p"; return 0; fi
  done
  return 1
}

if chromium_path=$(find_chromium); then
  say "Chromium: $chromium_path"
else
  say "No Chromium found; installing Debian's chromium package."
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    say "Not root and no sudo: install Chromium yourself (apt-get install -y chromium) or set EXORAY_CHROMIUM."
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    say "No apt-get on this system: install Chromium or Chrome yourself and set EXORAY_CHROMIUM to its path."
    exit 1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  chromium_path=$(find_chromium) || { say "Chromium install failed."; exit 1; }
  say "Chromium: $chromium_path"
fi

# npm dependencies: reinstall only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm dependencies (npm ci)."
  npm ci --no-audit --no-fund --loglevel=error
  # npm ci ran the build through the prepare script.
  [ -d dist ] && touch dist/.stamp
else
  say "npm dependencies are up to date."
fi

# Build when any source is newer than the build stamp.
if [ ! -f dist/.stamp ] || [ -n "$(find src scripts package.json tsconfig*.json -newer dist/.stamp -print -quit)" ]; then
  say "Building."
  npm run build --silent
  touch dist/.stamp
fi
