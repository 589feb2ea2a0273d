#!/usr/bin/env bash
# Prepare, on this machine, what the GPU check (bench/device_check.py) carries to a GPU machine in `.devcheck/`
# (git-ignored): the wheels its image lacks, a stub for what is imported but never used there, the tiny model and the
# shape stand-ins' tokenizers (the SmolLM2 GGUF cannot travel), the tiny pool and a tiny SAE. Then the size check:
# the tracked tree and `.devcheck/` together must stay under the 64 MiB a device call carries.
#   bash bench/device_pack.sh            # then: run(command="bash bench/device_check.sh $OUT", carry=[".devcheck"])
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
D=.devcheck
rm -rf $D.tmp && mkdir -p $D.tmp/wheels $D.tmp/cache
# The image has torch, transformers 5.17, accelerate, scikit-learn, pandas, pyarrow, matplotlib, seaborn, tensorboard,
# jaxtyping, einops (/work/.library/device/KINDS.md); these are the ones saerl's train and features paths import on top.
$BIN/python -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d $D.tmp/wheels \
  trl==1.16.0 sae-lens==6.54.12 transformer-lens==3.9.0 datasets==5.2.0 dill==0.4.1 multiprocess==0.70.19 \
  better-abc==0.0.3 simple-parsing==0.1.9 docstring-parser==0.18.0 typeguard==4.4.4 fancy-einsum==0.0.3 beartype==0.22.9
# wandb (20 MB) is imported by transformer-lens's training module, never called on these paths: a stub stands in.
mkdir -p $D.tmp/stubs/wandb && echo '"A stand-in: the GPU check imports transformer-lens, which imports wandb; nothing calls it."' > $D.tmp/stubs/wandb/__init__.py
# Models (config, tokenizer; the tiny model's small weights), the pool and an SAE, built here from the GGUF.
(cd bench && SAERL_CACHE=$PWD/../$D.tmp/cache ../$BIN/python -c "
import json
from device_check import TOY_SHAPE
from saerl.model import ModelConfig, model_dir
open('../$D.tmp/toy_shape.json', 'w').write(json.dumps(TOY_SHAPE))   # the --dry run's architecture
for n in ('tiny', 'shape:qwen2.5-math-1.5b', 'shape:qwen2.5-0.5b', 'shape:$PWD/../$D.tmp/toy_shape.json'): print(model_dir(ModelConfig(name=n)))")
$BIN/saerl pool --scale tiny --out $D.tmp/pool.jsonl > /dev/null
SAERL_CACHE=$PWD/$D.tmp/cache $BIN/saerl sae --scale tiny --pool $D.tmp/pool.jsonl --save $D.tmp/sae --quiet > /dev/null
rm -rf $D.tmp/cache/saes $D.tmp/cache/pools $D.tmp/cache/passrates $D.tmp/cache/features $D.tmp/cache/evals $D.tmp/cache/embeddings
rm -rf $D && mv $D.tmp $D
# What travels: tracked files and untracked ones git does not ignore (an unfinished run's files among them), and .devcheck.
tree=$(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
carried=$(du -sb $D | cut -f1)
total=$((tree + carried))
printf 'working tree %.1f MiB + %s %.1f MiB = %.1f MiB (limit 64 MiB)\n' "$(echo "$tree/1048576" | bc -l)" $D "$(echo "$carried/1048576" | bc -l)" "$(echo "$total/1048576" | bc -l)"
du -sh $D/* | sort -h
[ $total -lt $((64 * 1048576)) ] || { echo "device_pack: over the 64 MiB a device call carries" >&2; exit 1; }
