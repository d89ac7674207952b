#!/usr/bin/env bash
# Issue 17 on one GPU: every fused CUDA kernel against the unfused ATen path (bf16 and fp32,
# tolerances stated in app/fused_check_kernels.cpp), the full random-weight Nano forward fused
# vs unfused (and FP8), and their times, at 480p/93 and 720p/189 frames.
#
#   benchmarks/run_fused_check.sh [OUT_DIR]      (default $OUT, else ./fused-check-out)
#
# Each part runs on its own and logs to OUT_DIR/<part>.txt, so one failing part leaves the
# others' rows; the summary (every check, time and fp8 row) is printed last and saved as
# OUT_DIR/summary.txt. Exits 1 when anything failed.
set -uo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${1:-${OUT:-$repo_root/fused-check-out}}"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
mkdir -p "$out_dir"
status=0

{ nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv,noheader
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
  nvcc --version | tail -1; } >"$out_dir/machine.txt" 2>&1
if ! COSMOS3_BUILD_TARGETS="cosmos3-fused-check cosmos3-bench-transformer" \
  bash "$repo_root/scripts/device_build.sh" >"$out_dir/build.log" 2>&1; then
  echo "== build FAILED (last lines of $out_dir/build.log)"
  tail -40 "$out_dir/build.log"
  exit 1
fi
check="$build_dir/app/cosmos3-fused-check"

# A part that hangs is stopped after its time limit (seconds) and counted as failed.
run_part() {
  local name="$1" limit="$2"
  shift 2
  echo "== $name"
  if ! timeout "$limit" "$@" >"$out_dir/$name.txt" 2>&1; then
    status=1
    echo "== $name FAILED; last lines:"
    tail -15 "$out_dir/$name.txt"
  fi
}

for size in "480 832 93" "720 1280 189"; do
  read -r height width frames <<<"$size"
  shape=(--height "$height" --width "$width" --frames "$frames" --text-tokens 300)
  run_part "kernels_${height}p" 120 "$check" --part kernels "${shape[@]}" --iterations 10
  run_part "forward_${height}p" 180 "$check" --part forward "${shape[@]}" --iterations 3
done

{ cat "$out_dir/machine.txt"
  grep -h -E '^(#|check|time|fp8)' "$out_dir"/kernels_*.txt "$out_dir"/forward_*.txt
  grep -h -c ' FAIL$' "$out_dir"/kernels_*.txt "$out_dir"/forward_*.txt |
    awk '{ n += $1 } END { print "# FAIL rows in all parts: " n }'; } >"$out_dir/summary.txt"
cat "$out_dir/summary.txt"
exit "$status"
