#!/usr/bin/env bash
# The confirmatory matrix of docs/protocol.md: every arm (saerl.confirm.PROTOCOL) of seeds 0 .. N-1, seed-major, trained
# by the checkout this script lives in (the worktree pinned at the frozen commit) into OUT (the main checkout's
# results/confirm). Two shells share the work (a run another process holds is passed over, a finished one skipped);
# give each one thread of the two cores:
#   OMP_NUM_THREADS=1 SAERL=/path/to/.venv/bin/saerl tools/confirm_matrix.sh N OUT > worker1.log 2>&1 &
#   OMP_NUM_THREADS=1 SAERL=/path/to/.venv/bin/saerl tools/confirm_matrix.sh N OUT > worker2.log 2>&1 &
set -u
N=$1; OUT=$(realpath "$2"); SAERL=${SAERL:-saerl}
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD   # this checkout's saerl, whatever the console script's install points at
PY=$(dirname "$(command -v "$SAERL")")/python   # the interpreter of saerl's environment
ARMS=$("$PY" -c "from saerl.confirm import PROTOCOL; print(' '.join(dict.fromkeys(c for p in PROTOCOL.contrasts for c in p)))")
for s in $(seq 0 $((N - 1))); do for c in $ARMS; do
  echo "=== $(date -u +%FT%T) $c seed $s ($(git rev-parse --short HEAD))"
  "$SAERL" train --scale mini --config configs/overrides/confirm.yaml --pool results/confirm/inputs/pool.jsonl \
      --condition "$c" --seed "$s" --out "$OUT" --quiet || echo "--- $c seed $s: not trained by this worker (above)"
done; done
echo "=== $(date -u +%FT%T) worker done"
