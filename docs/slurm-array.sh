#!/bin/bash
# exoray on Slurm: one run split over a job array, then merged by a job that waits for it.
# See docs/SHARDS.md. Sample i of the run is made by array task i mod N, so the merged dataset is
# exactly the one `exoray generate --count $COUNT --seed $SEED` makes on one machine.
#
#   bash docs/slurm-array.sh          # submits the array and the merge; prints both job ids
#
# Run from a folder on a file system every node sees. Each task writes shards/<task id>; the merge
# job starts when every task succeeded (afterok) and writes merged/. A failed task can be re-run
# alone: `EXORAY_SHARD=3/8 sbatch --array=3 docs/slurm-array.sh` continues shard 3 of 8 where it
# stopped (--resume); then submit the merge again (last lines below).
#
#SBATCH --job-name=exoray-shard
#SBATCH --array=0-7
#SBATCH --cpus-per-task=8
#SBATCH --mem=12G
#SBATCH --time=08:00:00
#SBATCH --output=logs/exoray-%A_%a.out
set -euo pipefail

SHARDS=8                     # N: keep equal to the size of --array (0-7)
COUNT=100000                 # samples in the whole run
SEED=7
WORK=${EXORAY_WORK:-$PWD/exoray-run}
export EXORAY_CHROMIUM=${EXORAY_CHROMIUM:-/usr/bin/chromium}

if [[ -z "${SLURM_ARRAY_TASK_ID:-}" ]]; then
  # Not inside a task: submit the array (this script) and the merge that depends on it.
  mkdir -p "$WORK/shards" logs
  array=$(sbatch --parsable --array=0-$((SHARDS - 1)) --export=ALL,EXORAY_WORK="$WORK" "$0")
  # The glob is expanded when the merge runs, not now: the shard folders do not exist yet.
  merge=$(sbatch --parsable --dependency=afterok:"$array" --job-name=exoray-merge --cpus-per-task=2 --mem=4G \
    --time=04:00:00 --output=logs/exoray-merge-%j.out \
    --wrap "exoray merge --link '$WORK/merged' '$WORK'/shards/*")
  echo "submitted shards: job $array (array 0-$((SHARDS - 1))), merge: job $merge (after every shard succeeded)"
  exit 0
fi

# Inside task $SLURM_ARRAY_TASK_ID: exoray reads the shard from SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT (minus SLURM_ARRAY_TASK_MIN, so --array=1-8 works too). EXORAY_SHARD,
# when set (a re-run of single tasks), wins. --resume continues a task that was requeued or
# re-run, and starts one that has no folder yet.
exec exoray generate \
  --count "$COUNT" --seed "$SEED" --preset parcel --size 512 \
  --workers $(( ${SLURM_CPUS_PER_TASK:-2} / 2 > 0 ? ${SLURM_CPUS_PER_TASK:-2} / 2 : 1 )) \
  --out "$WORK/shards/$SLURM_ARRAY_TASK_ID" \
  --resume
