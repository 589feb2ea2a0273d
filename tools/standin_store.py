"""Stand-in runs (synthetic metrics, no real run read) for every run the confirmatory store's artifacts read, to exercise and time
them before the matrix is complete (notes/confirm/README.md, session 29):
  python tools/standin_store.py /tmp/standin/results; then copy the store's inputs and inputs.json beside it and
  SAERL_CACHE=<empty> saerl reproduce --scale mini --committed --config configs/overrides/confirm.yaml --pool /tmp/standin/results/inputs/pool.jsonl --out /tmp/standin/results --runs /tmp/standin/results --jobs 2"""
import json, sys, shutil
from pathlib import Path
import numpy as np
from saerl.artifacts import ReproduceConfig, scale_artifact_runs, store_artifacts
from saerl.config import load_config
from saerl.condition import Condition
from saerl.confirm import planned_runs
from saerl.grpo import RunConfig, eval_steps, run_dir
conf = "configs/overrides/confirm.yaml"
root = Path(sys.argv[1]); shutil.rmtree(root, ignore_errors=True)
rc = load_config(ReproduceConfig, "mini", conf)
need = scale_artifact_runs("mini", conf)
runs = {(c, s) for n in store_artifacts(rc) for c in need[n] for s in rc.seeds} | set(planned_runs())
base = json.load(open("results/confirm/mini/runs/saerl__s0/config.json"))   # settings only: every run of the store shares them
rng = np.random.default_rng(0)
steps = eval_steps(RunConfig(**{k: v for k, v in base["run"].items() if k in RunConfig.__dataclass_fields__}), base["train"]["max_steps"])
for c, s in sorted(runs):
    d = run_dir(root, "mini", c, s); d.mkdir(parents=True)
    cond = Condition.parse(c)
    cfg = dict(base, condition=cond.to_dict(), seed=s)
    cfg["train"] = dict(base["train"], seed=s, loss_type=cond.loss_type or base["train"]["loss_type"], dynamic_sampling=cond.dynamic)
    json.dump(cfg, open(d/"config.json", "w"))
    with open(d/"metrics.jsonl", "w") as f:
        for step in steps:
            a, b = rng.integers(0, 225, 2) / 224
            f.write(json.dumps({"step": step, "eval/accuracy": a, "eval/sampled_accuracy": b}) + "\n")
    json.dump(dict(condition=c, seed=s, accuracy_start=0.1, accuracy_final=0.2, seconds=1.0, seconds_per_step=1.0), open(d/"summary.json", "w"))
print(len(runs), "stand-in runs under", root)
