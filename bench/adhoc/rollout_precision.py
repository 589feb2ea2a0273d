"""Rollouts from the float32 policy vs its bfloat16 copy while training (session 19, issue 28): a few GRPO steps of the
`mini` configuration with each rollout dtype on the same schedule and seed; prints each step's mean completion length,
reward and gradient norm.

    python bench/adhoc/rollout_precision.py float32 4      # then: bfloat16 4
"""
import sys, tempfile
from pathlib import Path

import torch

from saerl.data import scale_pool
from saerl.grpo import REWARDS, RunConfig, schedule_dataset, train_values, trainer_config
from saerl.model import ModelConfig, load_policy
from saerl.trainer import SaerlGRPOTrainer
from saerl.workspace import Workspace

dtype, steps = sys.argv[1], int(sys.argv[2])
pool = scale_pool("mini"); ws = Workspace(pool, "mini", progress=False)
run = ws.config(RunConfig, save_every=10**6)
sched = ws.schedule("vanilla", 0); ds = schedule_dataset(pool, sched)
model, tok = load_policy(ws.config(ModelConfig))
args = trainer_config(train_values("mini", max_steps=steps, rollout_dtype=dtype), run, len(sched.batches[0]), Path(tempfile.mkdtemp()))
args.save_strategy, args.disable_tqdm = "no", True
tr = SaerlGRPOTrainer(model=model, reward_funcs=[REWARDS[r] for r in run.rewards], args=args, train_dataset=ds, processing_class=tok)
torch.manual_seed(0)
tr.train()
for h in tr.state.log_history:
    if "completions/mean_length" in h: print(f"{dtype} step {h['step']}: mean length {h['completions/mean_length']:.1f}, reward {h['reward']:.3f}, grad norm {h['grad_norm']:.3f}")
