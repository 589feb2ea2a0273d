"SAE and feature stages through the CLI: tiny runs, mismatches caught with one-line errors."
import json
from pathlib import Path

import numpy as np

from conftest import run_cli
from saerl.data import Pool, scale_pool
from saerl.features import FeatureMatrix


def test_features_cli_on_own_pool(tmp_path):
    pool = scale_pool("tiny")
    mine = Pool(pool.rows[:12]); mine.save(tmp_path/"mine.jsonl")
    p = run_cli("features", "--scale", "tiny", "--pool", tmp_path/"mine.jsonl", "--out", tmp_path/"f.npz", "--quiet")
    assert p.returncode == 0, p.stderr
    fm = FeatureMatrix.load(tmp_path/"f.npz")
    assert fm.ids == mine.ids and fm.X("mean").shape[0] == 12 and fm.residual.shape == (12, 64)
    assert np.isfinite(fm.residual).all() and fm.X("max").nnz > 0
    rec = json.loads((tmp_path/"f.json").read_text())   # the record a committed reproduction checks before reading it
    assert rec["n"] == 12 and rec["pool"] == mine.text_fingerprint and rec["model"]["name"] == "tiny" and rec["sae"] == fm.meta["sae"]
    assert str(tmp_path/"f.json") in p.stdout


def test_mismatched_sae_is_one_line_error(tmp_path):
    # train a tiny SAE on a 32-wide model, then hand it to the 64-wide tiny policy
    cfg = tmp_path/"narrow.yaml"; cfg.write_text("model:\n  tiny_d_model: 32\n")
    p = run_cli("sae", "--scale", "tiny", "--config", cfg, "--quiet")
    assert p.returncode == 0, p.stderr[-1500:]
    narrow = Path(p.stdout.split(") at ", 1)[1].splitlines()[0])
    assert json.loads((narrow/"cfg.json").read_text())["d_in"] == 32
    use = tmp_path/"use.yaml"; use.write_text(f"sae:\n  path: {narrow}\n")
    p = run_cli("features", "--scale", "tiny", "--config", use, "--quiet")
    assert p.returncode == 2 and p.stderr.count("saerl: error:") == 1, p.stderr
    assert "has d_in=32 but the model's hidden size is 64" in p.stderr


def test_missing_sae_path(tmp_path):
    use = tmp_path/"use.yaml"; use.write_text(f"sae:\n  path: {tmp_path/'none'}\n")
    p = run_cli("features", "--scale", "tiny", "--config", use, "--quiet")
    assert p.returncode == 2 and "no sae-lens SAE at" in p.stderr
