#!/usr/bin/env bash
# The FP8 mode end to end on a GPU: one cosmos3-generate job in bf16, then the same job (same
# seed) with --precision fp8, on a random-weight full-size pipeline folder
# (cosmos3-tool make-random-checkpoint), and the FP8 job once more with its attention kept in
# bf16 (COSMOS3_FP8_ATTENTION=0: FP8 GEMMs only). Prints a table: the seconds of the steps FP8
# changes (4 .. STEPS-3, from the per-step log) and of the whole denoising in each run, and each
# FP8 run's final latents' deviation from the bf16 ones (relative L2 error, cosine); and checks
# that generation.json records each job's precision. FlashAttention-3 is used where the fa3-fwd
# wheel is installed (PYTHONPATH).
#
#   benchmarks/run_fp8_job.sh [HEIGHT WIDTH FRAMES STEPS]   (default 480 832 93 35)
#
# Environment: OUT (where logs go), COSMOS3_FAMILY (nano, super, edge, or tiny: the embedded tiny
# checkpoint, cosmos3-tool make-tiny-checkpoint); carry .devdeps (cosmos3-generate needs
# the tokenizer's libraries, scripts/device_build.sh).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
height="${1:-480}" width="${2:-832}" frames="${3:-93}" steps="${4:-35}"
family="${COSMOS3_FAMILY:-nano}"
out="${OUT:-/tmp/cosmos3-fp8-job}"
mkdir -p "$out"
source "$repo_root/scripts/device_tools.sh"
build_device_tools "$out" cosmos3-tool cosmos3-generate || exit 1
work=/tmp/cosmos3-fp8-job
mkdir -p "$work"
folder="$work/$family"
random_pipeline_folder "$family" "$folder" "$out"
for run in bf16 fp8 fp8-gemm-only; do
  precision="${run%%-*}"
  fp8_attention=1
  [ "$run" = fp8-gemm-only ] && fp8_attention=0
  rm -rf "$work/$run"
  COSMOS3_FP8_ATTENTION=$fp8_attention "$bin/cosmos3-generate" --model "$folder" \
    --prompt "A red ball rolls across a wooden table" \
    --height "$height" --width "$width" --num-frames "$frames" --steps "$steps" --seed 7 \
    --device cuda --dtype bfloat16 --precision "$precision" --output-dir "$work/$run" \
    --output-latents "$work/$run/latents.safetensors" > "$out/$run.out" 2> "$out/$run.log"
done
python3 - "$work" "$out" "$steps" "$height" "$width" "$frames" <<'PY'
import json, re, struct, sys
import torch

work, out, num_steps = sys.argv[1], sys.argv[2], int(sys.argv[3])

def latents(path):
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = f.read()
    entry = header["latents"]
    assert entry["dtype"] == "F32", entry
    begin, end = entry["data_offsets"]
    return torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"]).double()

def step_clock(log):
    clock = {}
    for line in open(log):
        match = re.match(r"step (\d+)/\d+ \(([\d.]+) s\)", line)
        if match:
            clock[int(match.group(1))] = float(match.group(2))
    return clock

first, last = 3, num_steps - 3  # FP8 runs steps first+1 .. last (1-based)
rows = {}
bf16 = latents(f"{work}/bf16/latents.safetensors")
for run in ("bf16", "fp8", "fp8-gemm-only"):
    meta = json.load(open(f"{work}/{run}/generation.json"))
    precision = run.split("-")[0]
    assert meta.get("precision") == precision, (run, meta.get("precision"))
    clock = step_clock(f"{out}/{run}.log")
    middle = clock[last] - clock[first] if last > first else float("nan")
    final = latents(f"{work}/{run}/latents.safetensors")
    rel = ((final - bf16).norm() / bf16.norm()).item()
    cos = torch.nn.functional.cosine_similarity(final.flatten(), bf16.flatten(), dim=0).item()
    rows[run] = (middle, meta["seconds"]["denoise"], rel, cos)
size = f"{sys.argv[4]}x{sys.argv[5]}x{sys.argv[6]}"
print(f"| run | size | steps {first + 1}-{last} s | denoise s ({num_steps} steps) | vs bf16 | "
      "final latents rel. L2 vs bf16 | cosine |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for run, (middle, denoise, rel, cos) in rows.items():
    print(f"| {run} | {size} | {middle:.2f} | {denoise:.2f} | {denoise / rows['bf16'][1]:.3f} | "
          f"{rel:.4f} | {cos:.5f} |")
print("\ngeneration.json records the precision of every job (same seed for all)")
PY
