"""The permuted control's own spread: signal validity of `permuted` (the SAE's feature rows dealt to other prompts)
under several permutation seeds. A single permutation's figure, with a bootstrap interval over prompts, leaves out
the permutation's variance; this table shows it.

    python bench/permuted_null.py --scale mini --seeds 8 --out results/mini/bench/permuted_null.md
"""
import argparse, dataclasses, warnings

import numpy as np
import pandas as pd

from report import write_report
from saerl.data import scale_pool
from saerl.difficulty import DifficultyConfig
from saerl.diversity import DiversityConfig
from saerl.quality import QualityConfig
from saerl.validity import ValidityConfig, difficulty_validity, diversity_validity, quality_validity
from saerl.workspace import Workspace


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini")
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--out")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", module="sklearn")   # ElasticNet's convergence notes on features that carry no signal
    ws = Workspace(scale_pool(args.scale), args.scale, progress=False)
    v = dataclasses.replace(ws.config(ValidityConfig), n_boot=10)   # point estimates are what this table is for
    lab, ev = ws.rates("label"), ws.rates("eval")
    recs = []
    for s in range(args.seeds):
        sig = ws.signal("permuted", s)
        rows = (diversity_validity(sig, ws.pool, ws.config(DiversityConfig), v) + difficulty_validity(sig, ws.pool, lab, ev, ws.config(DifficultyConfig), v)
                + quality_validity(sig, ws.pool, ws.config(QualityConfig), v))
        recs += [dict(seed=s, metric=f"{r['operation']} {r['metric']}", value=r["value"]) for r in rows if r["subset"] == "all"]
        print(s, [(r["metric"], round(r["value"], 3)) for r in rows if r["subset"] == "all"], flush=True)
    t = pd.DataFrame(recs).pivot(index="seed", columns="metric", values="value")
    summary = t.agg(["mean", "std", "min", "max"])
    lines = [t.round(3).to_markdown(), "", "Over the seeds (undefined values, from constant predictions, left out):", "", summary.round(3).to_markdown()]
    write_report(f"Validity of the permuted control over {args.seeds} permutation seeds ({args.scale})", lines, args.out)


if __name__ == "__main__":
    main()
