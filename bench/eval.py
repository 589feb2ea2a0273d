"""Evaluation time: one `mini` evaluation (greedy + sampled, as a run evaluates on the rollout copy) under each decoding variant, in one run.

    python bench/eval.py --scale mini --out results/mini/bench/bench_eval.md

A benchmark, not a test. Each variant evaluates the base policy's bfloat16 rollout copy on the scale's eval prompts with
`saerl.grpo.evaluate_accuracy` (the code a run uses), changing only `eval_batch_size` and `eval_round_tokens`
(`saerl.rollout.generate_in_rounds`: rows that finished are dropped between rounds of that many tokens). Variants run
twice, interleaved, and the faster time counts. Beside the time: greedy accuracy, sampled accuracy, and the share of
eval prompts whose greedy completion differs from the first variant's (bfloat16 rounds differently when the batch
shape changes; in float32 the completions are identical, `nbs/pipeline/13_rollout.ipynb`).
"""
import argparse, copy, dataclasses, os, time
from pathlib import Path

import torch

from saerl.core import git_state
from saerl.data import scale_pool
from saerl.grpo import RunConfig, evaluate_accuracy, train_values, trainer_config
from saerl.model import ModelConfig, load_policy
from saerl.rollout import RolloutConfig, generate_completions
from saerl.workspace import Workspace

VARIANTS = [(64, 0), (64, 8), (64, 16), (224, 8)]   # (eval_batch_size, eval_round_tokens); the first is today's setting


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini")
    ap.add_argument("--out", help="also write the table to this Markdown file")
    args = ap.parse_args()
    pool = scale_pool(args.scale)
    ws = Workspace(pool, args.scale, progress=False)
    run = ws.config(RunConfig)
    targs = trainer_config(train_values(args.scale), run)
    model, tok = load_policy(ws.config(ModelConfig))
    copy_ = copy.deepcopy(model).requires_grad_(False).eval().to(torch.bfloat16)   # as SaerlGRPOTrainer.rollout_model makes it
    rows = pool.split("eval").rows
    res, greedy = {}, {}
    for rep in range(2):
        for bs, rounds in VARIANTS:
            r = dataclasses.replace(run, eval_batch_size=bs, eval_round_tokens=rounds, eval_samples=run.eval_samples or 4)
            t = time.perf_counter()
            acc = evaluate_accuracy(copy_, tok, rows, r, targs, fast=True)
            dt = time.perf_counter() - t
            key = (bs, rounds)
            res[key] = min(res.get(key, (1e9,))[0], dt), acc
            if rep == 0:
                rc = RolloutConfig(k=1, temperature=0, max_new_tokens=r.eval_max_new_tokens, batch_size=bs, seed=targs.seed)
                greedy[key] = generate_completions(copy_, tok, [x["prompt"] for x in rows], rc, progress=False, fast=True, rounds=rounds)
            print(f"  batch {bs}, rounds {rounds}: {dt:.1f} s", flush=True)
    ref = VARIANTS[0]
    lines = ["| eval_batch_size | eval_round_tokens | seconds | speed-up | greedy accuracy | sampled accuracy | greedy completions differing |",
             "|---|---|---|---|---|---|---|"]
    for key in VARIANTS:
        dt, acc = res[key]
        diff = sum(a != b for a, b in zip(greedy[key], greedy[ref]))
        lines.append(f"| {key[0]} | {key[1]} | {dt:.1f} | {res[ref][0] / dt:.2f} | {acc['eval/accuracy']:.3f} | {acc['eval/sampled_accuracy']:.3f} | {diff}/{len(rows)} |")
    commit, dirty = git_state()
    head = [f"# One evaluation of the base policy's bfloat16 rollout copy ({args.scale}: {len(rows)} eval prompts, greedy + "
            f"{run.eval_samples or 4} samples each, ≤ {run.eval_max_new_tokens} tokens)", "",
            f"`python bench/eval.py --scale {args.scale}` at {commit[:7]}{' (dirty)' if dirty else ''}, {torch.get_num_threads()} threads, "
            f"{os.cpu_count()} cores; the faster of two interleaved repetitions.", ""]
    text = "\n".join(head + lines) + "\n"
    print(text)
    if args.out: Path(args.out).parent.mkdir(parents=True, exist_ok=True); Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
