#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything and runs the whole
# suite with CTest. Safe to re-run; later runs reuse the venv, the build folder and ccache.
#
# Environment:
#   COSMOS3_BUILD_DIR   build folder (default: <repo>/build)
#   CI=true             treat compiler warnings as errors
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build}"
warnings_as_errors=OFF
if [ "${CI:-}" = true ]; then
  warnings_as_errors=ON
fi

bash "$repo_root/scripts/setup.sh"
cmake -S "$repo_root" -B "$build_dir" -G Ninja \
  -DCOSMOS3_WARNINGS_AS_ERRORS="$warnings_as_errors"
cmake --build "$build_dir" --parallel "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)"
