"""GRPO step time: TRL's GRPOTrainer with its defaults vs saerl's configuration, vs the FLOP bound, in one run.

    python bench/grpo_step.py --scale mini              # prints the side-by-side table
    python bench/grpo_step.py --scale mini --out results/mini/bench/bench_grpo_step.json

A benchmark, not a test. Every setup trains the same policy on the same prompts (the first batches of the
scale's `vanilla` schedule) with the same group size, completion budget, temperature, learning rate and
loss, each in its own process (so peak RSS is its own), `--warmup` steps then `--steps` timed steps:

- `trl`: TRL's `GRPOTrainer` + `GRPOConfig` defaults on the model as transformers loads it (fp32,
  `torch.multinomial` sampling, TRL's fused LM head scoring every position).
- `+lm-head fix`: the same trainer on the model as `saerl.model.load_policy` returns it (the LM head gets a
  contiguous input, avoiding torch's batched weight copy).
- `+saerl trainer`: `SaerlGRPOTrainer` in fp32: inverse-CDF sampler on a synced fp32 rollout copy, log-probs
  of completion positions only.
- `+shared prefill`: one prefill per GRPO group.
- `+bf16`: bfloat16 rollout copy and bfloat16 autocast for the loss (the three setups below keep the bf16 copy:
  they record how the step got fast before run version 3 made the float32 copy the default).
- `+compiled layers`: `torch.compile` of each decoder layer for the loss passes (regional compilation; the
  first step compiles, so `--warmup` must be ≥ 1).
- `+eager attention`: the loss passes use transformers' eager attention instead of SDPA (whose CPU
  flash-attention backward is slow at these shapes); the rollout copy keeps SDPA.
- `fast paths off`: saerl's configuration (since run version 3: rollouts and evaluation from the float32 policy itself)
  with the three paths below and `prefix_prefill` off, as it ran before they became its defaults; each of the next four
  turns some on:
- `+prepacked rollout`: `prepack_rollout`: the rollout copy's linear weights laid out for oneDNN once per sync
  (`saerl.rollout.PackedLinear`) instead of at every decoded token.
- `+rollout rounds`: `rollout_round_tokens: 8`: rollouts decoded 8 tokens at a time, the finished completions dropped
  between rounds (`saerl.rollout.generate_in_rounds`); the same distribution, other random draws.
- `+shared prompt loss`: `shared_prompt_loss`: the loss passes run each group's prompt once, then its completions' real
  tokens (`saerl.trainer.group_packed`); the same log-probs.
- `+prepacked +rounds`: the two rollout paths.
- `saerl`: all three, saerl's defaults, and gradient checkpointing as the scale's preset sets it (`mini`: off) — set by
  the setup, so a `--config` that pins them otherwise (configs/overrides/confirm.yaml does) does not change it.
- `saerl with checkpointing` / `saerl without checkpointing`: `saerl` with TRL's default gradient checkpointing (each
  layer recomputed in the backward pass) on / off. Off: steps 1.08× faster at `mini` once the loss shares prompts, a higher
  peak (`results/mini/bench/bench_grpo_step_update.md`); `configs/mini.yaml` turns it off.
- `saerl without common prefix`: `saerl` with `prefix_prefill: false`: every prompt's chat-template head prefilled again,
  as before `shared_prefill` computed it once per batch (the committed `bench_grpo_step_prefix` ran at 0651a41, before
  the setting existed, with `saerl.rollout.prefix_first` patched to find no prefix: the same computation).
- `+fused adamw`: `saerl` with `optim="adamw_torch_fused"`: transformers 5's default already (every run's `config.json`
  records it), so the same as `saerl` — a check of the bench's noise.
- `+fp32 rollouts`: `saerl` with a float32 rollout copy (`rollout_dtype: float32`): since run version 3 this is `saerl`
  (the policy is float32).
- `bf16 rollout copy`: `saerl` with the bfloat16 rollout copy used before run version 3 (`rollout_dtype: bfloat16`): faster, but it
  samples and evaluates a rounding that lags the trained policy (`nbs/experiment/33_trainer.ipynb`).

The setups named in `EVAL_SETUPS` also time an evaluation of `--eval-n` eval prompts (greedy and sampled, as a run
evaluates) after training, and project a full `mini` run and the scale's matrix from the measured numbers.

The bounds are measured before and after the setups (the best of each is the bound): the bf16 and fp32 matmul rate over
three sizes and the read bandwidth over two (`bench/flops.py`, on the workload's threads). A rollout's roofline is its
prefill FLOPs (each prompt once per group) at the matmul rate plus, per decode step, the larger of its reads (weights
once, the KV cache of each row still generating) at the read bandwidth and its FLOPs at the matmul rate
(`flops.rollout_roofline`); a rollout measured faster than its roofline is a measurement error, and the table says so.
The projections use the `saerl` setup's step and evaluation times: the scale's matrix as configured, and a full-epoch
run (vanilla's schedule, 10 evaluations).
"""
import argparse, json, os, resource, shutil, subprocess, sys, tempfile, time
from pathlib import Path

