#!/usr/bin/env bash
# FP8 weight copies that do not fit, on a GPU: a resident group (cosmos3-batch, one rank) of a
# random-weight full-size Nano runs an FP8 job while another process holds all but a few GiB of
# the GPU, so the e4m3 copies of the generation tower (about 6.5 GiB) cannot all be made. The
# FP8 job must fail with the out-of-memory class and a message naming the FP8 weights, the
# copies made before the failure must be dropped, and the same group (no restart: one "ready")
# must then finish a bf16 job in the memory those copies would have held.
#
#   tools/check_fp8_out_of_memory.sh [SPARE_GIB]   (default 4: left free beside the weights)
#
# Environment: OUT (where logs go); carry .devdeps (cosmos3-worker needs the tokenizer's
# libraries, scripts/device_build.sh). Prints PASS or FAIL lines; exits 1 on a FAIL.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spare_gib="${1:-4}"
out="${OUT:-/tmp/cosmos3-fp8-oom}"
mkdir -p "$out"
source "$repo_root/scripts/device_tools.sh"
build_device_tools "$out" cosmos3-tool cosmos3-batch cosmos3-worker cosmos3-launch || exit 1
work=/tmp/cosmos3-fp8-oom
mkdir -p "$work"
folder="$work/nano"
random_pipeline_folder nano "$folder" "$out"

# Holds the GPU's free memory but the weights the group loads (transformer and VAE files) and
# SPARE_GIB, until killed.
python3 - "$folder" "$spare_gib" "$work/blocker.ready" > "$out/blocker.log" 2>&1 <<'PY' &
import pathlib, sys, time
import torch
folder, spare_gib, ready = pathlib.Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
weights = sum(f.stat().st_size for part in ("transformer", "vae") for f in (folder / part).glob("*.safetensors"))
free, _ = torch.cuda.mem_get_info()
held = free - weights - int(spare_gib * 2**30)
block = torch.empty(held, dtype=torch.uint8, device="cuda")
print(f"free {free / 2**30:.1f} GiB, weights {weights / 2**30:.1f} GiB, held {held / 2**30:.1f} GiB", flush=True)
pathlib.Path(ready).write_text("ready")
while True:
    time.sleep(1)
PY
blocker=$!
trap 'kill $blocker 2>/dev/null || true' EXIT
rm -f "$work/blocker.ready"
for _ in $(seq 120); do [ -f "$work/blocker.ready" ] && break; sleep 1; done
[ -f "$work/blocker.ready" ] || { echo "FAIL: the memory blocker did not start"; cat "$out/blocker.log"; exit 1; }
cat "$out/blocker.log"

rm -rf "$work/outputs"
cat > "$work/jobs.jsonl" <<'EOF'
{"name": "fp8", "prompt": "A red ball rolls across a wooden table", "height": 256, "width": 256, "num_frames": 9, "steps": 4, "seed": 7, "precision": "fp8"}
{"name": "bf16-after", "prompt": "A red ball rolls across a wooden table", "height": 256, "width": 256, "num_frames": 9, "steps": 4, "seed": 7, "precision": "bf16"}
EOF
set +e
mkdir -p "$work/rt"
COSMOS3_WORKER="$bin/worker/cosmos3-worker" XDG_RUNTIME_DIR="$work/rt" \
  "$bin/batch/cosmos3-batch" --model "$folder" --device cuda --dtype bfloat16 \
    --output-dir "$work/outputs" "$work/jobs.jsonl" > "$out/batch.out" 2> "$out/batch.log"
status=$?
set -e
cat "$out/batch.out"
grep -E "ready|: (finished|failed|refused|canceled)" "$out/batch.log" || true

failures=0
check() {
  if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failures=$((failures + 1)); fi
}
check "the FP8 job failed, naming the FP8 weights" \
  'grep -q "fp8: failed (out of memory on rank 0 while preparing FP8 weights" "$out/batch.log"'
check "the bf16 job after it finished" 'grep -q "bf16-after: finished" "$out/batch.log"'
check "in the same group (loaded once)" '[ "$(grep -c "^ready" "$out/batch.log")" = 1 ]'
check "cosmos3-batch exits 1 (a job failed)" '[ "$status" = 1 ]'
[ "$failures" = 0 ]
