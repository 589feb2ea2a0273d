"The prepared GPU check (`bench/device_check.py`), dry-run on this CPU at toy sizes from a carried folder like `bench/device_pack.sh`'s."
import json, subprocess, sys

from conftest import ROOT, run_cli


def test_the_gpu_check_dry_runs_on_cpu(tmp_path):
    carried, out = tmp_path/"carried", tmp_path/"out"
    check = [sys.executable, "bench/device_check.py", "--out", str(out), "--carried", str(carried), "--dry"]
    p = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 1 and "pool.jsonl missing: run `bash bench/device_pack.sh` first" in p.stderr, p.stderr   # nothing carried: says so
    assert run_cli("pool", "--scale", "tiny", "--out", carried/"pool.jsonl").returncode == 0
    p = run_cli("sae", "--scale", "tiny", "--pool", carried/"pool.jsonl", "--save", carried/"sae", "--quiet")
    assert p.returncode == 0, p.stderr[-2000:]
    p = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    r = json.loads((out/"device_check.json").read_text())
    assert p.returncode == 0, (p.stdout[-2000:], {k: v.get("error") for k, v in r["parts"].items()})
    parts = r["parts"]
    assert list(parts) == ["env", "matmul", "train", "features", "grpo"] and all(v["ok"] for v in parts.values())
    assert parts["env"]["trl"] and parts["env"]["machine"]["device"] == "cpu"      # this machine: no GPU, and it says so
    assert parts["matmul"]["n"] == 256 and parts["matmul"]["bf16_tflops"] > 0
    assert parts["train"]["device"] == "cpu" and parts["train"]["steps"] == 1 and parts["train"]["n_eval"] == 8
    f = parts["features"]
    assert f["d_sae"] == 256 and f["layers"] == 2 and f["prompts"] == 48 and 0 < f["share"] < 1 and f["bound_on"].endswith("CPU cores")
    assert f["prompt_tokens"] > f["prompts"] and f["extraction_seconds"] > 0
    g = parts["grpo"]
    assert g["completions"] == 8 and g["seconds_per_step"] > 0 and g["peak_rss_gib"] > 0
    assert {"model_shapes_features.md", "model_shapes_grpo.md"} <= {f.name for f in out.iterdir()}
