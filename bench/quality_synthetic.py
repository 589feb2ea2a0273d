"""Does a quality probe that never saw a noise label find the pool's real noise? Leave-one-noise-type-out AUROC.

    python bench/quality_synthetic.py --scale mini

A pool without noise labels (real data) trains the quality probe on synthetic corruptions of its clean label prompts
(`saerl.data.synthetic_noise`). The pool's own noise was made by the same injectors, so scoring that probe on the
pool's noise would flatter it; instead each noise type is held out in turn: the probe learns from corruptions of every
other type and is scored on the train split's real noisy prompts of the held-out type against its clean prompts.
Beside it, today's probe (fit on the label split's real noise labels), with all types and with the same type left out.
AUROC with a 95 % bootstrap interval over the train split's prompts. Writes results/<scale>/bench/quality_synthetic.{csv,md}.
"""
import argparse, os, platform, time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from saerl.core import git_state
from saerl.data import NOISE_TYPES, SYNTHETIC_TYPES, scale_pool, synthetic_noise
from saerl.quality import QualityConfig, score_quality
from saerl.signals import build_signal
from saerl.validity import ValidityConfig, bootstrap
from saerl.workspace import Workspace


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor()) \
        if os.path.exists("/proc/cpuinfo") else platform.processor()
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini")
    ap.add_argument("--sources", default="sae,residual,embedding")
    ap.add_argument("--out", help="default: results/<scale>/bench/quality_synthetic")
    args = ap.parse_args()
    t0 = time.time()
    pool = scale_pool(args.scale)
    ws = Workspace(pool, args.scale, progress=False)
    qcfg, v = ws.config(QualityConfig), ws.config(ValidityConfig)
    shipped = synthetic_noise(pool, SYNTHETIC_TYPES, qcfg.seed)    # what a pool without labels gets
    label = {r["id"]: r["is_noisy"] for r in pool if r["split"] == "label"}
    label_kind = {r["id"]: r["noise_type"] for r in pool if r["split"] == "label"}
    clean_label = {k: False for k, y in label.items() if not y}
    train = [i for i, r in enumerate(pool.rows) if r["split"] == "train"]
    kind = np.array([pool.rows[i]["noise_type"] or "" for i in train])
    rows = []
    for src in args.sources.split(","):
        reads = src in ("sae", "residual")
        feats = ws.features() if reads else None
        sig = lambda syn: build_signal(src, pool, feats, synthetic=syn, synthetic_features=ws.features(pool=syn) if reads else None)
        s_shipped = sig(shipped)
        def auroc(q, t):
            m = (kind == t) | (kind == "") if t != "all" else np.ones(len(kind), bool)
            y, bad = kind[m] != "", -q[train][m]
            return bootstrap(roc_auc_score, y, bad, n_boot=v.n_boot, seed=v.seed)
        q_label = score_quality(s_shipped, label, qcfg)
        q_shipped = score_quality(s_shipped, clean_label, qcfg)
        for t in ("all", *NOISE_TYPES):
            if t != "all" and not (kind == t).any(): continue
            probes = {"labelled, all types": q_label, "synthetic, as shipped": q_shipped}
            if t != "all":
                probes["labelled, type left out"] = score_quality(s_shipped, {k: y for k, y in label.items() if label_kind[k] != t}, qcfg)
                keep = np.flatnonzero([r["noise_type"] != t for r in shipped])
                s_loo = type(s_shipped)(src, s_shipped.ids, s_shipped.vectors, synthetic=s_shipped.synthetic[keep])
                probes["synthetic, type left out"] = score_quality(s_loo, clean_label, qcfg)
            for name, q in probes.items():
                val, lo, hi = auroc(q, t)
                rows.append(dict(source=src, held_out=t, probe=name, auroc=val, ci_low=lo, ci_high=hi,
                                 n_noisy=int((kind != "").sum() if t == "all" else (kind == t).sum())))
        print(f"{src}: done ({time.time() - t0:.0f}s)", flush=True)
    df = pd.DataFrame(rows)
    out = Path(args.out or f"results/{args.scale}/bench/quality_synthetic")
    out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(f"{out}.csv", index=False)
    cell = lambda r: f"{r.auroc:.2f} [{r.ci_low:.2f}, {r.ci_high:.2f}]"
    wide = df.assign(v=df.apply(cell, axis=1)).pivot_table(index=["source", "held_out", "n_noisy"], columns="probe", values="v", aggfunc="first")
    wide = wide.reindex(columns=["labelled, all types", "labelled, type left out", "synthetic, as shipped", "synthetic, type left out"]).fillna("–")
    commit, dirty = git_state()
    head = [f"# Quality probe without noise labels: leave-one-noise-type-out AUROC ({args.scale})", "",
            f"`python bench/quality_synthetic.py --scale {args.scale}` at {commit[:7]}{' (dirty)' if dirty else ''} on {machine()}, "
            f"{time.time() - t0:.0f} s.", "",
            "AUROC of 1 − quality for the train split's real noisy prompts of the held-out type against its clean prompts "
            "(95 % bootstrap interval over those prompts). *labelled*: fit on the label split's real noise labels (today's probe); "
            "*synthetic*: fit on the clean label prompts against synthetic corruptions of them, never on a noise label. "
            "*As shipped* uses the default corruption kinds (" + ", ".join(SYNTHETIC_TYPES) + "; not wrong_answer, which leaves the "
            "prompt unchanged); *type left out* learns from those kinds but the held-out one, the fair test since the same injectors made "
            "the pool's noise (on the `all` row nothing is left out: –). The labelled probe is what `saerl signals` fits on this "
            "pool; the synthetic one is what it fits on a pool without noise labels. `[nan, nan]`: an AUROC at its edge (1.00), "
            "where the BCa bootstrap interval is undefined (`saerl.validity.bootstrap`).", ""]
    Path(f"{out}.md").write_text("\n".join(head) + "\n" + wide.reset_index().to_markdown(index=False) + "\n")
    print(Path(f"{out}.md").read_text())


if __name__ == "__main__":
    main()
