#!/usr/bin/env bash
# Ours vs diffusers: one transformer forward of a random-weight, full-size model in bf16 on
# one GPU, same process tree, same machine. Builds the Qt-free targets first.
#
#   benchmarks/run_transformer_forward.sh [FAMILY]     (default nano)
#
# Prints a table: time per forward (median), ratio reference/ours, peak memory.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
family="${1:-nano}"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
bash "$repo_root/scripts/device_build.sh" >/dev/null

rows=()
for size in "480 832 93" "720 1280 189"; do
  read -r height width frames <<<"$size"
  common=(--family "$family" --height "$height" --width "$width" --frames "$frames" --text-tokens 300)
  rows+=("$("$build_dir/app/cosmos3-bench-transformer" "${common[@]}" --device cuda)")
  rows+=("$(python3 "$repo_root/benchmarks/transformer_forward_reference.py" "${common[@]}")")
done
printf '%s\n' "${rows[@]}"
python3 - "${rows[@]}" <<'PY'
import sys
rows = {}
for line in sys.argv[1:]:
    who, family, size, *fields = line.split()
    rows[(who, size)] = dict(field.split("=") for field in fields)
print(f"\n| size | gen tokens | ours s/forward | diffusers s/forward | diffusers/ours | ours peak GiB | diffusers peak GiB |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for size in sorted({size for _, size in rows}, key=lambda s: int(s.split("x")[0])):
    ours, ref = rows[("ours", size)], rows[("reference", size)]
    ratio = float(ref["median_s"]) / float(ours["median_s"])
    print(f"| {size} | {ours['gen_tokens']} | {ours['median_s']} | {ref['median_s']} | {ratio:.3f} | "
          f"{ours['peak_gib']} | {ref['peak_gib']} |")
PY
