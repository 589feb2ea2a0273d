"""Build the docs site into _docs/ with MkDocs (Material theme: navigation by layer, search) and mkdocs-jupyter.

The site mirrors the repository's paths, so that the README (the landing page) and the results page link as they do on
GitHub: `README.md` -> the home page, `results/README.md` and its figures, `docs/protocol.md`, and every notebook
under `nbs/<layer>/`, rendered with its outputs. The notebooks in git carry no outputs (`nbdev_clean`): each is
executed once into `_docs_cache/`, keyed by its content hash, and re-executed only when it changes (`--no-execute`
renders the cached copy, or the bare notebook when there is none). The paper artifacts' notebooks are the copies
`saerl reproduce` executed, shown as they are, folder by folder in the results page's order (`saerl.report.page_stores`:
`mini`, the confirmatory store's `confirm/mini`, then the superseded `mini-v1`). Install the tools with
`pip install -e '.[docs]'` (`make docs` does).

    python docs/build.py                 # _docs/index.html
    python docs/build.py --no-execute    # layout only: no notebook runs
"""
import argparse, hashlib, os, shutil, subprocess, sys, time
from pathlib import Path

import nbformat
import yaml
from nbconvert.preprocessors import ExecutePreprocessor

from saerl.core import read_json
from saerl.report import page_stores
from saerl.reproduce import QuietShutdownKernelManager, slim

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [("Tutorials", "tutorials"), ("Core", "core"), ("Pipeline", "pipeline"), ("Method", "method"),
          ("Experiment", "experiment"), ("Paper", "paper")]


def executed(nb: Path, cache: Path, run: bool, timeout: int = 900) -> Path:
    "`nb` with its outputs: the cached executed copy of this content, made now if `run`; else `nb` itself."
    out = cache/f"{nb.parent.name}__{nb.stem}__{hashlib.sha256(nb.read_bytes()).hexdigest()[:16]}.ipynb"
    if out.exists() or not run: return out if out.exists() else nb
    t = time.time()
    node = nbformat.read(nb, as_version=4)
    ExecutePreprocessor(timeout=timeout, kernel_name="python3", kernel_manager_class=QuietShutdownKernelManager,
                        extra_arguments=["--IPKernelApp.log_level=ERROR"]).preprocess(   # not ipykernel's warning per notebook that it talks over TCP
        node, {"metadata": {"path": str(nb.parent)}})
    cache.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp"); nbformat.write(node, tmp); tmp.rename(out)
    print(f"executed {nb.relative_to(ROOT)} ({time.time() - t:.0f}s)", flush=True)
    return out


def copy(src: Path, dest: Path):
    dest.parent.mkdir(parents=True, exist_ok=True); shutil.copy(src, dest)


def tidy(src: Path, dest: Path, artifact: bool = False):
    """Copy a notebook for reading: nbdev's `#| hide` and `#| default_exp` cells dropped and its other `#|` lines removed;
    in a paper artifact, its parameter cells dropped, its code folded away behind the outputs it made, and the warnings
    its libraries printed (stderr: scikit-learn's convergence warnings of the bootstrap fits) left to the stored executed
    notebook, which keeps them; in every notebook, the progress-bar widgets dropped (`slim`)."""
    nb = nbformat.read(src, as_version=4)
    keep = []
    for c in nb.cells:
        tags = set(c.metadata.get("tags", []))
        lines = c.source.splitlines()
        if c.cell_type == "code" and (tags & {"parameters", "injected-parameters"} or any(l.strip() in ("#| hide", "#|hide") or l.startswith("#| default_exp") for l in lines)):
            continue
        if c.cell_type == "code":
            c.source = "\n".join(l for l in lines if not l.startswith("#|")).strip("\n")
            if artifact:
                c.outputs = [o for o in c.outputs if not (o.output_type == "stream" and o.name == "stderr")]
                c.metadata["tags"] = sorted(tags | {"hide-input"}) if c.outputs else sorted(tags | {"hide"})
        keep.append(c)
    nb.cells = keep
    slim(nb)   # no progress-bar widgets: a static page cannot draw them, and their state makes the page load a widget manager from unpkg.com
    dest.parent.mkdir(parents=True, exist_ok=True); nbformat.write(nb, dest)


