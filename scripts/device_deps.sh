#!/usr/bin/env bash
# Downloads (on a machine with Debian's apt) the Debian packages the tokenizer needs and the GPU
# machines lack (PCRE2, ICU, nlohmann/json) into .devdeps/, for scripts/device_build.sh to
# unpack into a private prefix there. The GPU machines reach no package registry.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$repo_root/.devdeps"
cd "$repo_root/.devdeps"
apt-get download libpcre2-dev libpcre2-8-0 libpcre2-16-0 libpcre2-32-0 libpcre2-posix3 \
  libicu-dev libicu72 nlohmann-json3-dev
echo "carry .devdeps to the device machine; scripts/device_build.sh unpacks it"
