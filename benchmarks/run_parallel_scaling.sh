#!/usr/bin/env bash
# Issue 8: scaling of CFG, tensor and context parallelism, in one call on a GPU machine. Builds
# cosmos3-bench-parallel and cosmos3-launch, then times one CFG step (cond + uncond forward) of
# random-weight full-size models in bf16 for each layout: measured with cosmos3-launch when the
# machine has enough GPUs, otherwise predicted from one rank's compute (--simulate-rank) plus
# its collectives' bytes over an assumed link bandwidth. Beside it, the diffusers baseline.
#
#   benchmarks/run_parallel_scaling.sh [OUTPUT.md]      (default $OUT/parallel_scaling.md, or
#                                                       ./parallel_scaling.md without $OUT)
#
# Environment:
#   COSMOS3_BUILD_DIR          build folder (default <repo>/build-device); COSMOS3_SKIP_BUILD=1
#                              reuses it as it is
#   COSMOS3_SCALING_PARTS      any of "nano720 nano480 super baseline" (default: all four), to
#                              split the run over several calls
#   COSMOS3_ASSUMED_LINK_GBPS  bus bandwidth for predictions, GB/s per GPU (default 300)
#   COSMOS3_DIFFUSERS_WHEELS   folder of wheels (diffusers and what it needs) installed with pip
#                              --target when python cannot import diffusers (default <repo>/.whl)
#   COSMOS3_DIFFUSERS_SRC      a diffusers source tree holding examples/cosmos3/cosmos_parallel.py
#                              (the seed PR's helpers): its src/ goes first on PYTHONPATH and the
#                              baseline runs the multi-GPU layouts too
#   COSMOS3_PYTHON             the python with torch (default python3)
#   COSMOS3_SCALING_SMOKE=1    a check of this script on a CPU machine: tiny shapes, one layer,
#                              float32, CPU ranks, 2 "GPUs" (with COSMOS3_SKIP_BUILD=1 and
#                              COSMOS3_BUILD_DIR=build after building the two targets there)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
output="${1:-${OUT:-.}/parallel_scaling.md}"
parts="${COSMOS3_SCALING_PARTS:-nano720 nano480 super baseline}"
link_gbps="${COSMOS3_ASSUMED_LINK_GBPS:-300}"
python="${COSMOS3_PYTHON:-python3}"
log_dir="$(dirname "$output")/parallel_scaling_logs"
mkdir -p "$log_dir"
bench="$build_dir/app/cosmos3-bench-parallel"
launch="$build_dir/app/cosmos3-launch"
started=$(date +%s)

if [[ "${COSMOS3_SKIP_BUILD:-0}" != 1 ]]; then
  COSMOS3_BUILD_DIR="$build_dir" COSMOS3_BUILD_TARGETS="cosmos3-bench-parallel cosmos3-launch" \
    bash "$repo_root/scripts/device_build.sh" >"$log_dir/build.log" 2>&1 ||
    { tail -40 "$log_dir/build.log"; exit 1; }
fi

# What runs: full-size bf16 on GPUs, or the tiny CPU check of this script.
if [[ "${COSMOS3_SCALING_SMOKE:-0}" == 1 ]]; then
  num_gpus=2
  gpu_name="CPU (smoke test of the script)"
  device=cpu
  model_flags=(--dtype float32 --num-layers 1)
  size_720="64 64 5" size_480="48 48 9" steps=1 warmup=0 super_steps=1
  export OMP_NUM_THREADS=1
else
  num_gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
  if [[ "$num_gpus" -eq 0 ]]; then
    num_gpus=$("$python" -c 'import torch; print(torch.cuda.device_count())' 2>/dev/null || echo 0)
  fi
  [[ "$num_gpus" -ge 1 ]] || { echo "run_parallel_scaling.sh: no GPU found" >&2; exit 1; }
  gpu_name=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 || echo GPU)
  device=cuda
  model_flags=(--dtype bfloat16)
  # About 8 minutes on one H200 with the build; Super takes 2 steps, each layout ~10 s of setup.
  size_720="720 1280 189" size_480="480 832 93" steps=3 warmup=1 super_steps=2
fi
rows=()
traffic=()
notes=()

has_part() { [[ " $parts " == *" $1 "* ]]; }

