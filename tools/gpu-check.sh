#!/usr/bin/env bash
# The GPU session's one prepared check (run on the GPU machine from the repo root, after tools/gpu-bundle.sh here):
#   tools/gpu-check.sh [OUT_DIR] [DEADLINE_SECONDS]
# 1. LightGCN K=3 on Gowalla: seconds per epoch and full-ranking evaluation (cfbench bench) with the default kernel
#    (auto: csr on a GPU), then embedding-bag with and without row cuts, for comparison; 2. the PyTorch twin in the
#    same call, for the ratio; 3. with PROFILE=1, tools/gpu-kernels.py (the kernels alone, in PyTorch); 4. as many
#    epochs of `cfbench run --suite lightgcn-ablations --model LightGCN/K3` as fit before DEADLINE_SECONDS (counted
#    from the start of this script), evaluated every 20 epochs and recorded in OUT_DIR/gpu.db.
set -uo pipefail
out="${1:-${OUT:-/tmp/cfbench-gpu-out}}"
deadline="${2:-540}"
mkdir -p "$out"
work=/tmp/cfbench-gpu-check
rm -rf "$work" && mkdir -p "$work"
python3 -c "import tarfile,sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" .bundle/cfbench-gpu.tar.xz "$work"
b="$work/cfbench-gpu"
log() { echo "== $(date +%T) +${SECONDS}s $*"; }

log "machine"; nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda)'

log "cfbench bench LightGCN/K3 gowalla cuda (defaults)"
timeout 150 "$b/run.sh" bench --model LightGCN/K3 --dataset gowalla --device cuda --epochs 3 --warmup 1 2>&1 | tee "$out/bench-lightgcn.txt"
for max_bag in 32 0; do
  log "cfbench bench LightGCN/K3 gowalla cuda (propagation=embedding-bag max_bag=$max_bag)"
  timeout 90 "$b/run.sh" bench --model LightGCN/K3 --dataset gowalla --device cuda --epochs 2 --warmup 1 \
    --param propagation=embedding-bag --param max_bag=$max_bag 2>&1 | tee "$out/bench-lightgcn-embedding-bag-$max_bag.txt" | grep -E 'BENCH|rror'
done
log "twin (PyTorch $(python3 -c 'import torch;print(torch.__version__)'))"
timeout 120 "$b/run.sh" twin --device cuda --data "$b/data/gowalla" --epochs 3 2>&1 | tee "$out/twin.txt"
if [[ -n "${PROFILE:-}" ]]; then
  log "tools/gpu-kernels.py"
  timeout 120 python3 tools/gpu-kernels.py "$b/data/gowalla" 2>&1 | grep -v Warn | tee "$out/kernels.txt"
fi

spe=$(grep -o 'sec_per_epoch=[0-9.]*' "$out/bench-lightgcn.txt" | cut -d= -f2)
ev=$(grep -o 'eval_all_users_s=[0-9.]*' "$out/bench-lightgcn.txt" | cut -d= -f2)
budget=$((deadline - SECONDS - 45))
epochs=$(python3 -c "s=float('${spe:-0}' or 0); e=float('${ev:-0}' or 0); n=int(($budget-20)/(1.1*s+e/20+0.02)) if s>0 else 0; print(max(20, min(1000, n//20*20)))")
log "faithfulness: $epochs epochs of LightGCN/K3 on gowalla in ~${budget}s (sec/epoch ${spe:-?}, eval ${ev:-?} s)"
timeout $((budget + 30)) "$b/run.sh" run --suite lightgcn-ablations --dataset gowalla --model LightGCN/K3 --device cuda \
  --epochs "$epochs" --db "$out/gpu.db" 2>&1 | tee "$out/run.txt" | grep -vE '^\s+epoch ' || true
"$b/run.sh" runs list --db "$out/gpu.db" 2>&1 | tee "$out/runs.txt"
"$b/run.sh" runs show 1 --db "$out/gpu.db" > "$out/run-show.txt" 2>&1
log "done"