def stage(src: Path, run: bool, cache: Path) -> list:
    "Lay the site's sources out in `src` (the repository's paths) and return MkDocs' `nav`."
    copy(ROOT/"README.md", src/"index.md")
    copy(ROOT/"docs"/"protocol.md", src/"docs"/"protocol.md")
    nav = [{"Home": "index.md"}]
    results = []
    if (ROOT/"results"/"README.md").exists():
        copy(ROOT/"results"/"README.md", src/"results"/"README.md")
        for f in (ROOT/"results").rglob("*.png"): copy(f, src/f.relative_to(ROOT))   # the figures the page shows
        results.append({"Results page": "results/README.md"})
    nav.append({"Results": results + [{"Confirmatory protocol": "docs/protocol.md"}]})
    for title, layer in LAYERS:
        pages = []
        for nb in sorted((ROOT/"nbs"/layer).glob("*.ipynb")):
            rel = nb.relative_to(ROOT)
            tidy(executed(nb, cache, run), src/rel)
            pages.append({nb.stem.replace("_", " "): rel.as_posix()})
        if pages: nav.append({title: pages})
    arts = []
    for d in page_stores(ROOT/"results"):      # the results page's folders, in its order (mini, confirm/mini, mini-v1)
        for name in read_json(d/"manifest.json")["artifacts"]:   # executed by `saerl reproduce`: shown as they are
            nb = d/"artifacts"/name/f"{name}.ipynb"
            if not nb.exists(): continue
            rel = nb.relative_to(ROOT)
            tidy(nb, src/rel, artifact=True)
            arts.append({f"{d.relative_to(ROOT/'results').as_posix()}: {name}": rel.as_posix()})
    if arts: nav.append({"Paper artifacts": arts})
    return nav


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT/"_docs"))
    ap.add_argument("--cache", default=str(ROOT/"_docs_cache"), help="executed notebooks, by content hash")
    ap.add_argument("--no-execute", action="store_true", help="render cached executed copies, else the bare notebooks")
    a = ap.parse_args(argv)
    out, work = Path(a.out), Path(a.out + ".src")
    shutil.rmtree(work, ignore_errors=True); (src := work/"site").mkdir(parents=True)
    nav = stage(src, not a.no_execute, Path(a.cache))
    (src/"extra.css").write_text(".md-grid { max-width: 90rem; }\n")   # wider pages: the notebooks' tables and code lines
    (work/"mkdocs.yml").write_text(yaml.safe_dump({
        "site_name": "saerl", "docs_dir": "site", "site_dir": str(out.resolve()), "use_directory_urls": False,
        "site_description": "The open, notebook-first companion to SAERL (SAE-guided data engineering for RL post-training)",
        "theme": {"name": "material", "features": ["navigation.sections", "search.highlight", "content.code.copy"],
                  "font": False},      # the system's fonts: no request to Google Fonts, so the site reads the same offline
        "extra_css": ["extra.css"],
        "plugins": ["search", {"mkdocs-jupyter": {"execute": False, "include_source": True, "ignore_h1_titles": True,
                                                  "remove_tag_config": {"remove_cell_tags": ["hide"], "remove_input_tags": ["hide-input"]}}}],
        "markdown_extensions": ["tables", "admonition", {"toc": {"permalink": True}}],
        "nav": nav}, sort_keys=False))
    p = subprocess.run([str(Path(sys.executable).parent/"mkdocs"), "build", "--quiet", "-f", str(work/"mkdocs.yml")],
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if p.returncode: sys.exit(p.returncode)
    shutil.rmtree(work)
    print(f"site: {out/'index.html'}")


if __name__ == "__main__": main()
