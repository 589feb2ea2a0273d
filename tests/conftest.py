import os, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAERL = Path(sys.executable).parent/"saerl"


def run_cli(*args, env=None, **kw):
    "Run the installed `saerl` console script; return the CompletedProcess."
    return subprocess.run([str(SAERL), *map(str, args)], capture_output=True, text=True, cwd=kw.pop("cwd", ROOT),
                          env={**os.environ, **(env or {})}, **kw)


@pytest.fixture(scope="session")
def smollm2():
    from saerl.model import ModelConfig, load_policy
    return load_policy(ModelConfig(name="smollm2"))
