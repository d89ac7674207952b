#!/usr/bin/env bash
# The parallel engine's checks that need a GPU, for a one-GPU machine (the device tool):
#  - cosmos3-comm-selftest over NCCL with world size 1, groups of one made real NCCL groups;
#  - every tiny golden transformer (Nano, Super, Edge; video inputs with sound and action
#    tokens) forward on the GPU as a single process and as rank 0 of an NCCL world of one
#    (cosmos3-launch, tp 1 x cp 1, the engine's seams and mesh), both against the reference.
#
#   scripts/device_engine_checks.sh GOLDEN_DIR     (build/test-data/transformer, carried)
#
# Needs a Python with torch and safetensors for tools/compare_predictions.py.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
golden_dir="$1"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
scratch="$(mktemp -d)"
COSMOS3_BUILD_TARGETS="cosmos3-tool cosmos3-launch cosmos3-comm-selftest" \
  bash "$repo_root/scripts/device_build.sh" >/dev/null
app="$build_dir/app"

echo "== NCCL selftest, world size 1, real single-rank groups"
COSMOS3_NCCL_SINGLE_RANK_GROUPS=1 "$app/cosmos3-launch" --nproc 1 --log-dir "$scratch/selftest" \
  -- "$app/cosmos3-comm-selftest" --backend nccl | tail -3

for family in nano super edge; do
  model="$golden_dir/$family"
  common=(--model "$model" --inputs "$model/video.inputs.safetensors" --device cuda)
  "$app/cosmos3-tool" forward "${common[@]}" --output "$scratch/$family.single.safetensors" \
    >/dev/null
  COSMOS3_NCCL_SINGLE_RANK_GROUPS=1 "$app/cosmos3-launch" --nproc 1 \
    --log-dir "$scratch/logs-$family" -- "$app/cosmos3-tool" forward "${common[@]}" \
    --tp 1 --cp 1 --output "$scratch/$family.nccl.safetensors" | tail -1
  echo "== $family: NCCL rank 0 of 1 vs the single process (bitwise)"
  python3 "$repo_root/tools/compare_predictions.py" "$scratch/$family.nccl.safetensors" \
    "$scratch/$family.single.safetensors" --rtol 0
  echo "== $family: NCCL rank 0 of 1 on the GPU vs diffusers fp32 on the CPU (1e-5)"
  python3 "$repo_root/tools/compare_predictions.py" "$scratch/$family.nccl.safetensors" \
    "$model/video.fp32.safetensors" --rtol 1e-5
done

