#!/usr/bin/env bash
# Runs the bundled cfbench (or the PyTorch twin) against this machine's PyTorch libtorch.
#   run.sh bench|run|models|... ARGS   cfbench ARGS (data root: the bundle's data/ unless --data is given)
#   run.sh twin ARGS                   python3 lgcn_torch_twin.py ARGS
# Environment: PYTHON (default python3), TORCH_LIB (torch/lib folder; found from PyTorch when unset).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
python="${PYTHON:-python3}"
if [[ "${1:-}" == "twin" ]]; then shift; exec "$python" "$here/lgcn_torch_twin.py" "$@"; fi
if [[ -z "${TORCH_LIB:-}" ]]; then
  torch_dir="$("$python" -c 'import torch,os;print(os.path.dirname(torch.__file__))' 2>/dev/null)" \
    || { echo "run.sh: '$python' cannot import torch; set PYTHON or TORCH_LIB" >&2; exit 2; }
  TORCH_LIB="$torch_dir/lib"
fi
[[ -f "$TORCH_LIB/libtorch.so" ]] || { echo "run.sh: no libtorch.so in $TORCH_LIB" >&2; exit 2; }
version="$("$python" -c 'import torch;print(torch.__version__)' 2>/dev/null || echo unknown)"
echo "run.sh: libtorch from $TORCH_LIB (PyTorch $version; TorchSharp 0.107 is built for libtorch 2.10)" >&2
export LD_LIBRARY_PATH="$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1
has_data=0
for arg in "$@"; do [[ "$arg" == "--data" || "$arg" == --data=* ]] && has_data=1; done
if (( has_data )); then exec "$here/bin/cfbench" "$@"; fi
exec "$here/bin/cfbench" "$@" --data "$here/data"
