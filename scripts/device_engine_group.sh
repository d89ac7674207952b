#!/usr/bin/env bash
# On a GPU machine: builds the worker and the CLIs with the tokenizer (scripts/device_build.sh,
# .devdeps carried), then checks the tiny checkpoint's generation on cuda against the CPU
# (fp32) and runs the same jobs through a resident group on the GPU with cosmos3-batch.
# Prints what it measured; writes logs under ${OUT:-/tmp/cosmos3-device-out}.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-/tmp/cosmos3-device-out}"
mkdir -p "$out"
source "$repo_root/scripts/device_tools.sh"
build_device_tools "$out" cosmos3-worker cosmos3-generate cosmos3-tool cosmos3-batch || exit 1
work="$(mktemp -d)"
"$bin/cosmos3-tool" make-tiny-checkpoint "$work/tiny"
"$bin/worker/cosmos3-worker" --probe-devices | tee "$out/devices.json"
common=(--model "$work/tiny" --prompt "A red ball rolls across a wooden table" --negative-prompt blurry
        --num-frames 17 --height 128 --width 192 --steps 4 --seed 7)
for device in cpu cuda; do
  "$bin/cosmos3-generate" "${common[@]}" --device "$device" --output-dir "$work/$device" \
    --output-latents "$work/$device/latents.safetensors" > "$out/generate-$device.log" 2>&1
done
python3 - "$work" <<'PY'
import sys, torch
from safetensors.torch import load_file
work = sys.argv[1]
cpu = load_file(f"{work}/cpu/latents.safetensors")["latents"]
cuda = load_file(f"{work}/cuda/latents.safetensors")["latents"]
rel = ((cpu - cuda).norm() / cpu.norm()).item()
print(f"tiny t2v fp32, cuda vs cpu: relative Frobenius {rel:.3e}, max abs {(cpu - cuda).abs().max().item():.3e}")
assert rel < 1e-4, rel
PY
printf '%s\n' \
  "{\"name\":\"a\",\"prompt\":\"A red ball rolls across a wooden table\",\"negative_prompt\":\"blurry\",\"num_frames\":17,\"height\":128,\"width\":192,\"steps\":4,\"seed\":7,\"output_latents\":\"$work/group-a.safetensors\"}" \
  "{\"name\":\"b\",\"prompt\":\"A blue cube\",\"num_frames\":17,\"height\":128,\"width\":192,\"steps\":4,\"seed\":8}" \
  > "$work/jobs.jsonl"
COSMOS3_WORKER="$bin/worker/cosmos3-worker" XDG_RUNTIME_DIR="$work/rt" \
  "$bin/batch/cosmos3-batch" --model "$work/tiny" --device cuda --output-dir "$work/batch" "$work/jobs.jsonl" \
  2> "$out/batch.log" | tee "$out/batch-summary.md"
python3 - "$work" <<'PY'
import sys
from safetensors.torch import load_file
work = sys.argv[1]
group = load_file(f"{work}/group-a.safetensors")["latents"]
cli = load_file(f"{work}/cuda/latents.safetensors")["latents"]
print("group on cuda vs cosmos3-generate on cuda: bitwise equal" if bool((group == cli).all())
      else f"group vs cli differ: max {(group - cli).abs().max().item():.3e}")
PY
cat "$work"/batch/a/generation.json | python3 -c 'import json,sys; print("seconds:", json.load(sys.stdin)["seconds"])'
