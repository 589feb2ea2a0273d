"""One-off migration of a run store from saerl 0.1 to 0.2 (committed so that the move can be checked and repeated).

0.1 kept a run in `results/runs/<scale>/<condition name>__s<seed>/`, the name (brackets and all) being the only record
of its condition, and its trainer settings as a `TrainConfig`. 0.2 keeps it in `results/<scale>/runs/<slug>__s<seed>/`
and its `config.json` stores the parsed `Condition`, the seed, TRL's effective `SaerlGRPOConfig` (`train`, as a new
run stores it) and the `RunConfig` (`run`). Nothing is retrained: metrics and summaries move unchanged.

`--identity` then records each run's identity (`saerl.grpo.run_identity`: what it was computed from), which 0.2 checks
before it counts a finished run as done. A 0.1 run did not record every stage setting, so its identity is computed from
the scale's configs of now, and written only where everything the run did record agrees with them (pool, model,
trainer and run config, the schedule's operation configs); a run that disagrees is named and left without one.

    python tools/migrate_runs.py [--old results/runs] [--new results] [--dry-run]
    python tools/migrate_runs.py --identity --scale mini
"""
import argparse, dataclasses, shutil, sys
from pathlib import Path

from saerl.analysis import complete_runs
from saerl.condition import OPERATIONS, Condition
from saerl.core import read_json, write_json
from saerl.data import scale_pool
from saerl.grpo import _NOT_IDENTITY, RunConfig, run_dir, run_identity, stored_trainer_config, trainer_config
from saerl.workspace import Workspace

RUN_KEYS = [f.name for f in dataclasses.fields(RunConfig)]
RENAMED = {"attn_implementation": "loss_attn_implementation"}   # 0.1 TrainConfig name -> SaerlGRPOConfig field


def migrate_config(cfg: dict, name: str, seed: int) -> dict:
    "A 0.1 `config.json` in 0.2's form: the parsed condition, TRL's effective trainer config and the run config."
    old = dict(cfg["train"])
    if old.pop("seed") != seed: raise SystemExit(f"{name} seed {seed}: its config.json trained with another seed")
    run = RunConfig(**{k: old.pop(k) for k in RUN_KEYS})
    values = {RENAMED.get(k, k): v for k, v in old.items()}
    args = trainer_config(values, run, batch_prompts=cfg["schedule"]["diversity"]["batch_size"], seed=seed)
    return {**cfg, "condition": Condition.parse(name).to_dict(), "train": stored_trainer_config(args), "run": dataclasses.asdict(run)}


def identity_conflicts(cfg: dict, identity: dict) -> list[str]:
    "What a run's own record says that its identity under today's configs does not."
    c = Condition.from_dict(cfg["condition"])
    train = {k: v for k, v in cfg["train"].items() if k not in _NOT_IDENTITY["train"]}
    out = [k for k in ("pool", "model", "run") if cfg.get(k) != identity[k]] + (["train"] if train != identity["train"] else [])
    for op, cls in OPERATIONS.items():   # the schedule's configs, with the condition's settings and the run's seed
        want = {**identity["stages"][op], **c.overrides(op)}
        had = {**dataclasses.asdict(cls()), **cfg["schedule"][op]}   # a field added since the run was trained had its default then
        if {k: v for k, v in had.items() if k != "seed"} != {k: v for k, v in want.items() if k != "seed"}: out.append(f"schedule.{op}")
    return out


def add_identities(root: str, scale: str) -> int:
    "Record the identity of every complete run under `root/scale/runs` that has none and agrees with today's configs; the number of runs that do not."
    ws, bad = Workspace(scale_pool(scale), scale, progress=False), 0
    for d, c, seed, cfg in complete_runs(root, scale):
        if "identity" in cfg: continue
        identity = run_identity(ws, c, seed)
        if conflicts := identity_conflicts(cfg, identity): print(f"{d}: its record differs from today's configs in {', '.join(conflicts)}: no identity written"); bad += 1; continue
        write_json(d/"config.json", {**cfg, "identity": identity}); print(f"{d}: identity recorded")
    return bad


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--old", default="results/runs", help="0.1 run store root (default: results/runs)")
    p.add_argument("--new", default="results", help="0.2 results root; runs go to NEW/<scale>/runs (default: results)")
    p.add_argument("--dry-run", action="store_true", help="print what would move")
    p.add_argument("--identity", action="store_true", help="record the identity of the runs of --scale under --new instead")
    p.add_argument("--scale", default="mini", help="with --identity: the scale whose runs to complete (default: mini)")
    a = p.parse_args(argv)
    if a.identity: return int(add_identities(a.new, a.scale) > 0)
    moved = 0
    for scale_dir in sorted(Path(a.old).iterdir()):
        if not scale_dir.is_dir(): continue
        for d in sorted(scale_dir.glob("*__s*")):
            name, seed = d.name.rsplit("__s", 1)          # 0.1's directory name was the condition's name
            seed, cond = int(seed), Condition.parse(name)
            if cond.name != name: raise SystemExit(f"{d}: the condition's canonical name is {cond.name!r}, not {name!r}: tables would change")
            dst = run_dir(a.new, scale_dir.name, cond, seed)
            if dst.exists(): raise SystemExit(f"{dst} exists already: nothing moved for {d}")
            print(f"{d} -> {dst}")
            if a.dry_run: continue
            cfg = migrate_config(read_json(d/"config.json"), name, seed)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(d), str(dst))
            write_json(dst/"config.json", cfg)
            moved += 1
        for f in scale_dir.glob("*.md"):                  # `saerl report --out` tables of that store
            if not a.dry_run: shutil.move(str(f), str(Path(a.new)/scale_dir.name/"runs"/f.name))
    print(f"{moved} runs moved")


if __name__ == "__main__": sys.exit(main())
