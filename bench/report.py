"A benchmark's Markdown report: a title, the command and code version it ran at, the machine's threads, its table."
import os, sys
from pathlib import Path

import torch

from saerl.core import git_state
from saerl.grpo import machine_info


def saerl_cmd() -> list[str]:
    "The saerl command line: the console script beside this Python where saerl is installed, else its `main` (a GPU machine has no install)."
    exe = Path(sys.executable).parent/"saerl"
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "import sys; from saerl.cli import main; sys.exit(main())"]


def ran_at() -> str:
    "The code version and the machine a bench ran on: commit (dirty or not), CPU model (family/model), torch's threads, cores."
    commit, dirty = git_state()
    cpu = machine_info()["cpu"]
    return (f"{commit[:7]}{' (dirty)' if dirty else ''}, {cpu.get('model name', '?')} (family {cpu.get('cpu family', '?')}, model {cpu.get('model', '?')}), "
            f"{torch.get_num_threads()} threads, {os.cpu_count()} cores")


def write_report(title: str, lines: list, out=None) -> str:
    "Print, and write to `out` when given, the report of this script's run: `title`, the command line at its commit, `lines`."
    text = "\n".join([f"# {title}", "", f"`python {Path(sys.argv[0]).as_posix()} {' '.join(sys.argv[1:])}` at {ran_at()}.", ""] + lines) + "\n"
    print(text)
    if out: Path(out).parent.mkdir(parents=True, exist_ok=True); Path(out).write_text(text)
    return text
