"GRPO runs on the tiny scale: one per condition family, the run store, and resuming a killed run."
import json, shutil, signal, subprocess, time

import pytest

from conftest import SAERL, ROOT, build_once, popen_foreground, run_cli
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from saerl.data import scale_pool
from saerl.export import check_trained_schedule, schedule_records
from saerl.model import ModelConfig, load_policy
from saerl.workspace import Workspace

pytestmark = pytest.mark.xdist_group("test_train")   # its shared fixture: built once, on one worker


def tensorboard_scalars(run) -> dict:
    "{tag: [(step, value), ...]} of the TensorBoard event files in a run's tensorboard/ folder, as TensorBoard reads them."
    acc = EventAccumulator(str(run/"tensorboard")); acc.Reload()
    return {t: [(e.step, e.value) for e in acc.Scalars(t)] for t in acc.Tags()["scalars"]}


@pytest.fixture(scope="session")   # (not "module": under --dist loadgroup other files' tests may run between this file's)
def matrix(tmp_path_factory):
    build_once(tmp_path_factory, "matrix")
    root = tmp_path_factory.mktemp("runs")
    p = run_cli("train", "--scale", "tiny", "--matrix", "--quiet", "--out", root)
    assert p.returncode == 0, p.stderr[-3000:]
    return root/"tiny"/"runs", p.stdout


def test_every_condition_family_trains(matrix):
    runs, out = matrix
    assert "{'loss'" not in out and "'grad_norm'" not in out            # --quiet: no per-step log dicts from the Trainer
    names = {d.name for d in runs.iterdir() if d.name != ".locks"}           # .locks: the run locks (grpo.run_lock)
    assert names == {f"{c}__s0" for c in ["vanilla", "saerl", "vanilla_loss-dapo", "saerl_loss-dapo", "quality", "quality_filter_frac-0.0"]}   # slugs of the matrix the tiny artifacts need
    for d in (runs/n for n in names):
        summary = json.loads((d/"summary.json").read_text())
        assert summary["steps"] == 3 and summary["param_change"] > 0, (d.name, summary)
        recs = [json.loads(l) for l in (d/"metrics.jsonl").read_text().splitlines()]
        assert [r["step"] for r in recs if "eval/accuracy" in r] == [0, 2, 3]
        assert sum("train/reward" in r for r in recs) == 3
        cfg = json.loads((d/"config.json").read_text())
        assert cfg["environment"]["git_commit"] is not None and cfg["train"]["seed"] == 0
    assert "5 run(s) left, at most ~" in out and "; 1 run(s) left" in out     # a progress line per run, with the matrix's ETA


def test_live_curves_in_tensorboard(matrix):
    runs, _ = matrix
    recs = [json.loads(l) for l in (runs/"saerl__s0"/"metrics.jsonl").read_text().splitlines()]
    tb = tensorboard_scalars(runs/"saerl__s0")
    for tag in ("train/reward", "train/completions/mean_length", "train/entropy", "train/loss", "eval/accuracy"): assert tag in tb, sorted(tb)
    for tag in ("eval/accuracy", "eval/seconds", "train/reward"):            # the run's own numbers, at its steps
        want = [(r["step"], r[tag]) for r in recs if tag in r]
        assert [s for s, _ in tb[tag]] == [s for s, _ in want] and [v for _, v in tb[tag]] == pytest.approx([v for _, v in want], rel=1e-6), (tag, tb[tag], want)
    assert [s for s, _ in tb["train/reward"]] == [1, 2, 3] and not any("per_prompt" in t for t in tb)


def test_schedule_config_follows_the_condition(matrix):
    runs, _ = matrix
    sched = lambda n: json.loads((runs/f"{n}__s0"/"config.json").read_text())["schedule"]["schedule"]
    assert (sched("vanilla")["filter_source"], sched("vanilla")["cluster_source"], sched("vanilla")["difficulty_source"]) == (None, None, None)
    assert sched("saerl")["difficulty_source"] == "sae" and sched("quality")["cluster_source"] is None
    cfg = json.loads((runs/"vanilla_loss-dapo__s0"/"config.json").read_text())
    assert cfg["train"]["loss_type"] == "dapo" and cfg["condition"]["name"] == "vanilla+dapo" and cfg["condition"]["loss_type"] == "dapo"
    assert json.loads((runs/"quality_filter_frac-0.0__s0"/"config.json").read_text())["schedule"]["quality"]["filter_frac"] == 0.0


