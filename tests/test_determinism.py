"The same seed gives the same pool, SAE, features, clusters, schedule and (on CPU) the same first training steps."
import json

import numpy as np
import torch

from saerl.conditions import SignalContext
from saerl.config import stage_config
from saerl.data import PoolConfig, build_pool, scale_pool
from saerl.diversity import DiversityConfig, cluster_prompts
from saerl.features import FeaturesConfig, extract_features
from saerl.grpo import TrainConfig, run_grpo
from saerl.model import ModelConfig, load_policy
from saerl.sae import SAEConfig, get_sae


def test_pool_sae_features_clusters_schedule_are_deterministic():
    cfg = stage_config(PoolConfig, "pool", "tiny")
    assert build_pool(cfg).rows == build_pool(cfg).rows
    pool, mcfg, scfg = scale_pool("tiny"), ModelConfig(name="tiny"), stage_config(SAEConfig, "sae", "tiny")
    model, tok = load_policy(mcfg)
    a, _ = get_sae(mcfg, scfg, pool, model=model, progress=False)
    b, _ = get_sae(mcfg, scfg, pool, model=model, force=True, progress=False)     # trained again from scratch
    for (n, x), y in zip(a.state_dict().items(), b.state_dict().values()): assert torch.equal(x, y), n
    fcfg = stage_config(FeaturesConfig, "features", "tiny")
    f1 = extract_features(pool, model, tok, b, fcfg, force=True, progress=False)
    f2 = extract_features(pool, model, tok, b, fcfg, force=True, progress=False)
    assert (f1.X("mean") != f2.X("mean")).nnz == 0 and np.array_equal(f1.residual, f2.residual)
    ctx1, ctx2 = SignalContext(pool, "tiny", progress=False), SignalContext(pool, "tiny", progress=False)
    k = stage_config(DiversityConfig, "diversity", "tiny")
    assert np.array_equal(cluster_prompts(ctx1.signal_for("sae"), k.n_clusters, 0), cluster_prompts(ctx2.signal_for("sae"), k.n_clusters, 0))
    for c in ("saerl", "vanilla", "saerl@random"):
        assert ctx1.schedule(c, 1).batches == ctx2.schedule(c, 1).batches, c
    assert ctx1.schedule("vanilla", 0).batches != ctx1.schedule("vanilla", 1).batches   # the seed matters


def test_same_seed_same_first_training_steps(tmp_path):
    pool = scale_pool("tiny")
    sched = SignalContext(pool, "tiny", progress=False).schedule("saerl", 0)
    cfg = stage_config(TrainConfig, "train", "tiny", max_steps=2, eval_every=100)
    logs = []
    for run in ("a", "b"):
        s = run_grpo(pool, sched, ModelConfig(name="tiny"), cfg, tmp_path/run, progress=False)
        recs = [json.loads(l) for l in (tmp_path/run/"metrics.jsonl").read_text().splitlines()]
        logs.append(([(r["step"], r["train/loss"], r["train/reward"], r["train/grad_norm"]) for r in recs if "train/loss" in r], s["param_change"]))
    assert logs[0] == logs[1] and len(logs[0][0]) == 2