# One row per command: its last markdown row, or a "failed" row naming its last error line; and
# what its collectives carried (under the launcher rank 0's stderr arrives on stdout).
add_row() {
  local name=$1 fallback=$2 row collectives
  shift 2
  "$@" >"$log_dir/$name.out" 2>"$log_dir/$name.err" || true
  row=$(grep '^| ' "$log_dir/$name.out" | tail -1 || true)
  if [[ -n "$row" ]]; then
    rows+=("$row")
    collectives=$(grep -h -o 'collectives per step on rank 0: .*' "$log_dir/$name.out" \
                  "$log_dir/$name.err" | tail -1 || true)
    traffic+=("- ${name}: ${collectives#collectives per step on rank 0: }")
  else
    rows+=("$fallback failed: $(tail -1 "$log_dir/$name.err" | tr '|' '/') |")
  fi
  echo "${rows[-1]}" >&2
}

# The step seconds of the last row (its 6th column), or 0 when that run failed.
last_step_seconds() {
  local seconds
  seconds=$(awk -F'|' '{gsub(/ /, "", $7); print $7}' <<<"${rows[-1]}")
  [[ "$seconds" =~ ^[0-9.]+$ ]] && echo "$seconds" || echo 0
}

# run_ours FAMILY "H W FRAMES" CFG TP CP STEPS [more flags]
run_ours() {
  local family=$1 size=$2 cfg=$3 tp=$4 cp=$5 num_steps=$6 height width frames
  shift 6
  read -r height width frames <<<"$size"
  local ranks=$((cfg * tp * cp)) name="${family}_${height}p_cfg${cfg}_tp${tp}_cp${cp}"
  local flags=(--family "$family" --height "$height" --width "$width" --frames "$frames"
               --text-tokens 300 --cfg "$cfg" --tp "$tp" --cp "$cp" --steps "$num_steps"
               --warmup "$warmup" --device "$device" "${model_flags[@]}"
               --assumed-link-gbps "$link_gbps" "$@")
  local command=("$bench" "${flags[@]}")
  if [[ $ranks -gt 1 && $ranks -le $num_gpus ]]; then
    command=("$launch" --nproc "$ranks" --log-dir "$log_dir/$name" -- "$bench" "${flags[@]}")
  elif [[ $ranks -gt 1 ]]; then
    command+=(--simulate-rank)
  fi
  add_row "$name" "| $family | ${height}x${width}x${frames} | cfg $cfg x tp $tp x cp $cp | $ranks |" \
    "${command[@]}"
}

# Nano: 1 GPU; CP 2/4/8; TP 2/4/8; CFG 2 x CP 2/4; TP 2 x CP 2/4.
run_nano() {
  local size=$1 reference
  run_ours nano "$size" 1 1 1 "$steps"
  reference=$(last_step_seconds)
  for layout in "1 1 2" "1 1 4" "1 1 8" "1 2 1" "1 4 1" "1 8 1" "2 1 2" "2 1 4" "1 2 2" "1 2 4"; do
    read -r cfg tp cp <<<"$layout"
    run_ours nano "$size" "$cfg" "$tp" "$cp" "$steps" --reference-step-seconds "$reference"
  done
}

if has_part nano720; then run_nano "$size_720"; fi
if has_part nano480; then run_nano "$size_480"; fi
# Super: 64.0 B parameters, 119 GiB of bf16 weights (Nano: 15.2 B, 28 GiB), too slow for one
# GPU within this run. A rank holding at most half of them fits an H200 (141 GB) beside the
# 720p activations; CP 8 holds all of them, fits only just, and comes last.
if has_part super; then
  for layout in "1 8 1" "1 4 2" "2 4 1" "1 2 4" "1 1 8"; do
    read -r cfg tp cp <<<"$layout"
    run_ours super "$size_720" "$cfg" "$tp" "$cp" "$super_steps"
  done
fi

# run_baseline "H W FRAMES" TP CP REFERENCE_SECONDS: diffusers' step, one row.
run_baseline() {
  local size=$1 tp=$2 cp=$3 reference=$4 height width frames
  read -r height width frames <<<"$size"
  local ranks=$((tp * cp)) script="$repo_root/benchmarks/parallel_step_reference.py"
  local flags=(--family nano --height "$height" --width "$width" --frames "$frames"
               --text-tokens 300 --tp "$tp" --cp "$cp" --steps "$steps" --warmup "$warmup"
               --device "$device" --reference-step-seconds "$reference")
  if [[ "$device" == cpu ]]; then flags+=(--num-layers 1); fi
  local command=("$python" "$script" "${flags[@]}")
  if [[ $ranks -gt 1 ]]; then
    command=("$python" -m torch.distributed.run --standalone --nproc-per-node "$ranks" "$script"
             "${flags[@]}" --helpers-dir "$helpers_dir")
  fi
  add_row "diffusers_${height}p_tp${tp}_cp${cp}" \
    "| nano (diffusers) | ${height}x${width}x${frames} | tp $tp x cp $cp | $ranks |" "${command[@]}"
}

