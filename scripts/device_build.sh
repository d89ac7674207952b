#!/usr/bin/env bash
# Builds the Qt-free targets (core, parallel, the headless CLIs) against the torch of the
# machine's python3, e.g. a CUDA libtorch on a GPU machine that has no Qt, FFmpeg or apt.
#
# Environment:
#   COSMOS3_BUILD_DIR         build folder (default: <repo>/build-device)
#   COSMOS3_JSON_INCLUDE_DIR  folder holding nlohmann/json.hpp when the package is not installed
#   COSMOS3_BUILD_TARGETS     space-separated targets to build (default: all)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
python_bin="$(command -v python3)"
torch_prefix="$("$python_bin" -c 'import torch.utils; print(torch.utils.cmake_prefix_path)')"

cmake -S "$repo_root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$torch_prefix" -DCOSMOS3_PYTHON="$python_bin" \
  -DCOSMOS3_BUILD_TESTS=OFF -DCOSMOS3_BUILD_STUDIO=OFF -DCOSMOS3_BUILD_MEDIA=OFF -DCOSMOS3_BUILD_TOKENIZER=OFF -DCOSMOS3_WARNINGS_AS_ERRORS=ON \
  ${COSMOS3_JSON_INCLUDE_DIR:+-DCOSMOS3_JSON_INCLUDE_DIR="$COSMOS3_JSON_INCLUDE_DIR"}
targets=()
for target in ${COSMOS3_BUILD_TARGETS:-}; do
  targets+=(--target "$target")
done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
