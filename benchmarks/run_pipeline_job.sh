#!/usr/bin/env bash
# One whole generation job on a GPU machine, ours through the resident backend group
# (cosmos3-batch) against diffusers' modular pipeline, on a random-weight full-size pipeline
# folder (cosmos3-tool make-random-checkpoint), bf16, same run: per-phase seconds (load, prompt,
# denoise, decode, write), the group's overhead against the bare denoising step of
# cosmos3-bench-parallel, and the time from submit to the first step.
#
#   benchmarks/run_pipeline_job.sh [HEIGHT WIDTH FRAMES STEPS [PART]]   (default 480 832 93 35 all)
#
# PART splits the run over device calls of at most 10 minutes (the 720p/189-frame job needs
# two, and a machine does not stay warm between calls): `ours` writes the folder and runs our
# group, `reference` writes the folder and runs the bare loop (cosmos3-bench-parallel) and
# diffusers, `all` does everything.
# The job asks for a live preview every 5 steps, whose cost the finished event reports.
#
# Environment: OUT (where logs go), COSMOS3_FAMILY (nano), .devdeps and .whl carried (README).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
height="${1:-480}" width="${2:-832}" frames="${3:-93}" steps="${4:-35}" part="${5:-all}"
family="${COSMOS3_FAMILY:-nano}"
out="${OUT:-/tmp/cosmos3-pipeline-job}"
mkdir -p "$out"
if ! python3 -c 'import diffusers' 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site "$repo_root"/.whl/*.whl
  export PYTHONPATH=/tmp/site
fi
targets="cosmos3-tool cosmos3-bench-parallel"
[ "$part" = reference ] || targets="$targets cosmos3-worker cosmos3-batch"
source "$repo_root/scripts/device_tools.sh"
# shellcheck disable=SC2086 # the targets are words
build_device_tools "$out" $targets || exit 1
work=/tmp/cosmos3-job
mkdir -p "$work"
folder="$work/$family"
random_pipeline_folder "$family" "$folder" "$out"
prompt="A red ball rolls across a wooden table"
echo "{\"name\":\"job\",\"prompt\":\"$prompt\",\"negative_prompt\":\"\",\"num_frames\":$frames,\"height\":$height,\"width\":$width,\"steps\":$steps,\"seed\":7,\"preview_interval\":5}" > "$work/jobs.jsonl"
if [ "$part" != reference ]; then
rm -rf "$work/out"
start=$SECONDS
COSMOS3_WORKER="$bin/worker/cosmos3-worker" XDG_RUNTIME_DIR="$work/rt" \
  "$bin/batch/cosmos3-batch" --model "$folder" --device cuda --dtype bfloat16 \
  --output-dir "$work/out" "$work/jobs.jsonl" > "$out/ours-summary.md" 2> "$out/ours-progress.log"
ours_total=$((SECONDS - start))
grep -E "ready:|step 1/" "$out/ours-progress.log" | head -2
python3 - "$work/out/job/generation.json" "$ours_total" <<'PY'
import json, sys
seconds = json.load(open(sys.argv[1]))["seconds"]
print("ours seconds per phase:", {k: round(v, 2) for k, v in seconds.items()}, "wall incl. start:", round(float(sys.argv[2]), 1))
PY
fi
if [ "$part" = ours ]; then exit 0; fi
python3 "$repo_root/benchmarks/pipeline_job_reference.py" "$folder" --height "$height" --width "$width" \
  --frames "$frames" --steps "$steps" 2>&1 | grep -v Warning | tail -3
echo "bare loop, one CFG step (cosmos3-bench-parallel):"
"$bin/cosmos3-bench-parallel" --print-header
# The row goes to stdout; stderr carries notes (e.g. the collectives count) after it.
"$bin/cosmos3-bench-parallel" --height "$height" --width "$width" --frames "$frames" --dtype bfloat16 \
  --steps 3 --warmup 1 2> "$out/bench-parallel.log"
