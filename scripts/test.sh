#!/usr/bin/env bash
# Sets up what is missing, then runs the whole test suite (unit, browser and CLI tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.json --noEmit
npx vitest run "$@"
