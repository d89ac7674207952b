#!/usr/bin/env bash
# Runs a command with a small tmpfs mounted at DIR, so a test can fill a real filesystem:
#
#   with_small_filesystem.sh SIZE DIR -- COMMAND [ARGS...]
#
# The mount lives in a private mount namespace (unshare), so it vanishes with the command and
# nothing on the host changes. As root it needs CAP_SYS_ADMIN; otherwise it needs unprivileged
# user namespaces. Where neither is allowed (some containers), it exits 77, which CTest reports
# as skipped (SKIP_RETURN_CODE), and says why.
set -euo pipefail

if [ $# -lt 4 ] || [ "$3" != "--" ]; then
  echo "usage: with_small_filesystem.sh SIZE DIR -- COMMAND [ARGS...]" >&2
  exit 2
fi
size="$1"
dir="$2"
shift 3
mkdir -p "$dir"

# shellcheck disable=SC2016  # expanded by the inner shell
inner='mount -t tmpfs -o "size=$1" cosmos3-small-fs "$2" || exit 77; shift 2; exec "$@"'
if [ "$(id -u)" -eq 0 ] && unshare --mount --propagation private true 2>/dev/null; then
  exec unshare --mount --propagation private sh -c "$inner" sh "$size" "$dir" "$@"
elif unshare --user --map-root-user --mount true 2>/dev/null; then
  exec unshare --user --map-root-user --mount sh -c "$inner" sh "$size" "$dir" "$@"
fi
echo "with_small_filesystem.sh: cannot mount a tmpfs here (no mount namespace for this user):" \
  "the full-disk test is skipped" >&2
exit 77
