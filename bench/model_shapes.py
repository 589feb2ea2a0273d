"""Real model shapes without their weights (`model: {name: shape:<configs/shapes/ name>}`): saerl's own commands at the
size of the paper's models, to catch dtype, attention and memory mistakes before a cluster does.

- `--part features`: `saerl features` on the tiny pool (48 prompts) with the Qwen2.5-Math-1.5B architecture and a random
  sae-lens TopK SAE of paper width (d_sae 16,384, k 64) at its middle layer: wall time, peak memory, prompt tokens per
  second, and the FLOP rate against this machine's matmul bound (`flops.peaks`).
- `--part grpo`: one `saerl train` step (TRL's GRPOTrainer through saerl's) with the Qwen2.5-0.5B architecture, 4 prompts
  × 2 completions of at most 16 tokens, a 4-prompt evaluation: wall time, the step's time and the process's peak
  memory (its target: within 24 GiB). Run it on a machine no training run shares: it holds ~10 GiB.

    python bench/model_shapes.py --part features --out results/mini/bench/model_shapes_features.md
    python bench/model_shapes.py --part grpo --out results/mini/bench/model_shapes_grpo.md

On a GPU (`bench/device_check.py`), the bound is the GPU's matmul rate, measured in the same process before the part.
`--shape` takes another architecture (a name in configs/shapes/ or a config.json path), `--pool` another pool, `--json`
writes the figures as JSON.
"""
import argparse, json, os, re, subprocess, sys, tempfile, time
from pathlib import Path

import torch
import yaml
from sae_lens import TopKSAE, TopKSAEConfig
from sae_lens.saes.sae import SAEMetadata

from flops import matmul_gflops, peaks
from report import saerl_cmd, write_report
from saerl.core import read_json, repo_root
from saerl.data import pool_for
from saerl.model import ModelConfig, chat_text, load_policy, shape_spec


def measured(cmd: list) -> tuple[float, float, str]:
    "Run `cmd` in a child process: its wall seconds, its peak resident memory in GiB, and its stdout (an error stops the bench)."
    wrap = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
            "print('PEAK_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)")
    t = time.time()
    p = subprocess.run([sys.executable, "-c", wrap, *map(str, cmd)], capture_output=True, text=True, cwd=repo_root())
    if p.returncode: sys.exit(f"{' '.join(map(str, cmd))} failed:\n{p.stderr[-3000:]}")
    kib = int(next(l for l in p.stderr.splitlines() if l.startswith("PEAK_KIB")).split()[1])
    return time.time() - t, kib / 2**20, p.stdout


def n_params(shape: str) -> tuple[int, int]:
    "Parameters of the architecture in all, and outside the embedding (counted on the meta device)."
    from transformers import AutoConfig, AutoModelForCausalLM
    arch = {k: v for k, v in read_json(shape_spec(shape)).items() if not k.startswith("_")}
    with torch.device("meta"): m = AutoModelForCausalLM.from_config(AutoConfig.for_model(**arch))
    total = sum(p.numel() for p in m.parameters())
    return total, total - m.get_input_embeddings().weight.numel()


def bound(dtype: str) -> tuple[float, str]:
    "The matmul rate (GFLOP/s) the part is read against, and where: this machine's GPU when there is one, else its CPU cores."
    if torch.cuda.is_available():
        dt = torch.bfloat16 if dtype == "bfloat16" else torch.float32
        return max(matmul_gflops(n, dtype=dt, device="cuda") for n in (4096, 8192)), torch.cuda.get_device_name(0)
    return peaks()["bf16" if dtype == "bfloat16" else "fp32"], f"{os.cpu_count()} CPU cores"


def pool_args(args) -> list:
    return ["--pool", args.pool] if args.pool else []


