"""Does the evaluation batch change greedy completions? The base policy's greedy completions of every eval prompt, in
bfloat16 and float32, at two eval batch sizes, through saerl's fast path and transformers' plain `generate`.

    python bench/eval_batch_precision.py --scale mini --out results/mini/bench/eval_batch_precision.md

Counts, for each (dtype, batch size, path), the eval prompts whose greedy completion differs from the same dtype's
batch-64 plain `generate` (64 is today's `eval_batch_size`). A batch of all eval prompts mixes prompt
lengths, so rows carry more left padding; in exact arithmetic that changes nothing.
"""
import argparse, copy, time

import torch

from report import write_report
from saerl.data import scale_pool
from saerl.model import ModelConfig, load_policy
from saerl.rollout import RolloutConfig, generate_completions


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini")
    ap.add_argument("--out")
    args = ap.parse_args()
    model, tok = load_policy(ModelConfig(name="smollm2") if args.scale != "tiny" else ModelConfig(name="tiny"))
    rows = scale_pool(args.scale).split("eval").rows
    prompts, n = [r["prompt"] for r in rows], len(rows)
    lines = ["| dtype | eval batch | path | seconds | greedy completions differing from the same dtype's batch-64 plain generate |", "|---|---|---|---|---|"]
    for dt in (torch.bfloat16, torch.float32):
        m, outs = copy.deepcopy(model).eval().to(dt), {}
        for bs, fast in ((64, False), (64, True), (n, False), (n, True)):
            t = time.perf_counter()
            with torch.no_grad():
                outs[bs, fast] = generate_completions(m, tok, prompts, RolloutConfig(k=1, temperature=0, max_new_tokens=48, batch_size=bs, seed=0),
                                                      progress=False, fast=fast)
            diff = sum(a != b for a, b in zip(outs[bs, fast], outs[64, False]))
            lines.append(f"| {str(dt).split('.')[1]} | {bs} | {'saerl fast' if fast else 'plain generate'} | {time.perf_counter() - t:.0f} | {diff}/{n} |")
            print(lines[-1], flush=True)
    write_report(f"Greedy eval completions vs eval batch size ({args.scale}, base policy, {n} eval prompts, ≤ 48 tokens)", lines, args.out)

if __name__ == "__main__":
    main()