import torch

from flops import peaks, rollout_roofline
from report import ran_at
from saerl.trainer import SaerlGRPOConfig

_OFF = dict(prepack_rollout=False, rollout_round_tokens=0, shared_prompt_loss=False, prefix_prefill=False)   # the fast paths off: saerl before they were its defaults
_SCALE = "the scale's preset"   # a setup value read from the scale's own preset (configs/<scale>.yaml), whatever --config says
_default = lambda k: SaerlGRPOConfig.__dataclass_fields__[k].default
_FAST = {k: _default(k) for k in _OFF} | {"gradient_checkpointing": _SCALE}   # saerl's defaults (set here so that a --config cannot turn them off)
_PLAIN = dict(_OFF, compile_layers=False, loss_attn_implementation=None)
_FP32 = dict(_PLAIN, rollout_dtype="float32", bf16=False)
_BF16 = dict(rollout_dtype="bfloat16")   # the bf16 rollout copy, the default before run version 3
SETUPS = {"trl": None, "+lm-head fix": None, "+saerl trainer": dict(_FP32, shared_prefill=False),
          "+shared prefill": dict(_FP32, shared_prefill=True), "+bf16": dict(_PLAIN, **_BF16, shared_prefill=True, bf16=True),
          "+compiled layers": dict(_PLAIN, **_BF16, shared_prefill=True, bf16=True, compile_layers=True),
          "+eager attention": dict(_OFF, **_BF16, shared_prefill=True, bf16=True, compile_layers=True, loss_attn_implementation="eager"),
          "fast paths off": _OFF, "+prepacked rollout": dict(_OFF, prepack_rollout=True), "+rollout rounds": dict(_OFF, rollout_round_tokens=8),
          "+shared prompt loss": dict(_OFF, shared_prompt_loss=True), "+prepacked +rounds": dict(_OFF, prepack_rollout=True, rollout_round_tokens=8),
          "saerl": _FAST, "saerl with checkpointing": dict(_FAST, gradient_checkpointing=True), "saerl without checkpointing": dict(_FAST, gradient_checkpointing=False),
          "saerl without common prefix": dict(_FAST, prefix_prefill=False),
          "+fused adamw": dict(_FAST, optim="adamw_torch_fused"), "+fp32 rollouts": dict(_FAST, rollout_dtype="float32"), "bf16 rollout copy": dict(_FAST, **_BF16)}
EVAL_SETUPS = ("saerl", "saerl without common prefix", "fast paths off", "+prepacked rollout", "+rollout rounds", "+prepacked +rounds", "+fp32 rollouts", "bf16 rollout copy")



