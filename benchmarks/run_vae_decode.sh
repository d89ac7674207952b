#!/usr/bin/env bash
# Ours vs diffusers: decode of normalised random latents by a random-weight, full-size Cosmos3
# VAE in bf16 on one GPU, same machine. Builds the Qt-free targets first.
#
#   benchmarks/run_vae_decode.sh [FRAMES_PER_CHUNK]    (latent frames per decoder call, default 1)
#
# Prints a table: seconds per decode (median), ratio reference/ours, peak memory, for 480p/93
# frames and 720p/189 frames.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
frames_per_chunk="${1:-1}"
build_dir="${COSMOS3_BUILD_DIR:-$repo_root/build-device}"
bash "$repo_root/scripts/device_build.sh" >/dev/null

rows=()
for size in "480 832 93" "720 1280 189"; do
  read -r height width frames <<<"$size"
  common=(--height "$height" --width "$width" --frames "$frames")
  rows+=("$("$build_dir/app/cosmos3-bench-vae" "${common[@]}" --frames-per-chunk "$frames_per_chunk" \
            --device cuda)")
  rows+=("$(python3 "$repo_root/benchmarks/vae_decode_reference.py" "${common[@]}")")
done
printf '%s\n' "${rows[@]}"
python3 - "${rows[@]}" <<'PY'
import sys
rows = {}
for line in sys.argv[1:]:
    who, _, size, *fields = line.split()
    rows[(who, size)] = dict(field.split("=") for field in fields)
print("\n| size | latent | ours chunk | ours s/decode | diffusers s/decode | diffusers/ours | ours peak GiB | diffusers peak GiB |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for size in sorted({size for _, size in rows}, key=lambda s: int(s.split("x")[0])):
    ours, ref = rows[("ours", size)], rows[("reference", size)]
    ratio = float(ref["median_s"]) / float(ours["median_s"])
    print(f"| {size} | {ours['latent']} | {ours['chunk']} | {ours['median_s']} | {ref['median_s']} | {ratio:.3f} | "
          f"{ours['peak_gib']} | {ref['peak_gib']} |")
PY
