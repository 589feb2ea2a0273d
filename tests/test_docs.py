"The docs site's layout (`docs/build.py`'s `stage`, no notebook executed): every committed paper artifact, in the results page's order."
import importlib.util, subprocess

from conftest import ROOT


def test_the_docs_show_every_committed_artifact_in_the_pages_order(tmp_path):
    spec = importlib.util.spec_from_file_location("docs_build", ROOT/"docs"/"build.py")
    build = importlib.util.module_from_spec(spec); spec.loader.exec_module(build)
    nav = build.stage(tmp_path/"src", False, tmp_path/"cache")
    arts = [next(iter(e.items())) for e in next(e["Paper artifacts"] for e in nav if "Paper artifacts" in e)]
    tracked = subprocess.run(["git", "ls-files", "results/*/artifacts/*/*.ipynb", "results/*/*/artifacts/*/*.ipynb"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert sorted(path for _, path in arts) == sorted(tracked) and tracked    # each committed artifact once, the store's too
    for label, path in arts:
        assert (tmp_path/"src"/path).exists() and label.endswith(": " + path.split("/")[-2]), (label, path)
    folders = list(dict.fromkeys(label.split(": ")[0] for label, _ in arts))
    assert folders == ["mini", "confirm/mini", "mini-v1"], folders          # the scale's own, the confirmatory store, the superseded record


def test_a_docs_page_keeps_no_progress_bar_widget(tmp_path):
    "A widget's saved state makes mkdocs-jupyter's page load a widget manager from unpkg.com: `tidy` drops them, outputs and state."
    import nbformat
    spec = importlib.util.spec_from_file_location("docs_build", ROOT/"docs"/"build.py")
    build = importlib.util.module_from_spec(spec); spec.loader.exec_module(build)
    widget = nbformat.v4.new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "0%|"})
    text = nbformat.v4.new_output("stream", name="stdout", text="done\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("run()", outputs=[widget, text])],
                                  metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})
    nbformat.write(nb, tmp_path/"a.ipynb")
    build.tidy(tmp_path/"a.ipynb", tmp_path/"out"/"a.ipynb")
    out = nbformat.read(tmp_path/"out"/"a.ipynb", as_version=4)
    assert "widgets" not in out.metadata and [o.output_type for o in out.cells[0].outputs] == ["stream"], out
