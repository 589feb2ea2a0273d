"""Build the docs site into _docs/: nbdev_docs (Quarto) when `quarto` is installed, else every notebook executed
and rendered to HTML with nbconvert, plus an index page. The PyPI package quarto-cli downloads Quarto from GitHub
when it is installed, which machines that reach only the package registries cannot do; hence the fallback."""
import argparse, html, shutil, subprocess, sys, time
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import ExecutePreprocessor

ROOT = Path(__file__).resolve().parent.parent


def pages(root: Path) -> list[tuple[str, Path, bool]]:
    "(title, notebook, execute?) for every page: the README, the module notebooks, the tutorials and the executed paper notebooks."
    nbs = root/"nbs"
    out = [("saerl", nbs/"index.ipynb", True)]
    out += [(p.stem, p, True) for p in sorted(nbs.glob("*/[0-9]*.ipynb"), key=lambda p: p.name)]   # nbs/<layer>/NN_name
    out += [(f"tutorial: {p.stem}", p, True) for p in sorted((nbs/"tutorials").glob("*.ipynb"))]
    for scale in ("mini", "tiny"):   # the reproduction's executed copies, already run by `saerl reproduce`
        out += [(f"{scale}: {p.stem}", p, False) for p in sorted((root/"results"/scale/"artifacts").glob("*/[ft][ia][gb]*.ipynb"))]
    return out


def render(nb_path: Path, execute: bool, timeout: int = 900) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    if execute: ExecutePreprocessor(timeout=timeout, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(nb_path.parent)}})
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    return body


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(ROOT/"_docs"))
    ap.add_argument("--no-execute", action="store_true", help="render stored outputs only")
    ap.add_argument("--only", help="comma-separated page stems (default: all)")
    a = ap.parse_args(argv)
    if shutil.which("quarto") and not a.only:
        sys.exit(subprocess.call([str(Path(sys.executable).parent/"nbdev_docs")], cwd=ROOT))
    out, tmp = Path(a.out), Path(a.out + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True); tmp.mkdir(parents=True)
    todo = [p for p in pages(ROOT) if not a.only or p[1].stem in a.only.split(",")]
    links = []
    for i, (title, nb, execute) in enumerate(todo, 1):
        t = time.time()
        name = ("index_readme" if nb.stem == "index" else f"{nb.parent.name}_{nb.stem}" if nb.parent.name != "nbs" else nb.stem) + ".html"
        (tmp/name).write_text(render(nb, execute and not a.no_execute))
        links.append((title, name))
        print(f"[{i}/{len(todo)}] {nb.relative_to(ROOT)} -> {name} ({time.time() - t:.0f}s)", flush=True)
    for png in (ROOT/"results").glob("*/artifacts/*/*.png"): shutil.copy(png, tmp/f"{png.parents[2].name}_{png.name}")
    items = "\n".join(f'<li><a href="{n}">{html.escape(t)}</a></li>' for t, n in links)
    (tmp/"index.html").write_text(f"""<!doctype html><html><head><meta charset="utf-8"><title>saerl</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}} li{{margin:.2rem 0}}</style></head>
<body><h1>saerl</h1><p>The open, notebook-first companion to <em>Guiding LLM Post-training Data Engineering with Model Internals
from Sparse Autoencoders</em> (SAERL). Each page is a notebook of the repository, executed when the site was built.</p>
<ul>{items}</ul></body></html>""")
    shutil.rmtree(out, ignore_errors=True); tmp.rename(out)
    print(f"site: {out/'index.html'}")


if __name__ == "__main__": main()
