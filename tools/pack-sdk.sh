#!/usr/bin/env bash
# Packs the plugin SDK into a local NuGet folder: the packages build/SdkPackages.slnx lists (CFBench.Contracts,
# CFBench.Sdk, and CFBench.Templates, the `dotnet new cfbench-plugin` template). A plugin built from the template
# compiles against them anywhere on disk, without a checkout.
#   tools/pack-sdk.sh [OUT]        OUT defaults to artifacts/sdk/
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$repo/artifacts/sdk}")"
mkdir -p "$out"
# A private build folder: packing writes nothing into host/ (which would make ./cfbench rebuild).
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT

dotnet pack "$repo/build/SdkPackages.slnx" -c Release -nologo -v quiet -clp:ErrorsOnly --disable-build-servers \
  --artifacts-path "$build" -p:Authors=CFBench

# NuGet keeps the first copy of a package version it extracts: drop the cached copies of what was just packed,
# so that the next restore of a plugin takes these packages, not an older pack of the same version.
cache="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
for nupkg in "$build"/package/release/*.nupkg; do
  name="$(basename "$nupkg" .nupkg)"                                   # CFBench.Sdk.2.0.0
  version="$(grep -oE '[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$' <<<"$name")"
  id="${name%."$version"}"
  if [[ -n "$cache" ]]; then rm -rf "${cache%/}/${id,,}/$version"; fi
  cp "$nupkg" "$out/"
  echo "packed $out/$(basename "$nupkg")"
done
