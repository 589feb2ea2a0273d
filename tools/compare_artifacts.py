"""Compare every table of a scale's artifacts with the same table at an earlier commit (the redesign's acceptance check).

    python tools/compare_artifacts.py [--scale mini] [--base 60e73b4]

Before saerl 0.2 an artifact's files lay in `results/<scale>/<file>`; since 0.2 in `results/<scale>/artifacts/<name>/<file>`
(a base commit of either layout is read). For each CSV the base commit had, it reads both versions and reports whether
every value is identical (numbers to the last bit, text exactly), or the largest difference and how many rows differ
by more than 1e-4. It exits 1 when any table differs or is missing.
"""
import argparse, io, subprocess, sys
from pathlib import Path

import numpy as np
import pandas as pd

from saerl.artifacts import ARTIFACTS


def at_commit(commit: str, path: str) -> str | None:
    p = subprocess.run(["git", "show", f"{commit}:{path}"], capture_output=True, text=True)
    return p.stdout if p.returncode == 0 else None


def old_tables(commit: str, scale: str, name: str) -> list[str]:
    "The paths of `name`'s CSVs at `commit`, in either layout."
    ls = subprocess.run(["git", "ls-tree", "-r", "--name-only", commit, f"results/{scale}/"], capture_output=True, text=True).stdout.split()
    return sorted(f for f in ls if Path(f).name.startswith(name + ".") and f.endswith(".csv")
                  and Path(f).parent in (Path("results")/scale, Path("results")/scale/"artifacts"/name))


def compare(old: pd.DataFrame, new: pd.DataFrame) -> str:
    if list(old.columns) != list(new.columns): return f"columns differ: {list(old.columns)} vs {list(new.columns)}"
    if old.shape != new.shape: return f"shape {old.shape} vs {new.shape}"
    worst, rows = 0.0, np.zeros(len(old), bool)
    for c in old.columns:
        a, b = old[c], new[c]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            x, y = a.to_numpy(float), b.to_numpy(float)
            if np.array_equal(x, y, equal_nan=True): continue
            fin = np.isfinite(x)
            if not (fin == np.isfinite(y)).all() or not np.array_equal(x[~fin], y[~fin], equal_nan=True):
                return f"column {c}: NaN or infinity in different rows"
            worst = max(worst, float(np.abs(x[fin] - y[fin]).max()))
            rows[fin] |= np.abs(x[fin] - y[fin]) > 1e-4
        elif not a.astype(str).equals(b.astype(str)): return f"column {c}: text differs"
    return "identical" if worst == 0 else f"max |difference| {worst:.3g}; {rows.sum()} of {len(rows)} rows differ by more than 1e-4"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="mini"); ap.add_argument("--base", default="60e73b4")
    a = ap.parse_args(argv)
    bad = 0
    for name in ARTIFACTS:
        for old in old_tables(a.base, a.scale, name):
            f = Path(old).name
            new_path = Path("results")/a.scale/"artifacts"/name/f
            if not new_path.exists(): print(f"{name}/{f}: MISSING"); bad += 1; continue
            verdict = compare(pd.read_csv(io.StringIO(at_commit(a.base, old))), pd.read_csv(new_path))
            print(f"{name}/{f}: {verdict}")
            bad += verdict != "identical"
    print(f"{'all tables identical' if not bad else f'{bad} table(s) differ or are missing'} (base {a.base})")
    return int(bad > 0)


if __name__ == "__main__": sys.exit(main())
