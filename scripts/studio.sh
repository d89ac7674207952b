#!/usr/bin/env bash
# The README's main-job command: the Cosmos3 Studio window.
#
#   bash scripts/studio.sh [cosmos3-studio flags...]
#
# Installs what is missing (scripts/setup.sh), builds the studio with its worker and tool, and
# starts it. With no model configured the studio makes the embedded tiny checkpoint on first
# use and runs it on the CPU (its status bar says so); `--model DIR` (or the settings) points it
# at a real Cosmos3 diffusers folder, e.g. `--model /models/Cosmos3-Nano --device cuda --dtype
# bfloat16 --cp 2`. Without a display it says how to generate headless instead.
#
# Environment:
#   COSMOS3_BUILD_DIR    build folder (default: <repo>/build)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build}"

log() { printf '[studio] %s\n' "$*" >&2; }

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != offscreen ]; then
  log "no display (neither DISPLAY nor WAYLAND_DISPLAY is set): the studio needs one."
  log "Headless, the same engine runs from the command line:"
  log "  bash scripts/generate.sh \"A red ball rolls across a wooden table\"   (one video)"
  log "  build/app/batch/cosmos3-batch --model DIR JOBS.jsonl                (many jobs, one loaded model)"
  log "or start the studio under a virtual display: xvfb-run -a bash scripts/studio.sh"
  exit 1
fi

bash "$repo_root/scripts/setup.sh"
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S "$repo_root" -B "$build_dir" -G Ninja >/dev/null
fi
log "building cosmos3-studio, cosmos3-worker and cosmos3-tool"
cmake --build "$build_dir" --parallel "$(nproc)" \
  --target cosmos3-studio cosmos3-worker cosmos3-tool >/dev/null
exec "$build_dir/app/studio/cosmos3-studio" "$@"
