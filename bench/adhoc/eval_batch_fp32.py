"""Session 24: one float32 evaluation (prepacked copy, today's prefill path) of the 224 confirm-pool eval prompts at
eval_batch_size 64 and 112, interleaved; seconds and greedy/sampled accuracy. `python bench/adhoc/eval_batch_fp32.py`."""
import copy, dataclasses, time
from saerl.data import load_pool
from saerl.grpo import RunConfig, evaluate_accuracy, train_values, trainer_config
from saerl.model import ModelConfig, load_policy
from saerl.rollout import prepack_linears
from saerl.workspace import Workspace
cfg = "configs/overrides/confirm.yaml"
pool = load_pool("results/confirm/inputs/pool.jsonl")
ws = Workspace(pool, "mini", cfg, progress=False)
run = ws.config(RunConfig); args = trainer_config(train_values("mini", cfg), run)
model, tok = load_policy(ws.config(ModelConfig)); m = copy.deepcopy(model).requires_grad_(False).eval(); prepack_linears(m)
rows = pool.split("eval").rows
for bs in (64, 112):
    t = time.perf_counter(); r = evaluate_accuracy(m, tok, rows, dataclasses.replace(run, eval_batch_size=bs), args, fast=True)
    print(bs, f"{time.perf_counter() - t:.1f} s", r["eval/accuracy"], r["eval/sampled_accuracy"], flush=True)
