"""Is the evaluated policy the trained one? Evaluation as a run evaluates (greedy + sampled accuracy on every eval
prompt, `saerl.grpo.evaluate_accuracy` on the fast path), of the same weights in float32 and as the bfloat16 copy
that rollouts and today's evaluation use, with the eval-to-eval noise of each.

    python bench/eval_precision.py --scale mini --out results/mini/bench/eval_precision.md
    python bench/eval_precision.py --scale mini --policy results/mini/runs/vanilla__s0/policy --out ...   # also a trained policy
    python bench/eval_precision.py --scale mini --no-base --policy ... --out ...                          # only that one

For each policy (the base policy, and each `--policy` directory a run saved with `keep_policy`) and each dtype:
greedy accuracy, and sampled accuracy under `--seeds` sampling seeds (mean and SD over them: the eval-to-eval noise
of the sampled measure); the greedy completions differing between float32 and bfloat16; seconds per evaluation.
The binomial standard error of an accuracy p on n prompts, sqrt(p(1-p)/n), is the eval set's own sampling error.
"""
import argparse, copy, dataclasses, time
from pathlib import Path

import numpy as np
import torch

from report import write_report
from saerl.config import load_config
from saerl.data import scale_pool
from saerl.grpo import RunConfig, evaluate_accuracy, train_values, trainer_config
from saerl.model import ModelConfig, load_policy
from saerl.rollout import RolloutConfig, generate_completions


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini")
    ap.add_argument("--policy", action="append", default=[], help="a saved policy directory (repeatable)")
    ap.add_argument("--seeds", type=int, default=3, help="sampling seeds per (policy, dtype)")
    ap.add_argument("--no-base", action="store_true", help="only the --policy directories, not the base policy")
    ap.add_argument("--config", help="a YAML file over the scale's preset (e.g. the run's own, for its evaluation settings)")
    ap.add_argument("--out")
    args = ap.parse_args()
    mcfg, run = load_config(ModelConfig, args.scale, args.config), load_config(RunConfig, args.scale, args.config)
    run = dataclasses.replace(run, eval_samples=run.eval_samples or 4)
    rows = scale_pool(args.scale).split("eval").rows
    n = len(rows)
    policies = [("base", mcfg)] * (not args.no_base) + [(p, dataclasses.replace(mcfg, name=str(Path(p).resolve()))) for p in args.policy]
    lines = ["| policy | dtype | greedy accuracy | sampled accuracy, mean over seeds | SD over seeds | binomial SE (greedy) | greedy completions ≠ float32 | s per evaluation |",
             "|---|---|---|---|---|---|---|---|"]
    for name, cfg in policies:
        model, tok = load_policy(cfg)
        greedy = {}
        for dt in (torch.float32, torch.bfloat16):
            m = copy.deepcopy(model).eval().to(dt)
            with torch.no_grad():
                greedy[dt] = generate_completions(m, tok, [r["prompt"] for r in rows], RolloutConfig(k=1, temperature=0, max_new_tokens=run.eval_max_new_tokens,
                                                  batch_size=run.eval_batch_size, seed=0), progress=False, fast=True)
            res, secs = [], []
            for s in range(args.seeds):
                t = time.perf_counter()
                res.append(evaluate_accuracy(m, tok, rows, run, trainer_config(train_values(args.scale, args.config), run, seed=s), fast=True))
                secs.append(time.perf_counter() - t)
            g = res[0]["eval/accuracy"]; sa = np.array([r["eval/sampled_accuracy"] for r in res])
            diff = sum(a != b for a, b in zip(greedy[dt], greedy[torch.float32]))
            lines.append(f"| {name} | {str(dt).split('.')[1]} | {g:.3f} | {sa.mean():.3f} | {sa.std(ddof=1):.3f} | {np.sqrt(g * (1 - g) / n):.3f} | "
                         f"{diff}/{n} | {np.mean(secs):.0f} |")
            print(lines[-1], flush=True)
    write_report(f"Evaluation in float32 vs the bfloat16 copy ({args.scale}, {n} eval prompts, greedy + {run.eval_samples} sampled completions)", lines, args.out)

if __name__ == "__main__":
    main()
