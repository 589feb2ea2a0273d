"`saerl export`: a schedule as an ordered dataset, and the README's TRL example (examples/trl_schedule.py) training on it in order."
import subprocess, sys

from datasets import load_dataset

from conftest import ROOT, run_cli
from saerl.data import scale_pool
from saerl.model import ModelConfig, load_policy
from saerl.workspace import Workspace


def test_export_then_trl_trains_the_schedule_in_order(tmp_path):
    out = tmp_path/"saerl.parquet"
    p = run_cli("export", "--scale", "tiny", "--condition", "saerl", "--quiet", "--out", out)
    assert p.returncode == 0 and "in training order" in p.stdout, p.stderr[-2000:]
    sched = Workspace(scale_pool("tiny"), "tiny", progress=False).schedule("saerl")
    back = load_dataset("parquet", data_files=str(out), split="train")
    assert back["id"] == sched.ids and back["batch"] == [b for b, ids in enumerate(sched.batches) for _ in ids]
    model, tok = load_policy(ModelConfig(name="tiny"))                  # a user's model directory
    model.save_pretrained(tmp_path/"model"); tok.save_pretrained(tmp_path/"model")
    p = subprocess.run([sys.executable, "examples/trl_schedule.py", str(out), str(tmp_path/"model"), "--steps", "3"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "TRL trained the schedule's batches 0..2 in order, 4 prompts x 2 completions per step" in p.stdout, p.stdout
