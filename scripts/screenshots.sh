#!/usr/bin/env bash
# Builds cosmos3-studio and saves the screenshots in docs/screenshots/: the idle window, a job
# mid-denoise with its live preview, a finished video, a queue holding done, failed,
# canceled, running and pending jobs, the history gallery, and the settings dialog with eight
# simulated GPUs and a Nano config (from the settings suite's screenshot case), a policy
# action job with its plotted actions (from the actions suite's screenshot case), and the
# transfer panel after a transfer job (from the transfer suite's). The studio runs under Xvfb (scripts/setup.sh installs it)
# on the embedded tiny checkpoint, with its own settings and queue in a temporary folder, and
# takes the shots itself (COSMOS3_STUDIO_SCREENSHOTS) while it works through a jobs file.
#
# Usage: scripts/screenshots.sh            (BUILD_DIR defaults to build/)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$repo/build}"
out_dir="$repo/docs/screenshots"

cmake --build "$build_dir" --parallel 2 --target cosmos3-studio cosmos3-worker cosmos3-tool \
  tst_settings_dialog tst_studio_actions tst_studio_transfer

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/data" "$work/config" "$work/runtime" "$work/shots"
chmod 700 "$work/runtime"

# One job per state the queue shot shows: done, failed (a size the group refuses), canceled
# (the tour cancels the first long job), running, pending.
cat > "$work/jobs.jsonl" <<'JOBS'
{"prompt": "A red ball rolls across a wooden table in warm afternoon light", "height": 128, "width": 192, "num_frames": 5, "steps": 12, "preview_interval": 1, "seed": 7}
{"prompt": "A size the backend refuses", "height": 100, "width": 192, "num_frames": 5, "steps": 3}
{"prompt": "A long job that is canceled", "height": 128, "width": 192, "num_frames": 5, "steps": 40}
{"prompt": "A long job still denoising", "height": 128, "width": 192, "num_frames": 5, "steps": 40, "preview_interval": 1}
{"prompt": "A pending job waiting its turn", "height": 128, "width": 192, "num_frames": 5, "steps": 3}
JOBS

XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime" \
  OMP_NUM_THREADS=1 COSMOS3_TOOL="$build_dir/app/cosmos3-tool" \
  COSMOS3_WORKER="$build_dir/app/worker/cosmos3-worker" \
  COSMOS3_STUDIO_TEST_QUEUE_JSONL="$work/jobs.jsonl" COSMOS3_STUDIO_SCREENSHOTS="$work/shots" \
  timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" "$build_dir/app/studio/cosmos3-studio"

# The settings dialog: eight idle H200s from a simulated device probe, a folder with Nano's
# transformer config (the suite makes it), the layouts the engine accepts with predictions.
COSMOS3_SCREENSHOT_DIR="$work/shots" QT_QPA_PLATFORM=xcb \
  timeout 300 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$build_dir/tests/ui/studio/tst_settings_dialog" screenshotWithEightGpus

# An action job: the policy job of the actions suite, its video and its predicted actions plotted.
COSMOS3_SCREENSHOT_DIR="$work/shots" QT_QPA_PLATFORM=xcb OMP_NUM_THREADS=1 \
  timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$build_dir/tests/ui/studio/tst_studio_actions" policyJobPlotsItsPredictedActions \
  screenshotOfThePolicyJob

# A transfer job: the transfer suite's edge control and blur made from a source, previewed side
# by side, after its job ran.
COSMOS3_SCREENSHOT_DIR="$work/shots" QT_QPA_PLATFORM=xcb OMP_NUM_THREADS=1 \
  timeout 600 xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$build_dir/tests/ui/studio/tst_studio_transfer" droppingAControlAppliesItsPreset \
  transferJobMakesTheVideo screenshotOfTheTransferPanel

mkdir -p "$out_dir"
for name in idle running_preview finished_video queue_states history_gallery settings_dialog \
  action_policy transfer_panel; do
  if [[ ! -f "$work/shots/$name.png" ]]; then
    echo "screenshots.sh: the studio did not save $name.png" >&2
    exit 1
  fi
  cp "$work/shots/$name.png" "$out_dir/$name.png"
done
ls -l "$out_dir"
