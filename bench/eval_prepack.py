"""Does prepacking the rollout copy's weights change what an evaluation sees? The base policy's float32 evaluation (greedy
and sampled, as a run evaluates on its rollout copy) with and without `saerl.rollout.prepack_linears`, in one run.

    python bench/eval_prepack.py --scale mini --config configs/overrides/confirm.yaml --pool results/confirm/inputs/pool.jsonl \
        --out results/mini/bench/eval_prepack.md

`saerl.grpo.evaluate_accuracy` (the code a run uses) on the same copy of the policy, once as it is and once with every
`Linear` swapped for a `PackedLinear` (oneDNN's kernel on a weight laid out once): the same product, summed in another
order, so float32 rounding differs. Each variant runs twice, interleaved; the faster time counts. Beside the time: greedy
and sampled accuracy, and the eval prompts whose greedy completion (generated again, as the evaluation generates it)
differs from the unpacked copy's: a rounding difference that flips one argmax changes the rest of that completion.
"""
import argparse, copy, time

import torch

from report import write_report
from saerl.data import load_pool, scale_pool
from saerl.grpo import RunConfig, evaluate_accuracy, train_values, trainer_config
from saerl.model import ModelConfig, load_policy
from saerl.rollout import RolloutConfig, generate_completions, prepack_linears
from saerl.workspace import Workspace


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini")
    ap.add_argument("--config", help="YAML over the scale's preset, as saerl train --config")
    ap.add_argument("--pool", help="a pool JSONL, as saerl train --pool")
    ap.add_argument("--out", help="also write the table to this Markdown file")
    args = ap.parse_args()
    pool = load_pool(args.pool) if args.pool else scale_pool(args.scale, config_file=args.config)
    ws = Workspace(pool, args.scale, args.config, progress=False)
    run = ws.config(RunConfig)
    targs = trainer_config(train_values(args.scale, args.config), run)
    model, tok = load_policy(ws.config(ModelConfig))
    plain = copy.deepcopy(model).requires_grad_(False).eval()
    packed = copy.deepcopy(plain)
    n_packed = prepack_linears(packed)
    rows = pool.split("eval").rows[:run.eval_limit]
    res, secs = {}, {}
    for rep in range(2):
        for name, m in (("as loaded", plain), ("prepacked", packed)):
            t = time.perf_counter()
            res[name] = evaluate_accuracy(m, tok, rows, run, targs, fast=True)
            secs[name] = min(secs.get(name, float("inf")), time.perf_counter() - t)
            print(f"{name} rep {rep}: {time.perf_counter() - t:.1f} s", flush=True)
    rc = RolloutConfig(k=1, temperature=0, max_new_tokens=run.eval_max_new_tokens, batch_size=run.eval_batch_size)
    with torch.no_grad():   # the greedy completions themselves, as the evaluation generates them
        greedy = {name: generate_completions(m, tok, [r["prompt"] for r in rows], rc, progress=False, fast=True, rounds=run.eval_round_tokens)
                  for name, m in (("as loaded", plain), ("prepacked", packed))}
    lines = [f"{n_packed} Linear layers prepacked; {len(rows)} eval prompts, greedy + {run.eval_samples} samples each, "
             f"≤ {run.eval_max_new_tokens} tokens, eval_batch_size {run.eval_batch_size}, eval_round_tokens {run.eval_round_tokens}.", "",
             "| rollout copy | seconds | speed-up | greedy accuracy | sampled accuracy | greedy completions differing from the unpacked copy's |",
             "|---|---|---|---|---|---|"]
    for name, r in res.items():
        diff = sum(a != b for a, b in zip(greedy[name], greedy["as loaded"]))
        lines.append(f"| {name} | {secs[name]:.1f} | {secs['as loaded'] / secs[name]:.2f} | {r['eval/accuracy']:.3f} | "
                     f"{r.get('eval/sampled_accuracy', float('nan')):.3f} | {diff}/{len(rows)} |")
    write_report(f"Evaluation of the float32 base policy, as loaded vs prepacked ({args.scale})", lines, args.out)

if __name__ == "__main__":
    main()
