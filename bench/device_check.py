"""The GPU check (issue 30): saerl's CUDA paths on one GPU in a few minutes, every figure into one JSON file.

Parts, each in a child process of its own, with a time limit, so that one that breaks leaves the others' results:

- `env`: Python, torch, CUDA, the libraries' versions and the GPU;
- `matmul`: the bf16 matmul rate (n³, the best of ten after three warm-ups): the bound the rest is read against;
- `train`: `saerl train --scale tiny --condition saerl` for a few steps (trainer, rollouts, evaluation, the SAE signal)
  from the carried pool and SAE, and where its policy ran;
- `features`: `bench/model_shapes.py --part features` in bf16 (Qwen2.5-Math-1.5B's architecture, random weights);
- `grpo`: `bench/model_shapes.py --part grpo` (Qwen2.5-0.5B's architecture, one GRPO step).

On the GPU machine, from the repository root, after `bash bench/device_pack.sh` here (the wheels, models and inputs it
needs, in the git-ignored `.devcheck/`, which `run` must carry):

    bash bench/device_check.sh "$OUT"

`--dry` runs the same parts on this CPU at toy sizes (a 2-layer architecture file for both shapes, n = 256, one step):
what `make test` checks. The GPU machine has its own torch and transformers (older than the pins): its figures are
reported apart from every CPU table.
"""
import argparse, json, platform, subprocess, sys, tempfile, time
from pathlib import Path

from report import saerl_cmd

ROOT = Path(__file__).resolve().parent.parent
TOY_SHAPE = dict(model_type="qwen2", hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, vocab_size=49152, max_position_embeddings=512, tie_word_embeddings=True)


def run(cmd: list, timeout: float) -> subprocess.CompletedProcess:
    "Run `cmd` from the repository root; a failure raises with the end of its stderr."
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if p.returncode: raise RuntimeError(" | ".join(p.stderr.strip().splitlines()[-3:]) or f"exit {p.returncode}")
    return p


def child(code: str, timeout: float) -> dict:
    "Run Python `code` (with bench/ importable) in a child process; it prints one JSON object as its last line."
    t = time.time()
    p = run([sys.executable, "-c", f"import sys; sys.path.insert(0, 'bench')\n{code}"], timeout)
    return json.loads(p.stdout.strip().splitlines()[-1]) | dict(wall_seconds=round(time.time() - t, 1))


ENV = """
import json, torch
from saerl.grpo import environment   # what a run records: versions, the machine (its device: the GPU's name)
gpu = torch.cuda.is_available()
print(json.dumps(environment() | dict(cuda=torch.version.cuda, gpu_memory_gib=round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1) if gpu else None)))
"""

MATMUL = """
import json, torch
from flops import matmul_gflops
dev = "cuda" if torch.cuda.is_available() else "cpu"
print(json.dumps(dict(n={n}, device=dev, bf16_tflops=round(matmul_gflops({n}, reps=10, dtype=torch.bfloat16, device=dev) / 1e3, 2))))
"""


def train(args, tmp: Path) -> dict:
    "A few saerl steps at `tiny` from the carried pool and SAE: the run's summary, and the device its machine record names."
    import yaml
    cfg = tmp/"check.yaml"
    cfg.write_text(yaml.safe_dump({"sae": {"path": str(args.carried/"sae")}, "train": {"max_steps": 1 if args.dry else 4},
                                   "run": {"tensorboard": False, "eval_limit": 8}}))
    t = time.time()
    p = run([*saerl_cmd(), "train", "--scale", "tiny", "--condition", "saerl", "--seed", "0", "--pool", str(args.carried/"pool.jsonl"),
             "--config", str(cfg), "--out", str(tmp/"runs"), "--quiet"], args.part_timeout)
    s = json.loads(next((tmp/"runs").rglob("summary.json")).read_text())
    c = json.loads(next((tmp/"runs").rglob("config.json")).read_text())
    return dict(wall_seconds=round(time.time() - t, 1), device=c["environment"]["machine"]["device"], steps=s["steps"],
                seconds_per_step=s["seconds_per_step"], eval_seconds=s["eval_seconds"], n_eval=s["n_eval"],
                accuracy_start=s["accuracy_start"], accuracy_final=s["accuracy_final"], peak_rss_gib=s["peak_rss_gib"],
                said=p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "")


def shapes(part: str, args, tmp: Path) -> dict:
    "`bench/model_shapes.py --part {part}` on the carried pool: its JSON (and its Markdown beside the check's JSON)."
    cmd = [sys.executable, str(ROOT/"bench"/"model_shapes.py"), "--part", part, "--pool", str(args.carried/"pool.jsonl"),
           "--json", str(tmp/f"{part}.json"), "--out", str(args.out/f"model_shapes_{part}.md")]
    if part == "features": cmd += ["--dtype", "bfloat16"]
    if args.dry:
        spec = args.carried/"toy_shape.json"                  # device_pack.sh wrote it (and its model folder, with the tokenizer)
        if not spec.exists(): spec.write_text(json.dumps(TOY_SHAPE))
        cmd += ["--shape", str(spec)] + (["--d-sae", "256", "--k", "8"] if part == "features" else [])
    run(cmd, args.part_timeout)
    return json.loads((tmp/f"{part}.json").read_text())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder for device_check.json (and the shape benches' Markdown)")
    ap.add_argument("--carried", type=Path, default=ROOT/".devcheck", help="what bench/device_pack.sh prepared: pool.jsonl, sae/")
    ap.add_argument("--parts", default="env,matmul,train,features,grpo")
    ap.add_argument("--dry", action="store_true", help="toy sizes, on whatever device there is (the CPU test)")
    ap.add_argument("--part-timeout", type=float, default=150, help="seconds each part may take")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for f in ("pool.jsonl", "sae/cfg.json"):
        if not (args.carried/f).exists(): sys.exit(f"device_check: {args.carried/f} missing: run `bash bench/device_pack.sh` first")
    res, t_all = dict(dry=args.dry, started=time.strftime("%Y-%m-%dT%H:%M:%S"), host=platform.node(), parts={}), time.time()
    out = args.out/"device_check.json"
    with tempfile.TemporaryDirectory() as tmp:
        for part in args.parts.split(","):
            t = time.time()
            print(f"[device_check] {part} ...", flush=True)
            try:
                r = (child(ENV, args.part_timeout) if part == "env" else
                     child(MATMUL.replace("{n}", str(256 if args.dry else 8192)), args.part_timeout) if part == "matmul" else
                     train(args, Path(tmp)) if part == "train" else shapes(part, args, Path(tmp)))
                r = dict(ok=True, **r)
            except Exception as e:   # recorded, and the next part runs
                r = dict(ok=False, error=f"{type(e).__name__}: {e}", wall_seconds=round(time.time() - t, 1))
            res["parts"][part] = r
            res["seconds"] = round(time.time() - t_all, 1)
            out.write_text(json.dumps(res, indent=1) + "\n")   # after every part: a check cut off by its time limit keeps what it did
            print(f"[device_check] {part}: {'ok' if r['ok'] else r['error']} ({r['wall_seconds']} s)", flush=True)
    bad = [p for p, r in res["parts"].items() if not r["ok"]]
    print(f"[device_check] {len(res['parts']) - len(bad)} of {len(res['parts'])} parts ok in {res['seconds']} s -> {out}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
