#!/usr/bin/env bash
# The confirmatory runs of docs/protocol.md, seed-major: for each SEED, every arm (saerl.confirm.PROTOCOL's, or $ARMS),
# trained by the checkout this script lives in into OUT. Two shells share the work (a run another process holds is
# passed over, a finished one skipped; a killed one resumes from its last checkpoint); give each one of the two cores:
#   matrix (from the worktree pinned at the frozen commit, into the main checkout):
#     OMP_NUM_THREADS=1 SAERL=<main>/.venv/bin/saerl tools/confirm_matrix.sh <main>/results/confirm $(seq 0 $((N - 1))) > w1.log 2>&1 &
#   pilot:
#     OMP_NUM_THREADS=1 ARMS="vanilla saerl" tools/confirm_matrix.sh results/confirm-pilot 100 101 102 103 > w1.log 2>&1 &
set -u
OUT=$(realpath "$1"); shift
SAERL=${SAERL:-saerl}
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD   # this checkout's saerl, whatever the console script's install points at
PY=$(dirname "$(command -v "$SAERL")")/python   # the interpreter of saerl's environment
ARMS=${ARMS:-$("$PY" -c "from saerl.confirm import PROTOCOL; print(' '.join(dict.fromkeys(c for p in PROTOCOL.contrasts for c in p)))")}
for s in "$@"; do for c in $ARMS; do
  echo "=== $(date -u +%FT%T) $c seed $s ($(git rev-parse --short HEAD))"
  "$SAERL" train --scale mini --config configs/overrides/confirm.yaml --pool results/confirm/inputs/pool.jsonl \
      --condition "$c" --seed "$s" --out "$OUT" --quiet || echo "--- $c seed $s: not trained by this worker (above)"
done; done
echo "=== $(date -u +%FT%T) worker done"
