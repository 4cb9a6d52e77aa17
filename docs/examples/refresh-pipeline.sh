#!/usr/bin/env bash
# Adds a species model to a catalog, refreshes the dataset, verifies it and exports a training set.
#   docs/examples/refresh-pipeline.sh MODEL.glb SPECIES_ID "Scientific name" MIN_MM-MAX_MM
# Environment: DATA (dataset folder, default data/smuggled), EXORAY_CATALOG (catalog folder,
# default species/), TARGET (target file for a new dataset, default docs/examples/target.yaml).
set -euo pipefail

model=$1 id=$2 name=$3 size=$4
data=${DATA:-data/smuggled}
export EXORAY_CATALOG=${EXORAY_CATALOG:-species}
exoray() { node "$(dirname "$0")/../../dist/cli/main.js" "$@"; }

# 1. The model joins the catalog (normalised, checked, its sha256 recorded).
exoray species add "$model" --id "$id" --name "$name" --size-mm "$size"

# 2. Plan, then refresh (a new dataset takes its target from $TARGET). Exit code 3: nothing to do.
first=()
[ -f "$data/target.yaml" ] || first=(--target "${TARGET:-$(dirname "$0")/target.yaml}")
exoray refresh "$data" "${first[@]}" --dry-run || [ $? -eq 3 ]
status=0
exoray refresh "$data" "${first[@]}" || status=$?
case $status in
  0) echo "dataset changed" ;;
  3) echo "dataset already current" ;;
  *) exit "$status" ;;
esac

# 3. Every file, label and database row checked against each other.
exoray verify "$data"

# 4. A training set of the active samples, with YOLO labels.
rm -rf "$data-train"
exoray export --in "$data" --where "split:train" --format yolo --out "$data-train"
