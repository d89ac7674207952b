#!/usr/bin/env bash
# Builds the Qt-free targets (core, parallel, the headless CLIs) against the torch of the
# machine's python3, e.g. a CUDA libtorch on a GPU machine that has no Qt, FFmpeg or apt.
#
# Environment:
#   COSMOS3_BUILD_DIR         build folder (default: <repo>/build-device)
#   COSMOS3_JSON_INCLUDE_DIR  folder holding nlohmann/json.hpp when the package is not installed
#   COSMOS3_BUILD_TARGETS     space-separated targets to build (default: all), e.g.
#                             cosmos3-fused-check (the fused CUDA kernels' check and timing,
#                             benchmarks/run_fused_check.sh) or cosmos3-bench-transformer
#
# Where nvcc is found (the GPU machines' image has it) the fused CUDA kernels of core/kernels
# are built too, for sm_90 (cmake/Cosmos3Cuda.cmake).
#
# With .devdeps/*.deb present (scripts/device_deps.sh fetches them where apt works), PCRE2, ICU
# and nlohmann/json are unpacked into a private prefix and the tokenizer, cosmos3-generate and
# cosmos3-worker are built too; without them those targets are left out.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
python_bin="$(command -v python3)"
torch_prefix="$("$python_bin" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')"

tokenizer=OFF
deps_prefix="${COSMOS3_DEVDEPS_PREFIX:-/tmp/cosmos3-devdeps}"
if compgen -G "$repo_root/.devdeps/*.deb" >/dev/null; then
  # Unpacked beside the system, never into it: the GPU machine's own libraries stay as they are.
  mkdir -p "$deps_prefix"
  for deb in "$repo_root"/.devdeps/*.deb; do dpkg -x "$deb" "$deps_prefix"; done
  export PKG_CONFIG_PATH="$deps_prefix/usr/lib/x86_64-linux-gnu/pkgconfig:$deps_prefix/usr/share/pkgconfig"
  export PKG_CONFIG_SYSROOT_DIR="$deps_prefix"
  export LD_LIBRARY_PATH="$deps_prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  COSMOS3_JSON_INCLUDE_DIR="${COSMOS3_JSON_INCLUDE_DIR:-$deps_prefix/usr/include}"
  tokenizer=ON
fi

cmake -S "$repo_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$torch_prefix" -DCOSMOS3_PYTHON="$python_bin" \
  -DCOSMOS3_BUILD_TESTS=OFF -DCOSMOS3_BUILD_STUDIO=OFF -DCOSMOS3_BUILD_MEDIA=OFF -DCOSMOS3_BUILD_HUB=OFF -DCOSMOS3_BUILD_TOKENIZER=$tokenizer -DCOSMOS3_WARNINGS_AS_ERRORS=ON \
  ${COSMOS3_JSON_INCLUDE_DIR:+-DCOSMOS3_JSON_INCLUDE_DIR="$COSMOS3_JSON_INCLUDE_DIR"}
targets=()
for target in ${COSMOS3_BUILD_TARGETS:-}; do
  targets+=(--target "$target")
done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
