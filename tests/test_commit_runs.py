"""tools/commit_runs.sh commits a finished run of the confirmatory store only when every check passes, one commit a run,
and only its config, metrics and summary. `saerl export --check` is stubbed (tests/test_train.py tests the check it prints): the
stub prints the real one's last line: 50 of 50 steps for a run whose name has no `short`, 40 otherwise."""
import json, os, shutil, stat, subprocess, sys
from conftest import ROOT

STORE = "results/confirm/mini/runs"
FROZEN = "654c67c" + "0" * 33


def git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def make_run(repo, name, steps=50, commit=FROZEN, dirty=False, summary=True, scratch=True):
    "A run folder; `scratch`: with the checkpoint and TensorBoard files a trained run also holds (never committed)."
    d = repo/STORE/name
    d.mkdir(parents=True)
    if scratch:
        (d/"checkpoints"/"checkpoint-10").mkdir(parents=True)
        (d/"checkpoints"/"checkpoint-10"/"model.safetensors").write_bytes(b"weights")
        (d/"tensorboard").mkdir()
        (d/"tensorboard"/"events.out").write_bytes(b"events")
    cond = name.split("__")[0]
    (d/"config.json").write_text(json.dumps({"condition": {"name": cond}, "seed": 0,
                                             "environment": {"git_commit": commit, "git_dirty": dirty}}))
    (d/"metrics.jsonl").write_text('{"step": 1}\n')
    if summary: (d/"summary.json").write_text(json.dumps({"steps": steps}))


def test_commit_runs_commits_only_checked_runs(tmp_path):
    repo = tmp_path/"repo"
    (repo/"tools").mkdir(parents=True)
    shutil.copy(ROOT/"tools"/"commit_runs.sh", repo/"tools")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@t"); git(repo, "config", "user.name", "t")
    make_run(repo, "old__s0", scratch=False)          # the store already holds committed runs, as the repo's does
    git(repo, "add", STORE); git(repo, "commit", "-qm", "init")
    bin_ = tmp_path/"bin"; bin_.mkdir()
    os.symlink(sys.executable, bin_/"python")
    stub = bin_/"saerl"
    stub.write_text('#!/bin/sh\nrun=$(eval echo \\${$#})\ncase "$run" in\n'   # the last line the real one prints
                    '  *short*) echo "$run: 40 of 50 steps trained this schedule\'s batch (by prompt); the first that did not: step 41" ;;\n'
                    '  *) echo "$run: 50 of 50 steps trained this schedule\'s batch (by prompt)" ;;\nesac\n')
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)

    make_run(repo, "good__s0")
    make_run(repo, "short__s0")                       # export --check finds fewer steps
    make_run(repo, "fewsteps__s0", steps=40)          # the summary records fewer steps
    make_run(repo, "othercode__s0", commit="deadbee" + "0" * 33)
    make_run(repo, "dirty__s0", dirty=True)
    make_run(repo, "training__s0", summary=False)     # still training: passed over, not named
    out = subprocess.run(["bash", "tools/commit_runs.sh"], cwd=repo, capture_output=True, text=True,
                         env={**os.environ, "BIN": str(bin_)})
    assert out.returncode == 0, out.stderr

    log = git(repo, "log", "--format=%s").splitlines()
    assert len(log) == 2 and log[0].startswith("confirm store (exploratory, frozen code 654c67c): good seed 0"), log
    committed = sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split())
    assert committed == [f"{STORE}/good__s0/{f}" for f in ("config.json", "metrics.jsonl", "summary.json")], committed
    assert git(repo, "diff", "--cached", "--name-only") == ""     # nothing else staged
    for bad in ("short", "fewsteps", "othercode", "dirty"):
        assert f"{STORE}/{bad}__s0: " in out.stdout and not git(repo, "ls-files", f"{STORE}/{bad}__s0"), (bad, out.stdout)
    assert out.stdout.count("NOT committed") == 4 and "training__s0" not in out.stdout, out.stdout
