"""The signals stage at paper size: quality filter, clusters, ElasticNet curriculum and batches for a pool of 100,000
prompts with pooled SAE features of paper width (d_sae 16,384), synthetic (no model needed), timed stage by stage with
the process's peak memory. The density of pooled features is an input (`--active`, latents active per prompt after
mean-pooling over its tokens); `mini`'s measured density is printed beside it.

    python bench/signals_scale.py --out results/mini/bench/signals_scale.md
"""
import argparse, resource, time, warnings

import numpy as np
import scipy.sparse as sp

import saerl.schedule as S
from report import write_report
from saerl.data import Pool, scale_pool
from saerl.difficulty import DifficultyConfig
from saerl.diversity import DiversityConfig
from saerl.features import FeatureMatrix
from saerl.quality import QualityConfig
from saerl.schedule import ScheduleConfig, build_schedule
from saerl.signals import Signal
from saerl.workspace import Workspace


def peak_gib() -> float: return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def synthetic(n: int, d: int, active: int, families: int, label_frac: float, noise: float, seed: int = 0):
    """A pool of `n` rows and its `n × d` CSR features (float32, `active` latents per row): each family prefers 400 latents
    (60 % of a row's active latents come from them), values log-normal; pass rates depend on 20 latents, noisy prompts
    light up 50 others."""
    rng = np.random.default_rng(seed)
    fam = rng.integers(0, families, n)
    pref = rng.integers(0, d, (families, 400))
    k_pref = int(0.6 * active)
    cols = np.empty((n, active), np.int64)
    cols[:, :k_pref] = pref[fam[:, None], rng.integers(0, 400, (n, k_pref))]
    cols[:, k_pref:] = rng.integers(0, d, (n, active - k_pref))
    noisy = rng.random(n) < noise
    noise_latents = rng.integers(0, d, 50)
    cols[noisy, k_pref:k_pref + 20] = noise_latents[rng.integers(0, 50, (int(noisy.sum()), 20))]
    cols.sort(1)
    keep = np.ones_like(cols, bool); keep[:, 1:] = cols[:, 1:] != cols[:, :-1]     # a latent once per row
    X = sp.csr_matrix((rng.lognormal(-1, 1, cols.shape)[keep].astype(np.float32), cols[keep], np.r_[0, np.cumsum(keep.sum(1))]), shape=(n, d))
    easy = np.asarray(X[:, :20].sum(1)).ravel()
    rate = 1 / (1 + np.exp(-(easy - np.median(easy)) * 2 + rng.normal(0, 0.5, n)))
    split = np.where(rng.random(n) < label_frac, "label", "train")
    rows = [dict(id=f"p{i}", family=f"f{fam[i]}", split=split[i], is_noisy=bool(noisy[i]), question="", prompt=[], answer="") for i in range(n)]
    return Pool(rows), X, {f"p{i}": float(rate[i]) for i in np.flatnonzero(split == "label")}


def timed(fn, log: dict, name: str):
    "`fn`, recording its seconds under `name` (summed over calls)."
    def wrap(*a, **kw):
        t = time.time(); out = fn(*a, **kw)
        log[name] = log.get(name, 0) + time.time() - t
        return out
    return wrap


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--d-sae", type=int, default=16_384)
    ap.add_argument("--active", type=int, default=1_500, help="latents drawn per prompt (with repeats within a family's 400 preferred ones: the realised count of distinct active latents is printed)")
    ap.add_argument("--label-frac", type=float, default=0.02)
    ap.add_argument("--out")
    args = ap.parse_args()
    warnings.filterwarnings("ignore", module="sklearn")
    t0 = time.time()
    pool, X, rates = synthetic(args.n, args.d_sae, args.active, 20, args.label_frac, 0.15)
    t_make = time.time() - t0
    log = {}
    for name in ("score_quality", "cluster_prompts", "predict_difficulty", "curriculum_queues", "compose_batches"):
        setattr(S, name, timed(getattr(S, name), log, name))
    sig = Signal("sae", pool.ids, X)
    t = time.time()
    sched = build_schedule(pool, lambda s: sig, rates, ScheduleConfig(), DiversityConfig(n_clusters=8, batch_size=8), DifficultyConfig(cv=5), QualityConfig(cv=5))
    total, peak = time.time() - t, peak_gib()
    Xm = Workspace(scale_pool("mini"), "mini", progress=False).features().X("mean")   # (after the peak: it loads the policy)
    mini_active = Xm.getnnz(1)
    lines = [f"Synthetic pool: {args.n:,} prompts ({sum(r['split'] == 'label' for r in pool):,} label), d_sae {args.d_sae:,}, "
             f"{X.getnnz(1).mean():.0f} active latents per prompt ({X.nnz / 1e6:.0f} M non-zeros, CSR float32 {(X.data.nbytes + X.indices.nbytes) / 2**30:.2f} GiB); "
             f"made in {t_make:.0f} s. For scale: `mini`'s pooled SAE features have {mini_active.mean():.0f} of {Xm.shape[1]:,} latents active per "
             f"prompt ({mini_active.mean() / Xm.shape[1]:.0%}; k = 32 per token, mean-pooled).", "",
             "| stage | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.1f} |" for k, v in log.items()]
    lines += [f"| **build_schedule, all** | **{total:.1f}** |", "",
              f"Peak RSS of the process: **{peak:.2f} GiB** (features included). Schedule: {len(sched.batches):,} batches of 8, "
              f"{len(sched.removed):,} prompts filtered, {len(set(sched.info.cluster))} clusters."]
    write_report("The signals stage at paper size (synthetic features)", lines, args.out)


if __name__ == "__main__": main()
