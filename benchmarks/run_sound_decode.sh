#!/usr/bin/env bash
# Ours vs diffusers: decode of random sound latents by a random-weight, full-size Cosmos3 sound
# tokenizer decoder on one GPU, same machine, in bf16 (the pipeline's dtype on GPUs) and fp32.
# Builds only cosmos3-bench-sound first.
#
#   benchmarks/run_sound_decode.sh [LATENT_FRAMES]   (default 197: a 189-frame video at 24 fps)
#
# Prints a table: seconds per decode (median), ratio reference/ours, peak memory.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
latent_frames="${1:-197}"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
COSMOS3_BUILD_TARGETS=cosmos3-bench-sound bash "$repo_root/scripts/device_build.sh" >/dev/null

rows=()
for dtype in bfloat16 float32; do
  common=(--latent-frames "$latent_frames" --dtype "$dtype")
  rows+=("$("$build_dir/app/cosmos3-bench-sound" "${common[@]}" --device cuda)")
  rows+=("$(python3 "$repo_root/benchmarks/sound_decode_reference.py" "${common[@]}")")
done
printf '%s\n' "${rows[@]}"
python3 - "${rows[@]}" <<'PY'
import sys
rows = {}
for line in sys.argv[1:]:
    who, _, *fields = line.split()
    values = dict(field.split("=") for field in fields)
    rows[(who, values["dtype"])] = values
print("\n| latent frames | samples | dtype | ours s/decode | diffusers s/decode | diffusers/ours | ours peak GiB | diffusers peak GiB |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for dtype in ("bfloat16", "float32"):
    ours, ref = rows[("ours", dtype)], rows[("reference", dtype)]
    ratio = float(ref["median_s"]) / float(ours["median_s"])
    print(f"| {ours['T']} | {ours['samples']} | {dtype} | {ours['median_s']} | {ref['median_s']} | {ratio:.3f} | "
          f"{ours['peak_gib']} | {ref['peak_gib']} |")
PY
