#!/usr/bin/env bash
# Builds a self-contained cfbench for a GPU machine that has PyTorch but no .NET and no internet:
#   tools/gpu-bundle.sh [--data DIR] [--datasets gowalla,...] [--out .bundle]
# It publishes cfbench for linux-x64 with -p:TorchBackend=system (no libtorch inside: at run time it uses the
# machine's PyTorch torch/lib), adds the plugins built the same way, bench.json, the dataset cards, the data of the
# named datasets, the LightGCN PyTorch twin (../shared/tools/lgcn_torch_twin.py) and run.sh, and packs it all into
# <out>/cfbench-gpu.tar.zst. The build happens in a copy of the sources under <out>/src, so the working tree's
# own build output (artifacts/, obj/) is left alone. On the GPU machine:
#   tar --zstd -xf cfbench-gpu.tar.zst && cfbench-gpu/run.sh bench --model LightGCN --dataset gowalla
#   cfbench-gpu/run.sh twin --device cuda --data cfbench-gpu/data/gowalla
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
data_root="$here/../shared/datasets"
datasets="gowalla"
out="$here/.bundle"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data_root="$2"; shift 2 ;;
    --datasets) datasets="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "gpu-bundle: unknown argument '$1' (expected --data DIR, --datasets a,b, --out DIR)" >&2; exit 2 ;;
  esac
done
twin="$here/../shared/tools/lgcn_torch_twin.py"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
src="$out/src"
stage="$out/cfbench-gpu"
archive="$out/cfbench-gpu.tar.xz"

echo "gpu-bundle: copying sources to $src"
rm -rf "$stage" "$archive"
rm -rf "$src"
mkdir -p "$src" "$stage"
# Tracked and untracked-but-not-ignored files: the working tree as it is, without build output or data.
git -C "$here" ls-files -z --cached --others --exclude-standard | (cd "$here" && tar --null -T - -cf -) | tar -C "$src" -xf -

echo "gpu-bundle: publishing cfbench (linux-x64, self-contained, TorchBackend=system)"
dotnet publish "$src/host/CFBench.Cli/CFBench.Cli.csproj" -c Release -r linux-x64 --self-contained true \
  -p:TorchBackend=system -o "$stage/bin" -nologo -v quiet -clp:ErrorsOnly
for plugin in "$src"/plugins/*/; do
  name="$(basename "$plugin")"
  [[ -f "$plugin/$name.csproj" ]] || continue
  echo "gpu-bundle: building plugin $name"
  dotnet build "$plugin/$name.csproj" -c Release -p:TorchBackend=system -p:PluginOutDir="$stage/bin/plugins/$name/" \
    -nologo -v quiet -clp:ErrorsOnly
done

# The publish step must have marked GLIBCXX_3.4.32 weak (build/WeakenGlibcxxVersion.targets, AfterTargets=Publish).
lib="$stage/bin/libLibTorchSharp.so"
[[ -f "$lib" ]] || { echo "gpu-bundle: $lib missing from the publish output" >&2; exit 1; }
if command -v readelf > /dev/null; then
  if readelf -V "$lib" | grep -q "GLIBCXX_3.4.32.*Flags: none"; then
    echo "gpu-bundle: GLIBCXX_3.4.32 is still a hard requirement of $lib" >&2; exit 1
  fi
fi
if ls "$stage/bin" | grep -qE '^lib(torch|torch_cpu|c10)\.so'; then
  echo "gpu-bundle: the publish output carries a libtorch; TorchBackend=system should not" >&2; exit 1
fi

mkdir -p "$stage/data"
IFS=',' read -ra names <<< "$datasets"
for name in "${names[@]}"; do
  [[ -d "$data_root/$name" ]] || { echo "gpu-bundle: no data for '$name' under $data_root" >&2; exit 1; }
  cp -r "$data_root/$name" "$stage/data/$name"
  [[ -f "$stage/bin/datasets/$name/dataset.json" ]] || echo "gpu-bundle: warning: no dataset card for '$name' (cfbench bench --dataset $name will not find it)" >&2
done
[[ -f "$twin" ]] && cp "$twin" "$stage/lgcn_torch_twin.py" || echo "gpu-bundle: warning: $twin not found; the bundle has no twin" >&2
cp "$here/tools/gpu-run.sh" "$stage/run.sh"
chmod +x "$stage/run.sh" "$stage/bin/cfbench"

echo "gpu-bundle: packing $archive"
tar -C "$out" -cf - "$(basename "$stage")" | xz -6 -T0 > "$archive"
size=$(stat -c %s "$archive")
echo "gpu-bundle: $archive $((size / 1024 / 1024)) MiB ($size bytes)"
if (( size > 40 * 1024 * 1024 )); then echo "gpu-bundle: the bundle exceeds 40 MiB" >&2; exit 1; fi
