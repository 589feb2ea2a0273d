"The signals stage end to end on the tiny scale, and its bad-input errors."
import pandas as pd
import pytest

from conftest import build_once, run_cli
from saerl.core import SaerlError
from saerl.data import scale_pool
from saerl.schedule import Schedule

pytestmark = pytest.mark.xdist_group("test_signals")   # its shared fixture: built once, on one worker


@pytest.fixture(scope="session")   # (not "module": under --dist loadgroup other files' tests may run between this file's)
def tiny_signals(tmp_path_factory):
    build_once(tmp_path_factory, "tiny_signals")
    out = tmp_path_factory.mktemp("signals")
    p = run_cli("signals", "--scale", "tiny", "--source", "all", "--quiet", "--out", out)
    assert p.returncode == 0, p.stderr[-2000:]
    return out


def test_validity_table_separates_oracle_from_random(tiny_signals):
    v = pd.read_csv(tiny_signals/"validity.csv").query("subset == 'all'").set_index(["source", "metric"]).value
    assert v["oracle", "NMI"] == pytest.approx(1.0) and v["random", "NMI"] < 0.3
    assert v["oracle", "AUROC"] == pytest.approx(1.0)
    per_type = pd.read_csv(tiny_signals/"validity.csv").query("source == 'sae' and metric == 'AUROC' and subset != 'all'")
    assert len(per_type) >= 3                       # one AUROC per noise type present in the train split


def test_schedules_cover_the_training_prompts_once(tiny_signals):
    pool = scale_pool("tiny")
    cands = {r["id"] for r in pool if r["split"] in ("train", "label")}
    for src in ("sae", "random", "oracle", "embedding"):
        s = Schedule.load(tiny_signals/f"schedule_{src}.json")
        ids = s.ids + s.removed + s.leftover
        assert sorted(ids) == sorted(cands), src
        assert len({len(b) for b in s.batches}) == 1
        assert s.config["schedule"]["filter_source"] == src


def one_line_error(p, needle):
    assert p.returncode == 2 and p.stderr.count("saerl: error:") == 1, p.stderr[-1500:]
    assert needle in p.stderr, p.stderr[-1500:]


def test_label_split_too_small(tmp_path):
    cfg = tmp_path/"c.yaml"; cfg.write_text("difficulty:\n  min_label: 1000\n")
    one_line_error(run_cli("signals", "--scale", "tiny", "--source", "metadata", "--config", cfg, "--quiet", "--out", tmp_path),
                   "difficulty probe: the label split has 16 prompts with measured pass rates, at least 1000 are needed")


def test_pool_without_noise_labels_gets_synthetic_noise(tmp_path, tiny_signals):
    "An all-clean pool (real data has no noise labels) goes through the signals stage with the quality filter on."
    cfg = tmp_path/"c.yaml"; cfg.write_text("pool:\n  noise_rate: 0.0\n")
    p = run_cli("signals", "--scale", "tiny", "--source", "sae,embedding", "--config", cfg, "--quiet", "--out", tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stderr.count("synthetic corruptions of its clean prompts") == 1, p.stderr[-2000:]   # said once
    for src in ("sae", "embedding"):
        s = Schedule.load(tmp_path/f"schedule_{src}.json")
        assert s.config["quality_labels"] == "synthetic" and len(s.removed) == round(0.1 * len(s.info)), (src, len(s.removed))
    assert "quality_labels" not in Schedule.load(tiny_signals/"schedule_sae.json").config   # a pool with noise labels learns from them


def test_more_clusters_than_prompts(tmp_path):
    cfg = tmp_path/"c.yaml"; cfg.write_text("diversity:\n  n_clusters: 500\n")
    one_line_error(run_cli("signals", "--scale", "tiny", "--source", "metadata", "--config", cfg, "--quiet", "--out", tmp_path),
                   "cannot make 500 clusters")


def test_features_of_another_pool_are_rejected():
    from saerl.features import FeatureMatrix
    from saerl.signals import build_signal
    import numpy as np, scipy.sparse as sp
    pool = scale_pool("tiny")
    fm = FeatureMatrix(pool.ids[:-1], {"mean": sp.csr_matrix(np.ones((len(pool) - 1, 4)))}, np.ones((len(pool) - 1, 2)), {})
    with pytest.raises(SaerlError, match=r"features \(\d+ prompts\) do not match the pool \(\d+ prompts\): 1 pool ids missing"):
        build_signal("sae", pool, fm)