def test_matrix_rerun_skips_finished(matrix, tmp_path):
    runs, _ = matrix
    p = run_cli("train", "--scale", "tiny", "--matrix", "--quiet", "--out", runs.parent.parent)
    assert p.returncode == 0 and p.stdout.count("complete, skipped") == 6, p.stdout


def test_killed_run_resumes(tmp_path):
    cfg = tmp_path/"long.yaml"; cfg.write_text("train:\n  max_steps: 8\nrun:\n  save_every: 2\n  eval_every: 4\n")
    args = [str(SAERL), "train", "--scale", "tiny", "--condition", "vanilla", "--config", str(cfg), "--quiet", "--out", str(tmp_path/"runs")]
    run = tmp_path/"runs"/"tiny"/"runs"/"vanilla__s0"
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not (run/"checkpoints"/"checkpoint-4"/"trainer_state.json").exists() and time.time() < deadline: time.sleep(0.1)
    proc.send_signal(signal.SIGKILL); proc.wait()
    assert not (run/"summary.json").exists()
    p = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]
    summary = json.loads((run/"summary.json").read_text())
    assert summary["steps"] == 8 and summary["resumed_from"] in ("checkpoint-4", "checkpoint-6")
    recs = [json.loads(l) for l in (run/"metrics.jsonl").read_text().splitlines()]
    train_steps = [r["step"] for r in recs if "train/reward" in r]
    assert train_steps == list(range(1, 9)), train_steps                 # each step logged exactly once
    assert [r["step"] for r in recs if "eval/accuracy" in r] == [0, 4, 8]
    tb = tensorboard_scalars(run)                                        # the killed segment's steps after the checkpoint are replaced, not doubled
    assert [s for s, _ in tb["train/reward"]] == list(range(1, 9)) and [s for s, _ in tb["eval/accuracy"]] == [0, 4, 8], tb["train/reward"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_matrix_resumes_without_redoing_runs(tmp_path, sig):
    args = [str(SAERL), "train", "--scale", "tiny", "--matrix", "--quiet", "--out", str(tmp_path/"runs")]
    proc = popen_foreground(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while len(list(tmp_path.glob("runs/tiny/runs/*/summary.json"))) < 2 and time.time() < deadline: time.sleep(0.1)
    proc.send_signal(sig); _, err = proc.communicate()
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and err.strip().splitlines()[-1].startswith("saerl: interrupted"), (proc.returncode, err[-2000:])
    before = {p.parent.name: p.stat().st_mtime_ns for p in tmp_path.glob("runs/tiny/runs/*/summary.json")}
    p = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]
    assert p.stdout.count("complete, skipped") >= len(before)
    after = {q.parent.name: q.stat().st_mtime_ns for q in tmp_path.glob("runs/tiny/runs/*/summary.json")}
    assert len(after) == 6 and all(after[k] == v for k, v in before.items())
    for q in tmp_path.glob("runs/tiny/runs/*/metrics.jsonl"): [json.loads(l) for l in q.read_text().splitlines()]


def test_two_processes_share_a_matrix(tmp_path):
    "Two `--matrix` processes at once: every run is trained exactly once, by one of them, and both do some of the work."
    args = [str(SAERL), "train", "--scale", "tiny", "--matrix", "--quiet", "--out", str(tmp_path/"runs")]
    procs = [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), [e[-2000:] for _, e in outs]
    trained = [{l.split(":")[0].split("] ")[1] for l in o.splitlines() if "trained in" in l} for o, _ in outs]
    assert len(trained[0] | trained[1]) == 6 and not trained[0] & trained[1] and all(trained), outs
    for q in tmp_path.glob("runs/tiny/runs/*/metrics.jsonl"):
        steps = [json.loads(l)["step"] for l in q.read_text().splitlines() if "train/reward" in l]
        assert steps == [1, 2, 3], (q, steps)
    assert len(list(tmp_path.glob("runs/tiny/runs/*/summary.json"))) == 6


def test_a_finished_run_of_other_settings_or_pool_is_not_reused(matrix, tmp_path):
    "A run asked for with another setting or another pool is an error naming what differs, never the stored run's result."
    runs, _ = matrix
    root = runs.parent.parent
    lr = tmp_path/"lr.yaml"; lr.write_text("train:\n  learning_rate: 0.01\n")
    p = run_cli("train", "--scale", "tiny", "--condition", "vanilla", "--config", lr, "--quiet", "--out", root)
    assert p.returncode == 2 and "train.learning_rate is 0.001 there, 0.01 here" in p.stderr and "--force" in p.stderr, p.stderr
    assert "complete, skipped" not in p.stdout
    mine = tmp_path/"my_pool.jsonl"
    assert run_cli("pool", "--scale", "tiny", "--seed", "7", "--out", mine).returncode == 0
    p = run_cli("train", "--scale", "tiny", "--condition", "vanilla", "--pool", mine, "--quiet", "--out", root)
    assert p.returncode == 2 and "vanilla__s0 was computed from other settings: pool is" in p.stderr, p.stderr
    p = run_cli("train", "--scale", "tiny", "--condition", "vanilla", "--quiet", "--out", root)    # as it was trained: done
    assert p.returncode == 0 and "complete, skipped" in p.stdout, p.stderr


def test_a_setting_added_later_reads_stored_runs_as_computed(matrix, tmp_path):
    """A run stored before a setting existed counts as computed with its `ADDED_SETTINGS` value: reused where today's value is
    the same (`dynamic_sampling`: off), an error where it is not (`shared_prompt_loss`: off then, on by default now)."""
    runs, _ = matrix
    root, d = runs.parent.parent, runs/"vanilla__s0"
    c = json.loads((d/"config.json").read_text())
    c["identity"]["train"].pop("dynamic_sampling"); (d/"config.json").write_text(json.dumps(c))   # as an older saerl stored it
    p = run_cli("train", "--scale", "tiny", "--condition", "vanilla", "--quiet", "--out", root)
    assert p.returncode == 0 and "complete, skipped" in p.stdout, p.stderr
    on = tmp_path/"on.yaml"; on.write_text("train:\n  dynamic_sampling: true\n")
    p = run_cli("train", "--scale", "tiny", "--condition", "vanilla", "--config", on, "--quiet", "--out", root)
    assert p.returncode == 2 and "train.dynamic_sampling is False there, True here" in p.stderr, p.stderr
    c["identity"]["train"].pop("shared_prompt_loss"); (d/"config.json").write_text(json.dumps(c))
    p = run_cli("train", "--scale", "tiny", "--condition", "vanilla", "--quiet", "--out", root)
    assert p.returncode == 2 and "train.shared_prompt_loss is False there, True here" in p.stderr, p.stderr


@pytest.mark.parametrize("condition", ["saerl@permuted", "saerl@residual", "saerl@pca", "saerl@matched", "vanilla+dynamic"])
def test_controls_and_baselines_train(condition, matrix, tmp_path):
    "The confirmatory arms and the controls of the measurement issue are conditions like the others: each trains at tiny."
    from saerl.condition import Condition
    p = run_cli("train", "--scale", "tiny", "--condition", condition, "--quiet", "--out", tmp_path)
    assert p.returncode == 0, p.stderr[-3000:]
    d = tmp_path/"tiny"/"runs"/f"{Condition.parse(condition).slug}__s0"
    summary, cfg = json.loads((d/"summary.json").read_text()), json.loads((d/"config.json").read_text())
    assert summary["steps"] == 3 and summary["param_change"] > 0 and summary["eval_set"]
    recs = [json.loads(l) for l in (d/"metrics.jsonl").read_text().splitlines() if "eval/accuracy" in l]
    assert all(len(r["eval/per_prompt/accuracy"]) == summary["n_eval"] for r in recs)      # per-prompt results for the bootstrap
    vanilla = json.loads((matrix[0]/"vanilla__s0"/"summary.json").read_text())
    if condition == "vanilla+dynamic":
        assert cfg["train"]["dynamic_sampling"] and summary["rollouts"] == 2 * vanilla["rollouts"]   # its extra rollouts counted
        assert any("train/dynamic/informative_trained" in l for l in (d/"metrics.jsonl").read_text().splitlines())
        ws, tok = Workspace(scale_pool("tiny"), "tiny", progress=False), load_policy(ModelConfig(name="tiny"))[1]
        recs = schedule_records(ws.pool, ws.schedule(condition))                # vanilla's: dynamic sampling generates for 2 of its batches a step
        per_step = 2 * sum(r["batch"] == 0 for r in recs)
        assert check_trained_schedule(d, recs, tok) == (3, 3, None, "prompt ids", round(3 / (len(recs) // per_step), 4))
        lines = (d/"metrics.jsonl").read_text().splitlines()                  # as the frozen code logs it: no prompt ids, TRL's token counts
        (d/"metrics.jsonl").write_text("".join(json.dumps({k: v for k, v in json.loads(l).items() if k != "train/prompt_ids"}) + "\n" for l in lines))
        assert check_trained_schedule(d, recs, tok)[:4] == (3, 3, None, "prompt tokens")
        cfg["condition"]["dynamic"] = False; (d/"config.json").write_text(json.dumps(cfg))   # read as one batch a step, it disagrees
        assert check_trained_schedule(d, recs, tok).first_diff == 1
    elif condition == "saerl@matched":   # the sae schedule, each slot redrawn at the same measured pass rate
        assert cfg["schedule"]["matched"]["to"]["difficulty_source"] == "sae", cfg["schedule"]
    else:                                  # the same operations, each driven by the control's source
        sched, src = cfg["schedule"]["schedule"], Condition.parse(condition).source
        assert (sched["cluster_source"], sched["difficulty_source"], sched["filter_source"]) == (src, src, src), sched


def test_a_stored_run_is_checked_against_its_schedule(matrix, tmp_path):
    runs, _ = matrix
    ws = Workspace(scale_pool("tiny"), "tiny", progress=False)
    _, tok = load_policy(ModelConfig(name="tiny"))
    recs = {c: schedule_records(ws.pool, ws.schedule(c)) for c in ("saerl", "vanilla")}
    assert check_trained_schedule(runs/"saerl__s0", recs["saerl"], tok)[:4] == (3, 3, None, "prompt ids")
    assert check_trained_schedule(runs/"vanilla__s0", recs["saerl"], tok).same < 3
    old = tmp_path/"saerl__s0"; old.mkdir()                                  # the same run as the frozen code logs it: no prompt ids
    shutil.copy(runs/"saerl__s0"/"config.json", old)
    lines = (runs/"saerl__s0"/"metrics.jsonl").read_text().splitlines()
    (old/"metrics.jsonl").write_text("".join(json.dumps({k: v for k, v in json.loads(l).items() if k != "train/prompt_ids"}) + "\n" for l in lines))
    assert check_trained_schedule(old, recs["saerl"], tok)[:4] == (3, 3, None, "prompt tokens")   # TRL's own token counts agree with the schedule's
    assert check_trained_schedule(old, recs["vanilla"], tok).first_diff is not None
    p = run_cli("export", "--scale", "tiny", "--condition", "vanilla", "--quiet", "--check", runs/"vanilla__s0", old)
    assert p.returncode == 1 and f"{runs/'vanilla__s0'}: 3 of 3 steps trained this schedule's batch (by prompt ids)" in p.stdout, p.stdout + p.stderr[-2000:]
    assert "saerl: 1 of 2 runs did not train the schedule of vanilla seed 0 built here" in p.stderr, p.stderr[-2000:]
