".ci/run times `make test`'s steps one by one: the steps it runs are the Makefile's `test` prerequisites, in order."
import re
from conftest import ROOT


def test_ci_runs_the_steps_of_make_test():
    test = re.search(r"^test: (.+)$", (ROOT/"Makefile").read_text(), re.M).group(1).split()
    steps = re.search(r"for step in ([^;]+);", (ROOT/".ci"/"run").read_text()).group(1).split()
    assert steps == ["install", *test], (steps, test)   # a step added to `make test` but not to CI would go untested
