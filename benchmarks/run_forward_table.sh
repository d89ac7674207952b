#!/usr/bin/env bash
# Issue 17's table on one GPU, one call: one transformer forward of random full-size Nano in
# bf16, ours against diffusers eager and diffusers with its repeated decoder layers compiled
# (torch.compile, as vLLM-Omni runs it), at 480p/93 and 720p/189. Ours: the exact path with
# FlashAttention-3 (fa3-fwd wheel in .whl) and with cuDNN SDPA, FP8 with FP8 attention and with
# bf16 attention. Rows as cosmos3-bench-transformer and transformer_forward_reference.py print
# them; each part has its own time limit so a slow compile cannot hide the rest. Then the
# kernel-time breakdown of one 720p forward: before (unfused ATen path, SDPA) and after.
# Needs .whl carried (diffusers, fa3-fwd).
#
#   benchmarks/run_forward_table.sh [OUT_DIR] [PARTS...]
set -uo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${1:-${OUT:-/tmp/forward-table}}"
shift || true
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(ours ours-sdpa ours-fp8 ours-fp8-bf16-attention reference reference-compiled profile)
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
mkdir -p "$out_dir"
if ! python3 -c 'import diffusers' 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site "$repo_root"/.whl/*.whl && export PYTHONPATH=/tmp/site
fi
bench="$build_dir/app/cosmos3-bench-transformer"
reference="$repo_root/benchmarks/transformer_forward_reference.py"
for part in "${parts[@]}"; do
  [ "$part" = profile ] && continue
  for size in "480 832 93" "720 1280 189"; do
    read -r height width frames <<<"$size"
    shape=(--family nano --height "$height" --width "$width" --frames "$frames" --text-tokens 300)
    case "$part" in
      ours) command=("$bench" "${shape[@]}" --device cuda) ;;
      ours-sdpa) command=("$bench" "${shape[@]}" --device cuda --attention sdpa) ;;
      ours-fp8) command=("$bench" "${shape[@]}" --device cuda --precision fp8) ;;
      ours-fp8-bf16-attention) command=(env COSMOS3_FP8_ATTENTION=0 "$bench" "${shape[@]}" --device cuda --precision fp8) ;;
      reference) command=(python3 "$reference" "${shape[@]}") ;;
      reference-compiled) command=(python3 "$reference" "${shape[@]}" --compile --warmup 2) ;;
    esac
    row=$(timeout 240 "${command[@]}" 2>>"$out_dir/$part.log" | tail -1) || row="$part ${height}p: FAILED or timed out (see $part.log)"
    echo "$part | $row" | tee -a "$out_dir/forward_table.txt"
  done
done
if [[ " ${parts[*]} " == *" profile "* ]]; then
  shape=(--family nano --height 720 --width 1280 --frames 189 --text-tokens 300 --device cuda
         --warmup 1 --iterations 1 --profile)
  COSMOS3_FUSED_KERNELS=0 timeout 240 "$bench" "${shape[@]}" --attention sdpa 2>>"$out_dir/profile.log" |
    sed 's/^| ours 720p/| before (unfused, SDPA) 720p/' | tee -a "$out_dir/kernel_breakdown.txt"
  timeout 240 "$bench" "${shape[@]}" 2>>"$out_dir/profile.log" | tee -a "$out_dir/kernel_breakdown.txt"
  timeout 240 "$bench" "${shape[@]}" --precision fp8 2>>"$out_dir/profile.log" | tee -a "$out_dir/kernel_breakdown.txt"
fi
