#!/usr/bin/env bash
# Issue 17's table on one GPU, one call: one transformer forward of random full-size Nano in
# bf16, ours (fused exact path, and FP8) against diffusers eager and diffusers with its repeated
# decoder layers compiled (torch.compile, as vLLM-Omni runs it), at 480p/93 and 720p/189.
# Rows as cosmos3-bench-transformer and transformer_forward_reference.py print them; each part
# has its own time limit so a slow compile cannot hide the rest. Needs .whl carried (diffusers).
#
#   benchmarks/run_forward_table.sh [OUT_DIR]
set -uo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${1:-${OUT:-/tmp/forward-table}}"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
mkdir -p "$out_dir"
if ! python3 -c 'import diffusers' 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site "$repo_root"/.whl/*.whl && export PYTHONPATH=/tmp/site
fi
bench="$build_dir/app/cosmos3-bench-transformer"
reference="$repo_root/benchmarks/transformer_forward_reference.py"
for part in ours ours-fp8 reference reference-compiled; do
  for size in "480 832 93" "720 1280 189"; do
    read -r height width frames <<<"$size"
    shape=(--family nano --height "$height" --width "$width" --frames "$frames" --text-tokens 300)
    case "$part" in
      ours) command=("$bench" "${shape[@]}" --device cuda) ;;
      ours-fp8) command=("$bench" "${shape[@]}" --device cuda --precision fp8) ;;
      reference) command=(python3 "$reference" "${shape[@]}") ;;
      reference-compiled) command=(python3 "$reference" "${shape[@]}" --compile --warmup 2) ;;
    esac
    row=$(timeout 240 "${command[@]}" 2>>"$out_dir/$part.log" | tail -1) || row="$part ${height}p: FAILED or timed out (see $part.log)"
    echo "$part | $row" | tee -a "$out_dir/forward_table.txt"
  done
done
