"Several processes under torchrun (DDP over gloo on this CPU): one run trained on the schedule, one features cache equal to a single process's."
import json, os, subprocess

import numpy as np

from conftest import SAERL, ROOT, run_cli
from saerl.data import scale_pool
from saerl.features import FeatureMatrix
from saerl.workspace import Workspace

TORCHRUN = [str(SAERL.parent/"torchrun"), "--nproc_per_node", "2", str(SAERL)]
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def test_two_processes_train_one_run_on_the_schedule(tmp_path):
    "torchrun with 2 processes (DDP over gloo): one run, written once, and at every step the prompts of both ranks together are schedule batch t."
    cfg = tmp_path/"short.yaml"; cfg.write_text("train:\n  max_steps: 4\nrun:\n  eval_every: 2\n  save_every: 2\n")
    p = subprocess.run([*TORCHRUN, "train", "--scale", "tiny", "--condition", "saerl", "--config", str(cfg), "--quiet", "--out", str(tmp_path/"ddp")],
                       cwd=ROOT, capture_output=True, text=True, env=ENV)
    assert p.returncode == 0, p.stderr[-3000:]
    assert p.stdout.count("[1/1] saerl seed 0") == 1, p.stdout                          # rank 0 reports
    run = tmp_path/"ddp"/"tiny"/"runs"/"saerl__s0"
    summary, config = json.loads((run/"summary.json").read_text()), json.loads((run/"config.json").read_text())
    assert summary["processes"] == 2 and summary["steps"] == 4 and not (run/"checkpoints").exists()
    assert config["train"]["per_device_train_batch_size"] == 4 and config["train"]["generation_batch_size"] == 8   # 4 prompts x 2 completions over 2 ranks
    recs = [json.loads(l) for l in (run/"metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in recs if "train/reward" in r] == [1, 2, 3, 4] and [r["step"] for r in recs if "eval/accuracy" in r] == [0, 2, 4]
    batches = Workspace(scale_pool("tiny"), "tiny", progress=False).schedule("saerl", 0).batches[:4]   # (cached by the run)
    assert [r["train/prompt_ids"] for r in recs if "train/reward" in r] == batches    # schedule batch t at step t, across both ranks


def test_features_sharded_over_two_processes_equal_one_process(tmp_path):
    cfg = tmp_path/"shards.yaml"; cfg.write_text("features:\n  shard_size: 8\n")       # 48 prompts: 6 shards, 3 per rank
    one = run_cli("features", "--scale", "tiny", "--config", cfg, "--quiet", "--out", tmp_path/"one.npz")
    assert one.returncode == 0, one.stderr[-2000:]
    p = subprocess.run([*TORCHRUN, "features", "--scale", "tiny", "--config", str(cfg), "--force", "--quiet", "--out", str(tmp_path/"two.npz")],
                       cwd=ROOT, capture_output=True, text=True, env=ENV)
    assert p.returncode == 0 and p.stdout.count("FeatureMatrix(48 prompts") == 1, p.stdout + p.stderr[-2000:]   # rank 0 reports
    a, b = FeatureMatrix.load(tmp_path/"one.npz"), FeatureMatrix.load(tmp_path/"two.npz")
    assert a.ids == b.ids
    for pooling in ("mean", "max"): assert abs(a.X(pooling) - b.X(pooling)).max() < 1e-6 and a.X(pooling).nnz == b.X(pooling).nnz
    assert np.abs(a.residual - b.residual).max() < 1e-6
