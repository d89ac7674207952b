#!/usr/bin/env bash
# The README's main-job command: a video from a prompt, written as a playable MP4.
#
#   bash scripts/generate.sh ["PROMPT"] [cosmos3-generate flags...]
#
# Installs what is missing (scripts/setup.sh), builds the generator, and, unless
# COSMOS3_MODEL_DIR names a real Cosmos3 diffusers folder, makes the embedded tiny checkpoint
# (random weights in the real format, made by cosmos3-tool) on first use. The tiny checkpoint
# gets a small, quick default request (17 frames of 192x128, 4 steps); a real model gets the
# reference's defaults (189 frames of 1280x720, 35 steps) unless flags say otherwise. Extra
# flags go to cosmos3-generate as they are (e.g. --device cuda --dtype bfloat16 --cp 2).
#
# Environment:
#   COSMOS3_MODEL_DIR    a Cosmos3 pipeline folder (default: the tiny checkpoint in .cache/)
#   COSMOS3_OUTPUT_DIR   where the video goes (default: outputs/<date-time>/)
#   COSMOS3_BUILD_DIR    build folder (default: <repo>/build)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build}"
tiny_dir="$repo_root/.cache/tiny-checkpoint"
model_dir="${COSMOS3_MODEL_DIR:-$tiny_dir}"
output_dir="${COSMOS3_OUTPUT_DIR:-$repo_root/outputs/$(date +%Y%m%d-%H%M%S)}"
prompt="A red ball rolls across a wooden table, then stops next to a blue cup."
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  prompt="$1"
  shift
fi

log() { printf '[generate] %s\n' "$*" >&2; }

bash "$repo_root/scripts/setup.sh"
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S "$repo_root" -B "$build_dir" -G Ninja >/dev/null
fi
log "building cosmos3-generate and cosmos3-tool"
cmake --build "$build_dir" --parallel "$(nproc)" --target cosmos3-generate cosmos3-tool >/dev/null

request=()
if [ "$model_dir" = "$tiny_dir" ]; then
  if [ ! -f "$tiny_dir/model_index.json" ]; then
    log "making the embedded tiny checkpoint in $tiny_dir"
    rm -rf "$tiny_dir.partial"
    "$build_dir/app/cosmos3-tool" make-tiny-checkpoint "$tiny_dir.partial" --seed 0 >&2
    mv "$tiny_dir.partial" "$tiny_dir"
  fi
  log "the tiny checkpoint has random weights: expect moving noise, not the prompt"
  # Small defaults, each unless the caller passed that flag (cosmos3-generate refuses repeats).
  for default in "--num-frames 17" "--height 128" "--width 192" "--steps 4" "--seed 0"; do
    read -r flag value <<<"$default"
    if ! printf '%s\n' "$@" | grep -qx -- "$flag"; then
      request+=("$flag" "$value")
    fi
  done
fi

log "generating into $output_dir"
"$build_dir/app/cosmos3-generate" --model "$model_dir" --prompt "$prompt" \
  --output-dir "$output_dir" "${request[@]}" "$@"
for sample in "$output_dir/sample.mp4" "$output_dir/sample.jpg"; do
  if [ -f "$sample" ]; then
    echo "wrote $sample"
  fi
done
