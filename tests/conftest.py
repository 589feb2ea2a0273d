import os, signal, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAERL = Path(sys.executable).parent/"saerl"


def run_cli(*args, env=None, **kw):
    "Run the installed `saerl` console script; return the CompletedProcess."
    return subprocess.run([str(SAERL), *map(str, args)], capture_output=True, text=True, cwd=kw.pop("cwd", ROOT),
                          env={**os.environ, **(env or {})}, **kw)


def run_clis(*commands) -> list:
    "Run several `saerl` commands (each a tuple of arguments) at once, from the repo root; their CompletedProcess, in order."
    procs = [subprocess.Popen([str(SAERL), *map(str, c)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for c in commands]
    outs = [p.communicate() for p in procs]
    return [subprocess.CompletedProcess(p.args, p.returncode, *o) for p, o in zip(procs, outs)]


def popen_foreground(args, **kw):
    """`subprocess.Popen` as a terminal runs a foreground job: SIGINT (Ctrl-C) at its default, even when the tests run as a
    background job, whose children inherit an ignored SIGINT (and Python then never raises KeyboardInterrupt)."""
    return subprocess.Popen(args, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kw)


def build_once(tmp_path_factory, name):
    """Call first in a fixture shared by one file's tests (session scope, and that file's `xdist_group`): fails when a second
    xdist worker builds it, i.e. when `--dist loadgroup` split the group. It did so silently with pytest 9.2
    (pytest-dev/pytest-xdist#1386: the group is written into a node id that pytest 9.2 no longer reads), building the
    tiny reproduction twice; hence the pytest pin in settings.ini."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None: return
    flag = tmp_path_factory.getbasetemp().parent/f"{name}.built"     # this run's folder, shared by its workers
    try: flag.touch(exist_ok=False)
    except FileExistsError:
        pytest.fail(f"{name}: built again on worker {os.environ['PYTEST_XDIST_WORKER']}: --dist loadgroup split its group")


@pytest.fixture(scope="session")
def smollm2():
    from saerl.model import ModelConfig, load_policy
    return load_policy(ModelConfig(name="smollm2"))
