#!/usr/bin/env bash
# Sourced by the scripts that run on a GPU machine (benchmarks/run_*.sh, tools/check_*.sh,
# scripts/device_engine_group.sh): what each of them needs before it measures anything.
#
#   source "$repo_root/scripts/device_tools.sh"
#   build_device_tools "$out" cosmos3-tool cosmos3-batch   # then "$bin/..." runs them
#   random_pipeline_folder nano "$work/nano" "$out"        # made once per machine

# Builds the targets with scripts/device_build.sh (its log in OUT/build.log, the tail printed on
# a failure), puts the tokenizer's libraries unpacked from .devdeps on the library path, and sets
# `bin` to the built app folder.
build_device_tools() {
  local out="$1"
  shift
  local repo_root
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  COSMOS3_BUILD_TARGETS="$*" bash "$repo_root/scripts/device_build.sh" > "$out/build.log" 2>&1 ||
    { tail -40 "$out/build.log"; return 1; }
  export LD_LIBRARY_PATH="${COSMOS3_DEVDEPS_PREFIX:-/tmp/cosmos3-devdeps}/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  bin="$repo_root/build-device/app"
}

# A pipeline folder of FAMILY at FOLDER unless one is there: random full-size weights on the GPU
# (cosmos3-tool make-random-checkpoint), or the embedded tiny checkpoint for "tiny". Its log goes
# to OUT/checkpoint.log. Needs build_device_tools first (cosmos3-tool).
random_pipeline_folder() {
  local family="$1" folder="$2" out="$3"
  [ -f "$folder/model_index.json" ] && return 0
  local start=$SECONDS
  if [ "$family" = tiny ]; then
    "$bin/cosmos3-tool" make-tiny-checkpoint "$folder" > "$out/checkpoint.log" 2>&1
  else
    "$bin/cosmos3-tool" make-random-checkpoint --family "$family" --device cuda "$folder" \
      > "$out/checkpoint.log" 2>&1
  fi
  echo "$family checkpoint written in $((SECONDS - start)) s ($(du -sh "$folder" | cut -f1))"
}
