"The `saerl` console script: help, the pool command, and one-line errors with a non-zero exit."
import json, shutil, subprocess, sys
from pathlib import Path

from conftest import ROOT, SAERL, run_cli, run_clis
from saerl.data import load_pool
from saerl.signals import read_embeddings
from saerl.workspace import Workspace


def test_help_lists_subcommands():
    p = run_cli("--help")
    assert p.returncode == 0
    for cmd in ("pool", "passrates", "sae", "features", "signals", "train", "report", "reproduce"): assert cmd in p.stdout
    assert "examples:" in p.stdout


def test_python_m_runs_the_cli():
    "`python -m saerl.cli` is the console script: the same help, and a bad input's exit code (2) and one-line error."
    m = lambda *a: subprocess.run([sys.executable, "-m", "saerl.cli", *a], capture_output=True, text=True, cwd=ROOT)
    p = m("--help")
    assert p.returncode == 0 and p.stdout == run_cli("--help").stdout, p.stderr[-2000:]
    p = m("pool", "--scale", "nope")
    assert p.returncode == 2 and p.stderr.strip().splitlines()[-1].startswith("saerl: error:") and "nope" in p.stderr, p.stderr


def test_pool_writes_the_row_contract(tmp_path):
    out = tmp_path/"pool.jsonl"
    p = run_cli("pool", "--scale", "tiny", "--seed", "3", "--out", out)
    assert p.returncode == 0, p.stderr
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    assert rows and all(r["id"] and r["split"] in ("train", "label", "eval") for r in rows)
    assert "noise rate" in p.stdout and "splits:" in p.stdout
    for fam in ("basic_arithmetic", "chain_sum", "gcd"): assert fam in p.stdout
    assert "eval prompts with a commuted twin in train or label (saerl.data.canonical_form): 0" in p.stdout
    ev = next(r for r in rows if r["split"] == "eval")
    (tmp_path/"twins.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows + [dict(ev, id="twin", split="train")]))   # an eval prompt in train
    p = run_cli("pool", "--pool", tmp_path/"twins.jsonl")                  # --pool describes an existing pool
    assert p.returncode == 0, p.stderr
    assert f"twin in train or label (saerl.data.canonical_form): 1 {{'{ev['family']}': 1}}" in p.stdout, p.stdout


def test_same_seed_same_pool(tmp_path):
    for name in "ab": run_cli("pool", "--scale", "tiny", "--seed", "5", "--out", tmp_path/f"{name}.jsonl", "--quiet")
    assert (tmp_path/"a.jsonl").read_text() == (tmp_path/"b.jsonl").read_text()


def one_line_error(p, *needles):
    assert p.returncode == 2, (p.returncode, p.stderr)
    lines = [l for l in p.stderr.splitlines() if l.startswith("saerl: error:")]
    assert len(lines) == 1, p.stderr
    for n in needles: assert n in lines[0], lines[0]


def test_bad_inputs(tmp_path):
    one_line_error(run_cli("pool", "--scale", "huge"), "unknown scale 'huge'", "tiny")
    cfg = tmp_path/"c.yaml"; cfg.write_text("pool:\n  families: {poetry: [{}]}\n")
    out = tmp_path/"never.jsonl"
    one_line_error(run_cli("pool", "--scale", "tiny", "--config", cfg, "--out", out), "unknown family 'poetry'", "gcd")
    assert not out.exists()
    cfg.write_text("pool:\n  noise_rate: lots\n")
    one_line_error(run_cli("pool", "--scale", "tiny", "--config", cfg), "'noise_rate' must be float")
    bad = tmp_path/"bad.jsonl"; bad.write_text('{"id": "x"}\nnot json\n')
    p = run_cli("passrates", "--scale", "tiny", "--pool", bad)             # both bad rows, in one run, each on its own line
    one_line_error(p, "bad.jsonl:1:1: missing fields 'family', 'question'")
    assert p.stderr.strip().splitlines()[1].endswith("bad.jsonl:2:1: not valid JSON (Expecting value)"), p.stderr
    one_line_error(run_cli("passrates", "--scale", "tiny", "--pool", tmp_path/"none.jsonl"), "pool file not found")


def test_unwritable_output_leaves_nothing(tmp_path):
    ro = tmp_path/"ro"; ro.mkdir()
    blocker = ro/"file"; blocker.write_text("x")  # a path under a regular file cannot be created, even as root
    one_line_error(run_cli("pool", "--scale", "tiny", "--out", blocker/"pool.jsonl"), "cannot write")


def test_empty_pool_and_unknown_conditions(tmp_path):
    empty = tmp_path/"empty.jsonl"; empty.write_text("")
    typo = tmp_path/"typo.yaml"; typo.write_text("trian:\n  max_steps: 2\n")            # a misspelled section: an error, not the defaults
    derived = tmp_path/"derived.yaml"; derived.write_text("train:\n  seed: 3\n")          # saerl sets it per run
    train = ("train", "--scale", "tiny", "--out", tmp_path/"runs", "--condition")
    cases = {("passrates", "--scale", "tiny", "--pool", empty): "empty.jsonl: the pool is empty",
             (*train, "sarl"): "unknown condition 'sarl'",
             (*train, "saerl[mixin=2]"): "unknown setting 'mixin'",
             (*train, "saerl@tea"): "unknown source 'tea'",
             (*train, "vanilla+adam"): "unknown loss_type 'adam'",
             (*train, "vanilla", "--config", typo): "unknown section 'trian' (did you mean 'train'?",
             (*train, "vanilla", "--config", derived): "'seed' is set by saerl"}
    for p, needle in zip(run_clis(*cases), cases.values()): one_line_error(p, needle)   # (run side by side: each is a cold start)
    assert not (tmp_path/"runs").exists()


def test_disk_full_style_write_failure_leaves_earlier_results(tmp_path):
    # a 2 KiB file-size limit (Python turns SIGXFSZ into an OSError) fails the write half-way, as a full disk would
    out = tmp_path/"pool.jsonl"; out.write_text("earlier result\n")
    p = subprocess.run(["bash", "-c", f"ulimit -f 2; exec {SAERL} pool --scale tiny --out {out}"], capture_output=True, text=True, cwd=ROOT)
    one_line_error(p, f"cannot write {out}", "File too large")
    assert out.read_text() == "earlier result\n"                       # the old file is intact, no partial replacement
    assert sorted(x.name for x in tmp_path.iterdir()) == ["pool.jsonl"]   # and no temporary file left behind


def test_report_reads_the_committed_mini_v1_runs(tmp_path):
    import shutil
    from saerl.condition import Condition
    src, store = ROOT/"results"/"mini-v1"/"runs", tmp_path/"runs"/"mini"/"runs"   # the v1 record: a real run store
    for s in range(3):   # real runs; saerl@embedding's stand in for saerl, so that a control pair exists whatever is being retrained
        for name, as_ in (("vanilla", "vanilla"), ("saerl@random", "saerl@random"), ("saerl@embedding", "saerl")):
            a, b = Condition.parse(name), Condition.parse(as_)
            shutil.copytree(src/f"{a.slug}__s{s}", store/f"{b.slug}__s{s}")
            cfg = json.loads((store/f"{b.slug}__s{s}"/"config.json").read_text())
            (store/f"{b.slug}__s{s}"/"config.json").write_text(json.dumps(cfg | dict(condition=b.to_dict())))
    out = tmp_path/"report.md"
    p = run_cli("report", "--scale", "mini", "--runs", tmp_path/"runs", "--out", out, "--quiet")
    assert p.returncode == 0, p.stderr
    assert out.read_text() == p.stdout                      # --out holds exactly what was printed
    for needle in ("greedy accuracy: gain over step 0", "greedy accuracy against vanilla", "sampled accuracy (mean of k completions",
                   "| saerl@random ", "the controls"): assert needle in p.stdout, needle
    one_line_error(run_cli("report", "--scale", "mini", "--runs", tmp_path/"empty"), "no complete runs under")


def test_passrates_reuse_checks_the_table(tmp_path):
    env = dict(SAERL_CACHE=str(tmp_path/"cache"))
    table = tmp_path/"label.csv"
    assert run_cli("passrates", "--scale", "tiny", "--out", table, "--quiet", env=env).returncode == 0
    env = dict(SAERL_CACHE=str(tmp_path/"fresh"))                      # a fresh machine: the table, no cache
    p = run_cli("passrates", "--scale", "tiny", "--reuse", table, "--out", tmp_path/"again.csv", "--quiet", env=env)
    assert p.returncode == 0, p.stderr
    assert "measured again give the same correct counts" in p.stdout
    assert (tmp_path/"again.csv").read_text() == table.read_text()
    bad = tmp_path/"bad.csv"; bad.write_text("id,family\nx,gcd\n")
    one_line_error(run_cli("passrates", "--scale", "tiny", "--reuse", bad, env=env), "bad.csv: not a pass-rate table (no column 'level')")


def test_a_user_pool_from_the_repo_root_leaves_git_clean(tmp_path):
    "`--pool` with another pool, run from the repository root: stages, runs and artifacts go to results/user/<pool>-<hash>/ (ignored), never results/tiny/."
    status = lambda: subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True).stdout
    before, mine = status(), tmp_path/"mine.jsonl"
    assert run_cli("pool", "--scale", "tiny", "--seed", "7", "--out", mine, "--quiet").returncode == 0
    try:
        p = run_cli("signals", "--scale", "tiny", "--pool", mine, "--source", "random", "--quiet")
        assert p.returncode == 0, p.stderr[-2000:]
        root = next((ROOT/"results"/"user").glob("mine-*"))
        assert (root/"tiny"/"stages"/"signals"/"schedule_random.json").is_file() and str(root) in p.stdout
        p = run_cli("train", "--scale", "tiny", "--pool", mine, "--condition", "vanilla", "--quiet")
        assert p.returncode == 0, p.stderr[-2000:]
        assert (root/"tiny"/"runs"/"vanilla__s0"/"summary.json").is_file() and str(root) in p.stdout
        p = run_cli("reproduce", "--scale", "tiny", "--pool", mine, "--only", "fig1_signal_validity", "--quiet")   # needs no run
        assert p.returncode == 0, p.stderr[-2000:]
        m = json.loads((root/"tiny"/"manifest.json").read_text())["artifacts"]["fig1_signal_validity"]
        assert m["parameters"]["pool_file"] == str(mine) and (root/"tiny"/"artifacts"/"fig1_signal_validity"/"summary.json").is_file()
        assert status() == before, status()
    finally:
        for d in (ROOT/"results"/"user").glob("mine-*"): shutil.rmtree(d)