def child(setup: str, scale: str, steps: int, warmup: int, eval_n: int, config_file=None, pool_file=None) -> dict:
    "Train `warmup + steps` steps under one setup (on `scale` with `config_file` over it and `pool_file`'s prompts when given); return its timings."
    from transformers import TrainerCallback
    from trl import GRPOConfig, GRPOTrainer
    from saerl.data import load_pool, scale_pool
    from saerl.grpo import REWARDS, RunConfig, evaluate_accuracy, schedule_dataset, train_values, trainer_config
    from saerl.model import ModelConfig, load_policy
    from saerl.trainer import SaerlGRPOTrainer, rollout_dtype_name
    from saerl.workspace import Workspace

    pool = load_pool(pool_file) if pool_file else scale_pool(scale, config_file=config_file)
    ws = Workspace(pool, scale, config_file, progress=False)
    run = ws.config(RunConfig, save_every=10**6)
    values = SETUPS[setup] and {k: train_values(scale).get(k, _default(k)) if v is _SCALE else v for k, v in SETUPS[setup].items()}   # None: TRL's defaults
    cfg = trainer_config(train_values(scale, config_file, max_steps=warmup + steps, **(values or {})), run)   # for reading the settings
    sched = ws.schedule("vanilla", 0)
    B = len(sched.batches[0])
    ds = schedule_dataset(pool, sched)
    model, tok = load_policy(ws.config(ModelConfig))
    out = tempfile.mkdtemp()   # the trainer's output dir (a final checkpoint: ~1.6 GiB for SmolLM2), removed in main()
    print(f"OUTDIR {out}", flush=True)
    if values is None:   # TRL's defaults, with only the work itself set to saerl's
        args = GRPOConfig(output_dir=out, max_steps=cfg.max_steps, per_device_train_batch_size=B * cfg.num_generations,
                          num_generations=cfg.num_generations, max_completion_length=cfg.max_completion_length,
                          temperature=cfg.temperature, learning_rate=cfg.learning_rate, loss_type=cfg.loss_type,
                          shuffle_dataset=False, seed=0, report_to=[], use_cpu=True, logging_steps=1, save_strategy="no",
                          disable_tqdm=True)
        base = GRPOTrainer
        if setup == "trl":   # the model as transformers loads it: drop load_policy's LM-head hook (its only one)
            model.get_output_embeddings()._forward_pre_hooks.clear()
    else:
        args = trainer_config(train_values(scale, config_file, max_steps=warmup + steps, **values), run, B, Path(out))   # save_every is out of reach: no checkpoints
        base = SaerlGRPOTrainer

    rec = dict(rollout_s=[], completion_tokens=[], prompt_tokens=[], step_s=[], prompt_lens=[], completion_lens=[])

    class Timed(base):
        def _generate_single_turn(self, prompt_ids, *a, **k):
            t = time.perf_counter()
            ids, lp = super()._generate_single_turn(prompt_ids, *a, **k)
            rec["rollout_s"].append(time.perf_counter() - t)
            rec["completion_tokens"].append(sum(len(c) for c in ids))
            rec["prompt_tokens"].append(sum(len(p) for p in prompt_ids))
            rec["prompt_lens"].append([len(p) for p in prompt_ids]); rec["completion_lens"].append([len(c) for c in ids])
            return ids, lp

    class StepTimer(TrainerCallback):
        def on_step_begin(self, *a, **k): self.t = time.perf_counter()
        def on_step_end(self, *a, **k): rec["step_s"].append(time.perf_counter() - self.t)

    torch.manual_seed(0)
    trainer = Timed(model=model, reward_funcs=[REWARDS[r] for r in run.rewards], args=args, train_dataset=ds,
                    processing_class=tok, callbacks=[StepTimer()])
    trainer.train()
    n_linear = sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Linear))
    res = {k: v[warmup:] for k, v in rec.items()}
    copy_dtype = None if values is None else rollout_dtype_name(args.rollout_dtype)   # TRL generates with the policy
    c, nbytes = model.config, 2 if copy_dtype == "bfloat16" else 4
    head_dim = getattr(c, "head_dim", None) or c.hidden_size // c.num_attention_heads
    res.update(setup=setup, n_linear=n_linear, batch=B * cfg.num_generations, bf16=bool(args.bf16), group=cfg.num_generations,
               weight_bytes=n_linear * nbytes, kv_bytes_per_token=2 * c.num_hidden_layers * c.num_key_value_heads * head_dim * nbytes,
               peak_rss_gib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)
    if eval_n:
        rows = pool.split("eval").rows[:eval_n]
        fast = run.fast_eval and isinstance(trainer, SaerlGRPOTrainer) and trainer.rollout_copy   # as run_grpo evaluates
        t = time.perf_counter()
        evaluate_accuracy(trainer.rollout_model() if fast else model, tok, rows, run, args, fast=fast)
        res["eval_s_per_prompt"] = (time.perf_counter() - t) / len(rows)
        res["n_eval"] = len(pool.split("eval").rows)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini")
    ap.add_argument("--steps", type=int, default=3, help="timed steps per setup")
    ap.add_argument("--warmup", type=int, default=1, help="untimed steps first")
    ap.add_argument("--setups", default=",".join(SETUPS), help=f"comma-separated, of: {', '.join(SETUPS)}")
    ap.add_argument("--eval-n", type=int, default=64, help="eval prompts timed after the saerl setup (for the matrix projection)")
    ap.add_argument("--out", help="also write the table as JSON (and .md beside it)")
    ap.add_argument("--config", help="YAML over the scale's preset, as saerl train --config (e.g. configs/overrides/confirm.yaml)")
    ap.add_argument("--pool", help="a pool JSONL, as saerl train --pool")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        res = child(args.child, args.scale, args.steps, args.warmup, args.eval_n if args.child in EVAL_SETUPS else 0, args.config, args.pool)
        print("RESULT " + json.dumps(res)); return
    setups = args.setups.split(",")
    bad = [s for s in setups if s not in SETUPS]
    if bad: sys.exit(f"grpo_step.py: error: unknown setup '{bad[0]}' (valid: {', '.join(SETUPS)})")
    before = peaks()
    print(f"bounds before: {before}, {torch.get_num_threads()} threads", flush=True)
    results = []
    for s in setups:
        t = time.time()
        p = subprocess.run([sys.executable, __file__, "--child", s, "--scale", args.scale, "--steps", str(args.steps),
                            "--warmup", str(args.warmup), "--eval-n", str(args.eval_n),
                            *(["--config", args.config] if args.config else []), *(["--pool", args.pool] if args.pool else [])],
                           capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
        for l in p.stdout.splitlines():
            if l.startswith("OUTDIR "): shutil.rmtree(l[7:], ignore_errors=True)
        line = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")]
        if p.returncode or not line: sys.exit(f"grpo_step.py: setup '{s}' failed:\n{p.stderr[-3000:]}")
        results.append(json.loads(line[0][7:]))
        print(f"  {s}: done in {time.time() - t:.0f} s", flush=True)
    after = peaks()
    print(f"bounds after: {after}", flush=True)
    best = {k: max(before[k], after[k]) for k in before}   # the bound is the most the machine showed
    rows = []
    for r in results:
        step = sum(r["step_s"]) / len(r["step_s"]); roll = sum(r["rollout_s"]) / len(r["rollout_s"])
        ctok = sum(r["completion_tokens"]) / len(r["completion_tokens"]); ptok = sum(r["prompt_tokens"]) / len(r["prompt_tokens"])
        roof = sum(rollout_roofline(p, c, r["group"], r["n_linear"], r["weight_bytes"], r["kv_bytes_per_token"],
                                    best["bf16" if r["weight_bytes"] == 2 * r["n_linear"] else "fp32"], best["read_gibps"])
                   for p, c in zip(r["prompt_lens"], r["completion_lens"])) / len(r["prompt_lens"])
        rows.append({"setup": r["setup"], "s/step": step, "rollout s": roll, "rollout tok/s": ctok / roll,
                     "update tok/s": (ptok + ctok) / (step - roll), "rollout roofline s": roof, "rollout % roofline": 100 * roof / roll,
                     "peak RSS GiB": r["peak_rss_gib"],
                     "completion tok/step": ctok, "eval s (all eval prompts)": r["n_eval"] * r["eval_s_per_prompt"] if "n_eval" in r else float("nan")})
    ref = rows[0]["s/step"] if results[0]["setup"] == "trl" else None
    for row in rows: row["speed-up vs trl"] = ref / row["s/step"] if ref else float("nan")
    cols = list(rows[0])
    fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else str(v)
    table = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + ["| " + " | ".join(fmt(row[c]) for c in cols) + " |" for row in rows]
    print("\n".join(table))
    over = [row["setup"] for row in rows if row["rollout % roofline"] > 100]
    if over: print(f"MEASUREMENT ERROR: {', '.join(over)} above 100 % of the roofline (the bounds moved, or another job shared the cores)")
    proj, lines = {}, []
    from saerl.config import load_config
    from saerl.grpo import RunConfig, scale_trainer_config
    from saerl.artifacts import matrix_runs
    from saerl.data import scale_pool
    from saerl.workspace import Workspace
    from saerl.data import load_pool
    cfg, every = scale_trainer_config(args.scale, args.config), load_config(RunConfig, args.scale, args.config).eval_every
    n_runs = len(matrix_runs(args.scale, args.config))
    pool = load_pool(args.pool) if args.pool else scale_pool(args.scale, config_file=args.config)
    epoch = len(Workspace(pool, args.scale, args.config, progress=False).schedule("vanilla", 0).batches)   # vanilla's full epoch
    for r in results:
        if "eval_s_per_prompt" not in r: continue
        step_s = next(row["s/step"] for row in rows if row["setup"] == r["setup"])
        eval_s = r["n_eval"] * r["eval_s_per_prompt"]
        n_evals = len(range(0, cfg.max_steps + 1, every)) + (cfg.max_steps % every != 0)
        run_s = cfg.max_steps * step_s + n_evals * eval_s
        full_s = epoch * step_s + 10 * eval_s
        proj[r["setup"]] = p = dict(runs=n_runs, steps_per_run=cfg.max_steps, evals_per_run=n_evals, eval_prompts=r["n_eval"], eval_s=eval_s,
                                    run_minutes=run_s / 60, matrix_hours=n_runs * run_s / 3600, epoch_steps=epoch,
                                    epoch_run_minutes=full_s / 60, epoch_runs_in_25_hours=25 * 3600 / full_s)
        lines.append(f"projection ({args.scale} matrix, {r['setup']}): {n_runs} runs × ({cfg.max_steps} steps × {step_s:.1f} s + "
                     f"{n_evals} evals × {eval_s:.0f} s) = {p['run_minutes']:.1f} min/run, {p['matrix_hours']:.1f} h")
        lines.append(f"projection (full-epoch {args.scale} run, {r['setup']}): {epoch} steps × {step_s:.1f} s + 10 evals × {eval_s:.0f} s "
                     f"= {p['epoch_run_minutes']:.1f} min/run; 25 h of 2-core time hold {p['epoch_runs_in_25_hours']:.0f} such runs")
        print(*lines[-2:], sep="\n")
    if args.out:
        out = Path(args.out); out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(dict(scale=args.scale, steps=args.steps, warmup=args.warmup, bounds=dict(before=before, after=after),
                                       rows=rows, raw=results, projection=proj), indent=1) + "\n")
        head = (f"`python bench/grpo_step.py {' '.join(sys.argv[1:])}` at {ran_at()}\n\n"
                f"bounds (matmul GFLOP/s, read GiB/s), measured before and after the setups: {before}; {after}\n\n")
        flag = f"\nMEASUREMENT ERROR: {', '.join(over)} above 100 % of the roofline\n" if over else ""
        out.with_suffix(".md").write_text(head + "\n".join(table) + "\n" + flag + "".join(f"\n{l}\n" for l in lines))

if __name__ == "__main__":
    main()