# The diffusers baseline: the seed PR's helpers over the same layouts when the carried tree has
# them (no CFG parallelism there) and the GPUs are here, else its single-GPU CFG step only.
if has_part baseline; then
  helpers_dir=""
  if [[ -f "${COSMOS3_DIFFUSERS_SRC:-/nonexistent}/examples/cosmos3/cosmos_parallel.py" ]]; then
    helpers_dir="$COSMOS3_DIFFUSERS_SRC/examples/cosmos3"
    export PYTHONPATH="$COSMOS3_DIFFUSERS_SRC/src${PYTHONPATH:+:$PYTHONPATH}"
  fi
  if ! "$python" -c 'import diffusers' 2>/dev/null; then
    wheels="${COSMOS3_DIFFUSERS_WHEELS:-$repo_root/.whl}"
    site=/tmp/cosmos3-diffusers-site
    if compgen -G "$wheels/*.whl" >/dev/null; then
      # Only what python lacks: the carried torch wheel, if any, must not shadow the machine's.
      "$python" -m pip install --quiet --no-index --no-deps --target "$site" \
        $(ls "$wheels"/*.whl | grep -v '/torch-') >"$log_dir/pip.log" 2>&1 || true
      export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$site"
    fi
  fi
  if ! "$python" -c 'from diffusers import Cosmos3OmniTransformer' 2>"$log_dir/diffusers_import.err"; then
    reason=$(tail -1 "$log_dir/diffusers_import.err")
    notes+=("- Baseline not run: $python cannot import diffusers' Cosmos3OmniTransformer"
            "  (${reason}); carry its wheels in .whl/ or set COSMOS3_DIFFUSERS_WHEELS.")
  else
    diffusers_version=$("$python" -c 'import diffusers; print(diffusers.__version__)')
    if [[ -z "$helpers_dir" ]]; then
      notes+=("- The seed PR's helpers (diffusers examples/cosmos3/cosmos_parallel.py) were not in"
              "  the carried diffusers ${diffusers_version}, so the baseline is its single-GPU CFG"
              "  step only.")
    fi
    for size in "$size_720" "$size_480"; do
      run_baseline "$size" 1 1 0
      reference=$(last_step_seconds)
      if [[ -z "$helpers_dir" ]]; then continue; fi
      for layout in "1 2" "1 4" "1 8" "2 1" "4 1" "8 1" "2 2" "2 4"; do
        read -r tp cp <<<"$layout"
        if [[ $((tp * cp)) -le $num_gpus ]]; then
          run_baseline "$size" "$tp" "$cp" "$reference"
        fi
      done
    done
    [[ -z "$helpers_dir" || $num_gpus -ge 8 ]] ||
      notes+=("- Baseline layouts needing more than $num_gpus GPUs were not run.")
  fi
fi

torch_version=$("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo unknown)
{
  echo "# One CFG step of the denoise loop, random weights: scaling over GPUs"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), ${num_gpus} x ${gpu_name}, torch ${torch_version},"
  echo "\`benchmarks/run_parallel_scaling.sh\` (parts: ${parts}). A step is the cond forward (300"
  echo "text tokens) and the uncond forward (100) through ParallelGuidance with the text K/V"
  echo "cached, as in the loop; median of ${steps} steps after ${warmup} warm-up (Super: ${super_steps})."
  echo
  echo "- measured: every rank a process on its own GPU (cosmos3-launch, NCCL); the 1-GPU row"
  echo "  runs the NCCL path at world size 1."
  echo "- predicted: too few GPUs here, so one process did exactly the compute of rank 0 of the"
  echo "  layout, its collectives moving no data (parallel/comm/shape_only_communicator.h);"
  echo "  s/step = that compute + the bus bytes its collectives would carry / ${link_gbps} GB/s +"
  echo "  15 us per collective, with no overlap of communication and compute. NVLink-4 NCCL bus"
  echo "  bandwidth is ~350-480 GB/s per GPU at these message sizes: ${link_gbps} GB/s is conservative."
  echo "- speedup = T1 / TN, efficiency = T1 / (N x TN), T1 the 1-GPU row of the same size."
  echo "- peak GiB/rank and weights GiB/rank: the largest over the ranks (simulated: rank 0)."
  echo
  "$bench" --print-header
  printf '%s\n' "${rows[@]}"
  echo
  echo "Collectives of rank 0 per step (payload = what rank 0 hands to the call):"
  echo
  printf '%s\n' "${traffic[@]}" | grep -v -E ': (none)?$' || echo "- none"
  if [[ ${#notes[@]} -gt 0 ]]; then
    echo
    printf '%s\n' "${notes[@]}"
  fi
  echo
  echo "Wall time of this call: $(($(date +%s) - started)) s; logs in ${log_dir}."
} | tee "$output"
