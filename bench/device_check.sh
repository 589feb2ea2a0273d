#!/usr/bin/env bash
# The GPU check on the GPU machine: install the wheels bench/device_pack.sh carried (no registry there), then
# bench/device_check.py into OUT. On this machine, `--dry` runs it at toy sizes with .venv's own packages.
#   bash bench/device_check.sh OUT [--dry]
set -uo pipefail
out=${1:?usage: bash bench/device_check.sh OUT [--dry]}; shift
cd "$(dirname "$0")/.."
D=$PWD/.devcheck
[ -d $D/wheels ] || { echo "device_check: $D/wheels missing: run bash bench/device_pack.sh first (and carry .devcheck)" >&2; exit 1; }
PY=${PY:-python3}
if [ "${1:-}" != "--dry" ]; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site $D/wheels/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$D/stubs:$PWD:${PYTHONPATH:-}
fi
export SAERL_CACHE=${SAERL_CACHE:-$D/cache} PYTHONUNBUFFERED=1 TQDM_DISABLE=1
mkdir -p "$out"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1 || true
$PY bench/device_check.py --out "$out" --carried $D "$@" 2>&1 | tee "$out/device_check.log"
exit ${PIPESTATUS[0]}