def test_a_launch_that_starts_one_of_several_processes_is_refused(tmp_path):
    # `accelerate launch --cpu --num_processes 2` starts one process (accelerate runs several CPU processes only through MPI)
    p = subprocess.run([str(Path(sys.executable).parent/"accelerate"), "launch", "--cpu", "--num_processes", "2", str(SAERL), "train",
                        "--scale", "tiny", "--condition", "vanilla", "--out", str(tmp_path/"runs")], capture_output=True, text=True)
    assert p.returncode != 0 and "started only this one (no WORLD_SIZE)" in p.stderr and "torchrun --nproc_per_node" in p.stderr, p.stderr[-2000:]
    assert not (tmp_path/"runs").exists()                               # nothing trained, nothing written


def test_confirm_on_a_store_without_the_runs_it_needs(tmp_path):
    (tmp_path/"empty"/"mini"/"runs").mkdir(parents=True)
    nowhere, pilot, p, named = run_clis(("confirm", "--runs", tmp_path/"nowhere"), ("confirm", "--runs", tmp_path/"empty", "--pilot"),
                                        ("confirm", "--runs", tmp_path/"empty", "--page"),   # no interim analysis, progress only, on the page too
                                        ("confirm", "--runs", tmp_path/"empty", "--page", tmp_path/"site"))   # a page named: that root's
    assert nowhere.returncode == 2 and nowhere.stderr.strip() == f"saerl: error: no run store at {tmp_path/'nowhere'/'mini'/'runs'}", nowhere.stderr
    assert pilot.returncode == 2 and "no complete vanilla run: the pilot has not run" in pilot.stderr, pilot.stderr
    page = (tmp_path/"README.md").read_text()
    assert p.returncode == 0 and "incomplete: 0 of 40 runs" in p.stdout and "0 of 40" in page and "## The confirmatory test" in page, p.stdout + p.stderr
    assert "confirmed" not in p.stdout + page
    assert named.returncode == 0 and "0 of 40" in (tmp_path/"site"/"README.md").read_text(), named.stderr