def features(args, tmp: Path) -> list:
    shape = args.shape or "qwen2.5-math-1.5b"
    layers = read_json(shape_spec(shape))["num_hidden_layers"]
    d_model, layer = read_json(shape_spec(shape))["hidden_size"], layers // 2
    torch.manual_seed(0)
    TopKSAE(TopKSAEConfig(d_in=d_model, d_sae=args.d_sae, k=args.k, dtype="float32", device="cpu",
                          metadata=SAEMetadata(hook_name=f"blocks.{layer}.hook_resid_post", model_name=f"shape:{shape}"))).save_model(str(tmp/"sae"))
    cfg = tmp/"shape.yaml"
    cfg.write_text(yaml.safe_dump({"model": {"name": f"shape:{shape}", "dtype": args.dtype}, "sae": {"path": str(tmp/"sae"), "layer": layer}}))
    secs, peak, out = measured([*saerl_cmd(), "features", "--scale", "tiny", "--config", cfg, *pool_args(args), "--force", "--quiet"])
    _, tok = load_policy(ModelConfig(name="tiny"))
    pool = pool_for("tiny", None, args.pool)
    tokens = sum(len(tok(chat_text(tok, r["prompt"]), add_special_tokens=False).input_ids) for r in pool)
    total, body = n_params(shape)
    flop = 2 * body * (layer + 1) / layers * tokens            # the forward's matmuls up to the hook (no layer above it runs; tied head unused)
    rate, where = bound(args.dtype)
    said = out.strip().splitlines()[-1]
    ext = float(re.search(r" in ([\d.]+)s, cached", said).group(1))  # the extraction alone, as `saerl features` timed it
    args.figures = dict(shape=shape, params=total, layers=layers, d_model=d_model, layer=layer, dtype=args.dtype, d_sae=args.d_sae, k=args.k,
                        prompts=len(pool), prompt_tokens=tokens, wall_seconds=round(secs, 1), extraction_seconds=ext, peak_rss_gib=round(peak, 2),
                        tokens_per_second=round(tokens / ext), gflops=round(flop / ext / 1e9, 1), bound_gflops=round(rate), bound_on=where,
                        share=round(flop / ext / 1e9 / rate, 4), said=said)
    return [f"Qwen2.5-Math-1.5B's architecture ({total / 1e9:.2f} B parameters, {layers} layers, d_model {d_model}), random weights in "
            f"{args.dtype}; a random TopK SAE (d_sae {args.d_sae}, k {args.k}) at layer {layer}; the tiny pool's {len(pool)} prompts "
            f"({tokens} prompt tokens):", "",
            f"| wall (s, start-up included) | extraction (s) | peak RSS (GiB) | prompt tokens/s | GFLOP/s (2 × params of layers 0..hook × tokens) | matmul bound (GFLOP/s, {where}) | share |",
            "|---|---|---|---|---|---|---|",
            f"| {secs:.1f} | {ext:.1f} | {peak:.2f} | {tokens / ext:.0f} | {flop / ext / 1e9:.1f} | {rate:.0f} | {flop / ext / 1e9 / rate:.0%} |", "",
            f"`saerl features` said: {said}", "",
            "The extraction's own time (as `saerl features` printed it) excludes the process's start, drawing 1.5 B random weights and "
            "loading the SAE. The FLOP count leaves out attention and the SAE (small at these lengths). A random SAE's density "
            "(latents active per prompt) says nothing about a trained one's."]


def grpo(args, tmp: Path) -> list:
    shape = args.shape or "qwen2.5-0.5b"
    cfg = tmp/"shape.yaml"
    cfg.write_text(yaml.safe_dump({"model": {"name": f"shape:{shape}"},
                                   "train": {"max_steps": 1, "max_completion_length": 16},
                                   "run": {"eval_limit": 4, "eval_max_new_tokens": 16, "tensorboard": False}}))
    secs, peak, out = measured([*saerl_cmd(), "train", "--scale", "tiny", "--condition", "vanilla", "--config", cfg, *pool_args(args),
                                "--out", tmp/"runs", "--quiet"])
    s = read_json(next((tmp/"runs").rglob("summary.json")))
    c = read_json(next((tmp/"runs").rglob("config.json")))
    total, _ = n_params(shape)
    args.figures = dict(shape=shape, params=total, device=c["environment"]["machine"]["device"], completions=c["train"]["per_device_train_batch_size"],
                        max_completion_length=c["train"]["max_completion_length"], wall_seconds=round(secs, 1), seconds_per_step=s["seconds_per_step"],
                        eval_seconds=s["eval_seconds"], n_eval=s["n_eval"], peak_rss_gib_child=round(peak, 2), peak_rss_gib=s["peak_rss_gib"],
                        said=out.strip().splitlines()[-1])
    return [f"Qwen2.5-0.5B's architecture ({total / 1e9:.2f} B parameters), random weights (float32 master, the trainer's bf16 autocast), "
            f"one GRPO step of {c['train']['per_device_train_batch_size']} completions (at most {c['train']['max_completion_length']} tokens) "
            f"and evaluations of {s['n_eval']} prompts at steps 0 and 1:", "",
            "| wall (s, start-up included) | step (s) | evaluation (s) | peak RSS (GiB, child) | peak RSS (GiB, the run's own) |",
            "|---|---|---|---|---|",
            f"| {secs:.1f} | {s['seconds_per_step']} | {s['eval_seconds']} | {peak:.2f} | {s['peak_rss_gib']} |", "",
            f"`saerl train` said: {out.strip().splitlines()[-1]}"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["features", "grpo"], required=True)
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"], help="weights of the features part")
    ap.add_argument("--d-sae", type=int, default=16384)
    ap.add_argument("--k", type=int, default=64)
    ap.add_argument("--shape", help="architecture: a name in configs/shapes/ or a config.json path (default: the part's paper model)")
    ap.add_argument("--pool", help="pool JSONL (default: the tiny scale's own)")
    ap.add_argument("--out", help="Markdown report")
    ap.add_argument("--json", help="the figures as JSON")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        lines = (features if args.part == "features" else grpo)(args, Path(tmp))
    lines += ["", f"The 1-minute load average when the bench started: {load:.1f} on {os.cpu_count()} cores (it decays slowly: work that "
                  "ended a minute before still counts; only work still running slows the figures above)."]
    write_report(f"Real model shapes: {args.part}", lines, args.out)
    if args.json: Path(args.json).write_text(json.dumps(args.figures | dict(load_average=round(load, 2)), indent=1) + "\n")


if __name__ == "__main__":
    main()
