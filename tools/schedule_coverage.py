"""How much of each arm's schedule its runs train, and what the untrained rest holds (the protocol's erratum, session 34).

    python tools/schedule_coverage.py [--steps 50] [--seeds 0 1 2 3 4 5 6 7] [--arms saerl saerl@permuted saerl@residual vanilla]

For each arm and seed of the confirmatory setting it builds the schedule from the committed inputs (pool, pass-rate
tables, feature matrices), as `saerl export` does, and prints: its batches, the share a `--steps`-step run trains (one
batch a step), and the mean measured base pass rate (the committed train and label tables) and mean predicted pass
rate (the difficulty probe's, where the arm has one) of the prompts in the batches trained and in those never reached.
Then the means over seeds. About 25 minutes of one core (session 34): every schedule fits its probes.
"""
import argparse

import numpy as np
import pandas as pd

from saerl.data import load_pool
from saerl.workspace import Workspace

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--config", default="configs/overrides/confirm.yaml")
p.add_argument("--pool", default="results/confirm/inputs/pool.jsonl")
p.add_argument("--inputs", default="results/confirm/inputs", help="the committed pass-rate tables and feature matrices")
p.add_argument("--steps", type=int, default=50)
p.add_argument("--seeds", type=int, nargs="+", default=list(range(8)))
p.add_argument("--arms", nargs="+", default=["saerl", "saerl@permuted", "saerl@residual", "vanilla"])
a = p.parse_args()

ws = Workspace(load_pool(a.pool), "mini", a.config, progress=False, rates_from=a.inputs, features_from=a.inputs)
measured = {**ws.rates("train"), **ws.rates("label")}
rows = []
for arm in a.arms:
    for seed in a.seeds:
        s = ws.schedule(arm, seed)
        pred = s.info.set_index("id").predicted_pass_rate
        mean = lambda values, batches: float(np.mean([values[i] for b in batches for i in b])) if batches else np.nan
        done, rest = s.batches[:a.steps], s.batches[a.steps:]
        rows.append(dict(arm=arm, seed=seed, batches=len(s.batches), trained=round(min(1, a.steps / len(s.batches)), 3),
                         measured_trained=mean(measured, done), measured_not_reached=mean(measured, rest),
                         predicted_trained=mean(pred, done), predicted_not_reached=mean(pred, rest)))
df = pd.DataFrame(rows)
print(df.to_markdown(index=False, floatfmt=".3f"), "\n")
print(df.drop(columns="seed").groupby("arm", sort=False).mean().to_markdown(floatfmt=".3f"))
