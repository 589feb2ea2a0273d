#!/usr/bin/env bash
# Commit each finished, untracked run of the confirmatory store, one commit a run, after checking it:
#   tools/commit_runs.sh [FROZEN_COMMIT]        (default 654c67c, docs/protocol.md's frozen code; run from the repo root)
# A run is committed only when `saerl export --check` finds that all 50 of its steps trained the batches the committed
# inputs schedule, its summary records 50 steps, and its config records the frozen commit (clean). Only config.json,
# metrics.jsonl and summary.json are committed (checkpoints and TensorBoard events stay git-ignored); nothing else is
# staged. A run that fails a check is named and left as it is.
set -u
FROZEN=${1:-654c67c}
STORE=results/confirm/mini/runs
BIN=${BIN:-.venv/bin}
for d in $(git status --porcelain --untracked-files=normal "$STORE" | awk '$1 == "??" {print $2}'); do
  d=${d%/}
  [ -f "$d/summary.json" ] || continue                       # still training (or killed): not finished
  read -r name seed steps commit dirty < <("$BIN/python" -c "
import json, sys
c, s = json.load(open('$d/config.json')), json.load(open('$d/summary.json'))
print(c['condition']['name'], c['seed'], s['steps'], c['environment']['git_commit'], c['environment']['git_dirty'])")
  check=$("$BIN/saerl" export --scale mini --config configs/overrides/confirm.yaml --pool results/confirm/inputs/pool.jsonl \
          --condition "$name" --seed "$seed" --quiet --check "$d" 2>&1 | tail -n 1)
  echo "$d: $name seed $seed, $steps steps, commit ${commit:0:7} (dirty: $dirty): $check"
  if [[ "$check" == *"50 of 50 steps"* && "$steps" == 50 && "$commit" == "$FROZEN"* && "$dirty" == False ]]; then
    files=("$d/config.json" "$d/metrics.jsonl" "$d/summary.json")
    git add -- "${files[@]}" && git commit -q -m "confirm store (exploratory, frozen code $FROZEN): $name seed $seed, 50 of 50 steps (export --check)" -- "${files[@]}" \
      && echo "  committed"
  else
    echo "  NOT committed: a check failed"
  fi
done
