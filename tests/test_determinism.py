"The same seed gives the same pool, SAE, features, clusters, schedule and (on CPU) the same first training steps."
import json

import numpy as np
import torch

from saerl.config import load_config
from saerl.data import PoolConfig, build_pool, scale_pool
from saerl.diversity import DiversityConfig, cluster_prompts
from saerl.features import FeaturesConfig, extract_features
from saerl.grpo import RunConfig, run_grpo, train_values
from saerl.model import ModelConfig, load_policy
from saerl.sae import SAEConfig, get_sae
from saerl.workspace import Workspace


def test_pool_sae_features_clusters_schedule_are_deterministic():
    cfg = load_config(PoolConfig, "tiny")
    assert build_pool(cfg).rows == build_pool(cfg).rows
    pool, mcfg, scfg = scale_pool("tiny"), ModelConfig(name="tiny"), load_config(SAEConfig, "tiny")
    model, tok = load_policy(mcfg)
    a, _ = get_sae(mcfg, scfg, pool, model=model, progress=False)
    b, _ = get_sae(mcfg, scfg, pool, model=model, force=True, progress=False)     # trained again from scratch
    for (n, x), y in zip(a.state_dict().items(), b.state_dict().values()): assert torch.equal(x, y), n
    fcfg = load_config(FeaturesConfig, "tiny")
    f1 = extract_features(pool, model, tok, b, fcfg, force=True, progress=False)
    f2 = extract_features(pool, model, tok, b, fcfg, force=True, progress=False)
    assert (f1.X("mean") != f2.X("mean")).nnz == 0 and np.array_equal(f1.residual, f2.residual)
    ctx1, ctx2 = Workspace(pool, "tiny", progress=False), Workspace(pool, "tiny", progress=False)
    k = load_config(DiversityConfig, "tiny")
    assert np.array_equal(cluster_prompts(ctx1.signal("sae"), k.n_clusters, 0), cluster_prompts(ctx2.signal("sae"), k.n_clusters, 0))
    for c in ("saerl", "vanilla", "saerl@random"):
        assert ctx1.schedule(c, 1).batches == ctx2.schedule(c, 1).batches, c
    assert ctx1.schedule("vanilla", 0).batches != ctx1.schedule("vanilla", 1).batches   # the seed matters


def test_same_seed_same_first_training_steps(tmp_path):
    pool = scale_pool("tiny")
    sched = Workspace(pool, "tiny", progress=False).schedule("saerl", 0)
    train, run_cfg = train_values("tiny", max_steps=2), load_config(RunConfig, "tiny", eval_every=100)
    logs = []
    for run in ("a", "b"):
        s = run_grpo(pool, sched, ModelConfig(name="tiny"), train, run_cfg, tmp_path/run, progress=False)
        recs = [json.loads(l) for l in (tmp_path/run/"metrics.jsonl").read_text().splitlines()]
        logs.append(([(r["step"], r["train/loss"], r["train/reward"], r["train/grad_norm"]) for r in recs if "train/loss" in r], s["param_change"]))
    assert logs[0] == logs[1] and len(logs[0][0]) == 2
