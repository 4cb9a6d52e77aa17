#!/usr/bin/env bash
# Sets up what is missing, then generates a small demo dataset with the bundled defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/cli/main.js generate --count "${EXORAY_DEMO_COUNT:-12}" --seed 1 --out output/demo --overwrite --overlays "$@"
