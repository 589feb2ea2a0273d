"`saerl reproduce --scale tiny --jobs 2`, run from a folder outside the repository: every artifact, the manifest and the README, written there, surviving a kill in the middle."
import json, os, signal, subprocess, time

import pandas as pd
import pytest

from conftest import SAERL, ROOT, build_once, popen_foreground, run_cli
from saerl.artifacts import ARTIFACTS
from saerl.grpo import scale_trainer_config
from saerl.report import Summary

pytestmark = pytest.mark.xdist_group("test_reproduce")   # its shared fixture: built once, on one worker


def _git_status():
    "What git sees changed where a reproduction writes (results/, and the notebooks it executes)."
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", "results", "nbs"], cwd=ROOT, capture_output=True, text=True).stdout


def _interrupt(args, d, n_runs, sig):
    "Start `args` in folder `d`, send `sig` once `n_runs` runs are complete; return (exit code, stderr)."
    proc = popen_foreground(args, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while len(list((d/"results").glob("tiny/runs/*/summary.json"))) < n_runs and time.time() < deadline and proc.poll() is None: time.sleep(0.2)
    proc.send_signal(sig); _, err = proc.communicate()
    return proc.returncode, err


@pytest.fixture(scope="session")   # (not "module": under --dist loadgroup other files' tests may run between this file's)
def reproduced(tmp_path_factory):
    """Start a tiny reproduction in a folder of its own (default paths: `results/` there), Ctrl-C it after two runs, restart,
    SIGKILL it after four, restart it, and let it finish; the repository's files are left as they were."""
    build_once(tmp_path_factory, "reproduced")
    d, git_before = tmp_path_factory.mktemp("repro"), _git_status()
    args = [str(SAERL), "reproduce", "--scale", "tiny", "--quiet", "--jobs", "2"]   # two notebooks at a time: the manifest keeps the registry's order
    code, err = _interrupt(args, d, 2, signal.SIGINT)
    lost = [l for l in err.splitlines() if "Exception ignored" in l or "KeyboardInterrupt" in l]   # where a Ctrl-C went
    assert code == 130 and err.strip().splitlines()[-1].startswith("saerl: interrupted"), (code, lost, err[-2000:])
    _interrupt(args, d, 4, signal.SIGKILL)
    before = {p.parent.name: p.stat().st_mtime_ns for p in (d/"results").glob("tiny/runs/*/summary.json")}
    assert len(before) >= 4
    p = subprocess.run(args, cwd=d, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-3000:]
    assert _git_status() == git_before                                  # nothing in the repository changed (the README included)
    return d, before, p.stdout


def test_every_artifact_in_the_manifest(reproduced):
    d, _, out = reproduced
    m = json.loads((d/"results"/"tiny"/"manifest.json").read_text())["artifacts"]
    assert list(m) == list(ARTIFACTS)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    for name, e in m.items():
        assert e["git_commit"] == head and e["seeds"] == [0] and e["notebook"] == f"nbs/paper/artifacts/{name}.ipynb"
        assert e["machine"]["cores"] == os.cpu_count() and e["machine"]["cpu"], e.get("machine")   # where its wall time was measured
        assert f"artifacts/{name}/{name}.ipynb" in e["files"] and any(f.endswith((".png", ".md")) for f in e["files"]), e
        for f in e["files"]: assert (d/"results"/"tiny"/f).stat().st_size > 0, f
        s = Summary.load(d/"results"/"tiny"/"artifacts"/name/"summary.json")      # every artifact says what it shows in a typed summary
        assert s.artifact == name and s.scale == "tiny" and s.seeds == [0], s
        assert "[artifact" in out and name in out
    assert not list((d/"results"/"tiny").rglob("*.failed.ipynb")) and not list((d/"results"/"tiny").rglob("*.previous"))


def test_killed_reproduction_keeps_finished_runs(reproduced):
    d, before, _ = reproduced
    after = {p.parent.name: p.stat().st_mtime_ns for p in (d/"results").glob("tiny/runs/*/summary.json")}
    assert all(after[k] == v for k, v in before.items())                # finished before the kill: not trained again
    for s in (d/"results").glob("tiny/runs/*/summary.json"): json.loads(s.read_text())   # no half-written file


def test_readme_shows_every_artifact(reproduced):
    d, _, _ = reproduced
    text = (d/"results"/"tiny"/"README.md").read_text()                  # a demo scale's page: in its own folder,
    assert not (d/"results"/"README.md").exists()                          # not in the shared results page
    for f in ("README.md", "manifest.json", "runs/vanilla__s0/summary.json"):   # and, made in the repository, git-ignored
        assert subprocess.run(["git", "check-ignore", "-q", f"results/tiny/{f}"], cwd=ROOT).returncode == 0, f
    assert "## What `tiny` shows" in text and "its numbers mean nothing" in text
    for name in ARTIFACTS: assert f"saerl reproduce --scale tiny --only {name}" in text


def test_rerun_only_one_artifact_trains_nothing(reproduced):
    d, _, _ = reproduced
    stale = d/"results"/"tiny"/"artifacts"/"fig2_training_curves"/"fig2_training_curves.old.csv"
    stale.write_text("a file an older version wrote\n")
    p = run_cli("reproduce", "--scale", "tiny", "--quiet", "--only", "fig2_training_curves", "--out", "results", cwd=d)   # --out: from the caller's folder
    assert p.returncode == 0, p.stderr[-2000:]
    assert "IPKernelApp" not in p.stderr, p.stderr[-2000:]              # the notebook's kernel starts without a warning a reader would chase
    assert p.stdout.count("complete, skipped") == 5 and "[artifact 1/1] fig2_training_curves" in p.stdout, p.stdout
    assert len(json.loads((d/"results"/"tiny"/"manifest.json").read_text())["artifacts"]) == len(ARTIFACTS)
    assert not stale.exists()                                            # the artifact's folder holds only what this run wrote


def test_jobs_below_one_is_a_one_line_error(tmp_path):
    from saerl.core import SaerlError
    from saerl.reproduce import reproduce
    with pytest.raises(SaerlError, match="jobs must be at least 1, got 0"): reproduce("tiny", out=tmp_path, jobs=0)
    assert not any(tmp_path.iterdir())                                   # nothing written before the check


def test_the_confirmatory_stores_settings_run_the_notebooks(reproduced, tmp_path):
    """The artifacts under the settings of the confirmatory store's exploratory artifacts (configs/overrides/confirm.yaml's
    `reproduce:`: the permuted control, the matched one, DAPO with dynamic sampling, a primary measure that is a mean of
    the last three evaluations, as the protocol's), run for real at tiny on the fixture's runs and the ones these settings
    add, into another results root."""
    d, _, _ = reproduced
    cfg = tmp_path/"store.yaml"
    cfg.write_text("reproduce:\n  seeds: [0]\n  sources: [sae, permuted, matched]\n  control: permuted\n  algorithm: dapo+dynamic\n  span: false\n"
                   "  curves: [vanilla, saerl, saerl@permuted, vanilla+dynamic]\n  primary: accuracy:last3\n")   # (tiny evaluates at steps 0, 2, 3; greedy only)
    p = run_cli("reproduce", "--scale", "tiny", "--quiet", "--config", cfg, "--only", "fig2_training_curves,tab1_main_results,tab2_ablations,"
                "fig3_mixing_ratio,fig5_quality_filter,tab4_algorithms,tab5_sae_seeds", "--out", tmp_path/"store", "--runs", d/"results", cwd=d)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "vanilla+dapo+dynamic seed 0" in p.stdout and "quality@permuted seed 0" in p.stdout, p.stdout
    art = tmp_path/"store"/"tiny"/"artifacts"
    tab4 = pd.read_csv(art/"tab4_algorithms"/"tab4_algorithms.csv")
    assert tab4.algorithm.tolist() == [scale_trainer_config("tiny").loss_type, "dapo+dynamic"], tab4
    why = {(c.a, c.b): c.why for c in Summary.load(art/"tab4_algorithms"/"summary.json").comparisons}
    assert why["saerl+dapo+dynamic", "vanilla+dapo+dynamic"] == "under the dapo loss with DAPO's dynamic sampling (the second algorithm)", why
    why = {(c.a, c.b): c.why for c in Summary.load(art/"tab2_ablations"/"summary.json").comparisons}
    assert why["saerl", "saerl@permuted"] == "the three operations with the SAE vs the SAE features permuted across prompts", why
    assert why["quality", "quality@permuted"] == "the operation alone with the SAE vs the SAE features permuted across prompts", why
    assert why["saerl", "saerl@matched"] == "the three operations with the SAE vs its own schedule with the prompts redrawn at matched pass rates", why
    tab5 = pd.read_csv(art/"tab5_sae_seeds"/"tab5_sae_seeds.csv")
    assert "sae vs permuted signal" in tab5.columns and tab5.set_index("measure").loc["schedule: trained_jaccard", "sae vs permuted signal"] < 1, tab5
    tab1 = pd.read_csv(art/"tab1_main_results"/"tab1_main_results.csv")
    assert set(tab1.condition) >= {"vanilla", "saerl", "saerl@permuted", "vanilla+dynamic"}, tab1
    # every artifact leads with the store's primary measure: the page's headline table and sentences are of it
    head = next(c for c in Summary.load(art/"tab1_main_results"/"summary.json").comparisons if c.role == "headline")
    assert (head.a, head.b, head.metric, head.over) == ("saerl", "vanilla", "greedy accuracy, mean of the last three evaluations", "last3"), head
    assert {"last3", "last3_delta", "last3_ci_low", "last3_ci_high"} <= set(tab1.columns), tab1.columns
    for n in ("tab2_ablations", "fig3_mixing_ratio", "fig5_quality_filter", "tab4_algorithms"):
        paired = pd.read_csv(next((art/n).glob("*.paired.csv")))
        assert paired.metric.iloc[0] == "accuracy:last3" and "accuracy" in set(paired.metric), (n, paired.metric.unique())
    assert set(tab4.measure) == {"accuracy:last3"}, tab4
    page = (tmp_path/"store"/"tiny"/"README.md").read_text()
    assert "Greedy accuracy, mean of the last three evaluations, paired by seed" in page, page[:3000]


def test_make_reproduce_splits_the_artifacts_between_its_two_stores():
    """`make reproduce` at mini: the confirmatory store makes the artifacts its config names (every one that reads runs),
    results/mini the others; each once, none left out, with ONLY too."""
    from saerl.artifacts import ReproduceConfig, artifacts, store_artifacts
    from saerl.config import load_config
    conf = ROOT/"configs"/"overrides"/"confirm.yaml"
    store = store_artifacts(load_config(ReproduceConfig, "mini", conf))
    def only(*make):
        out = subprocess.run(["make", "-n", "reproduce", *make], cwd=ROOT, capture_output=True, text=True).stdout
        cmds = [l for l in out.splitlines() if "saerl reproduce --scale mini" in l]
        get = lambda c: c.split("--only ")[1].split()[0].split(",") if c else []
        return (get(next((c for c in cmds if "--config configs/overrides/confirm.yaml" in c), "")),
                get(next((c for c in cmds if "--config" not in c), "")))
    assert store == [n for n, a in artifacts("mini", conf).items() if a.runs]
    assert only() == (store, [n for n in ARTIFACTS if n not in store])
    assert only("RETRAIN=1") == only()
    assert only("ONLY=tab3_sae_transfer,fig4_curriculum") == (["tab3_sae_transfer"], ["fig4_curriculum"])


def test_tab3_from_its_committed_measurements(reproduced, tmp_path):
    """A committed reproduction of tab3 reads what the notebook measured on the trained policy (beside the run), not the
    policy, which is not committed: the same table with the policy gone; without the measurements, it says so."""
    d, _, _ = reproduced
    run = d/"results"/"tiny"/"runs"/"saerl__s0"
    assert (run/"transfer"/"transfer.json").exists() and (run/"transfer"/"features.npz").exists()
    for split in ("label", "eval"):                      # the committed pass-rate tables a committed reproduction reads
        p = run_cli("passrates", "--scale", "tiny", "--split", split, "--out", tmp_path/"tiny"/"stages"/f"pass_rates_{split}.csv", cwd=d)
        assert p.returncode == 0, p.stderr[-2000:]
    (run/"policy").rename(run/"policy.away")
    try:
        p = run_cli("reproduce", "--scale", "tiny", "--quiet", "--committed", "--only", "tab3_sae_transfer", "--out", tmp_path, "--runs", d/"results", cwd=d)
        assert p.returncode == 0 and "[artifact 1/1] tab3_sae_transfer" in p.stdout, p.stdout + p.stderr[-2000:]
        got, want = (pd.read_csv(r/"tiny"/"artifacts"/"tab3_sae_transfer"/"tab3_sae_transfer.csv") for r in (tmp_path, d/"results"))
        pd.testing.assert_frame_equal(got, want)
        (run/"transfer").rename(run/"transfer.away")
        p = run_cli("reproduce", "--scale", "tiny", "--quiet", "--committed", "--only", "tab3_sae_transfer", "--out", tmp_path, "--runs", d/"results", cwd=d)
        assert p.returncode == 0 and "holds no measurements of saerl seed 0's trained policy" in p.stdout, p.stdout
    finally:
        for x in ("policy", "transfer"):
            if (run/f"{x}.away").exists(): (run/f"{x}.away").rename(run/x)