def test_committed_inputs_are_checked_by_content(tmp_path):
    p = run_cli("inputs", "--scale", "mini")                             # the repository's own, as committed
    assert p.returncode == 0 and "committed inputs of mini match" in p.stdout, p.stderr
    assert "  inputs/pool.jsonl: 933 kB, 2,134 rows\n" in p.stdout and "  inputs/sae: 4.7 MB in 5 files\n" in p.stdout, p.stdout   # the README's table
    shutil.copytree(ROOT/"results"/"mini", tmp_path/"mini", ignore=shutil.ignore_patterns("bench", "signals"))
    csv = tmp_path/"mini"/"stages"/"pass_rates_train.csv"
    csv.write_text(csv.read_text().replace(",4,", ",3,", 1))            # one count edited
    p = run_cli("inputs", "--scale", "mini", "--root", tmp_path)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "pass_rates_train.csv: its content differs from the committed one" in p.stderr, p.stderr
    assert "--split train --out results/mini/stages/pass_rates_train.csv" in p.stderr
    before = sorted(tmp_path.rglob("*"))
    p = run_cli("reproduce", "--scale", "mini", "--committed", "--out", tmp_path)   # `make reproduce` stops there too, before any work
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "pass_rates_train.csv: its content differs from the committed one" in p.stderr, p.stderr
    assert sorted(tmp_path.rglob("*")) == before                         # nothing written


def test_committed_features_are_this_settings():
    """The feature matrices (and embedding vectors) `make reproduce` reads instead of extracting are those of the committed
    pool, SAE(s) and this checkout's model and features configs: a config change that makes one stale fails here, not in a reproduction."""
    for cfg, pool, d, seeds in ((None, "results/mini/inputs/pool.jsonl", "results/mini/stages", (None,)),
                                ("configs/overrides/confirm.yaml", "results/confirm/inputs/pool.jsonl", "results/confirm/inputs", (None, 1))):
        ws = Workspace(load_pool(ROOT/pool), "mini", cfg and str(ROOT/cfg), progress=False, features_from=ROOT/d)
        for s in seeds:
            fm = ws.features(s)                                          # read, once its record is checked (extracted ones live in the cache)
            assert fm.path == ROOT/d/("features.npz" if s is None else f"features_sae_seed{s}.npz") and len(fm) == len(ws.pool)
    pool = load_pool(ROOT/"results/mini/inputs/pool.jsonl")           # the embedding source's vectors (only fig1, of mini, computes that source)
    assert read_embeddings(ROOT/"results/mini/stages/embedding.npz", pool, rebuild="").shape == (len(pool), 384)   # its record checked
