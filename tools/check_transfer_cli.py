#!/usr/bin/env python3
"""cosmos3-generate's transfer jobs (--control HINT=FILE): malformed control videos (unreadable,
of another size than the other controls, of another aspect than the output, too short) and bad
transfer flags are refused before any weight is read, naming the control and the fix, as are
input videos (--video-path) that cannot seed the first chunk; jobs run end to end write the
reference's last-chunk latents, the video and its record in generation.json; edge and blur
controls made from a video run and are recorded with their settings.

    check_transfer_cli.py CLI TINY_CHECKPOINT TRANSFER_GOLDEN_DIR SCRATCH_DIR

The refusals run on a copy of the checkpoint whose transformer weights are garbage: a request
that got as far as loading would fail with a checkpoint error instead. Control videos are
written as animated PNGs, which FFmpeg decodes losslessly, so the end-to-end run sees the golden
case's frames exactly (tools/make_transfer_golden.py, cases two_chunks: two hints, two chunks;
first_chunk_from_video: the first chunk seeded from an input video; edge_intervals: each
guidance limited to some steps, run with and without each interval).
Tolerance: 1e-5 relative (L2), as tests/pipeline/tst_transfer_generation.cpp.
"""
import json
import pathlib
import shutil
import subprocess
import sys

import torch
from PIL import Image
from safetensors.torch import load_file, safe_open

from cli_refusals import (FILE_EXIT, USAGE_EXIT, check_reaches_loader, check_refusals,
                          corrupt_checkpoint, relative_error)

PROMPT = '{"caption": "a wet street"}'


def write_apng(path, frames):
    pictures = [Image.fromarray(frame.numpy()) for frame in frames]
    pictures[0].save(path, save_all=True, append_images=pictures[1:], duration=100, loop=0)


def random_frames(num_frames, height, width, seed):
    return torch.randint(0, 256, (num_frames, height, width, 3),
                         generator=torch.Generator().manual_seed(seed), dtype=torch.uint8)


# Control videos: name -> (frames, height, width)
CONTROLS = {
    "edge9.png": (9, 32, 48),
    "depth9.png": (9, 32, 48),
    "depth5.png": (5, 32, 48),
    "seg_big.png": (9, 64, 96),
    "blur_square.png": (9, 48, 48),
}

BASE = ["--prompt", PROMPT, "--height", "32", "--width", "48", "--steps", "1", "--seed", "1"]

# extra flags (control files resolved in SCRATCH_DIR), expected exit code, words in the message
INVALID = [
    (["--control", "edge=missing.mp4"], FILE_EXIT, "control video edge:"),
    (["--control", "edge=not_video.png"], FILE_EXIT, "control video edge:"),
    (["--control", "edge=edge9.png", "--control", "seg=seg_big.png"], USAGE_EXIT,
     "control video seg"),
    (["--control", "blur=blur_square.png"], USAGE_EXIT, "of another aspect ratio"),
    (["--control", "edge=edge9.png", "--control", "depth=depth5.png"], USAGE_EXIT,
     "control video depth"),
    (["--control", "edge=edge9.png", "--num-frames", "12"], USAGE_EXIT, "fewer than the 12"),
    (["--control", "edge=edge9.png", "--control", "edge=depth9.png"], USAGE_EXIT,
     "'edge' is given twice"),
    (["--control", "sketch=edge9.png"], USAGE_EXIT, "unknown control hint 'sketch'"),
    (["--control", "edge=edge9.png", "--sound"], USAGE_EXIT, "--sound cannot be combined"),
    (["--control", "edge=edge9.png", "--num-conditional-frames", "13",
      "--num-video-frames-per-chunk", "5"], USAGE_EXIT, "must be smaller than the chunk length"),
    (["--control-guidance", "2"], USAGE_EXIT, "apply to transfer jobs"),
    (["--control", "edge", "--control-source", "missing.png"], FILE_EXIT, "the control source:"),
    (["--control", "depth", "--control-source", "edge9.png"], USAGE_EXIT,
     "--control depth needs a file"),
    (["--control", "edge", "--control-source", "edge9.png", "--edge-thresholds", "9,3"],
     USAGE_EXIT, "edge thresholds 9,3"),
    (["--control", "edge=edge9.png", "--video-path", "depth5.png",
      "--num-first-chunk-conditional-frames", "6"], USAGE_EXIT, "has 5 frames, fewer than the 6"),
    (["--control", "edge=edge9.png", "--video-path", "blur_square.png"], USAGE_EXIT,
     "the input video"),
    (["--control", "wsm=edge9.png", "--guidance-interval", "0,800"], USAGE_EXIT,
     "--guidance-interval limits text guidance, which is off"),
    (["--control", "edge=edge9.png", "--control-guidance-interval", "800,100"], USAGE_EXIT,
     "0 <= LOW <= HIGH <= 1000"),
    (["--control", "edge=edge9.png", "--video-path", "missing.png"], FILE_EXIT,
     "the input video (--video-path):"),
]


def run(cli, model_dir, out_dir, flags, scratch):
    resolved = []
    for flag in flags:
        if "=" in flag and not flag.startswith("-"):
            hint, name = flag.split("=", 1)
            flag = f"{hint}={scratch / name}"
        elif flag.endswith(".png"):
            flag = str(scratch / flag)
        resolved.append(flag)
    command = [cli, "--model", str(model_dir), "--output-dir", str(out_dir), *BASE, *resolved]
    return subprocess.run(command, capture_output=True, text=True)


# The golden case's settings as cosmos3-generate flags (optional ones only when the case has them).
CASE_FLAGS = {"prompt": "--prompt", "negative_prompt": "--negative-prompt", "height": "--height",
              "width": "--width", "fps": "--fps", "num_frames": "--num-frames",
              "num_video_frames_per_chunk": "--num-video-frames-per-chunk",
              "num_conditional_frames": "--num-conditional-frames",
              "num_first_chunk_conditional_frames": "--num-first-chunk-conditional-frames",
              "num_inference_steps": "--steps", "guidance_scale": "--guidance-scale",
              "control_guidance": "--control-guidance", "seed": "--seed",
              "guidance_interval": "--guidance-interval",
              "control_guidance_interval": "--control-guidance-interval"}


def flag_value(value):
    return ",".join(str(item) for item in value) if isinstance(value, list) else str(value)


def run_golden_case(cli, model_dir, golden_dir, scratch, name, left_out=()):
    """Runs golden case `name` through the CLI, without its settings named in `left_out`:
    (completed process, generation.json, the case's flags, the relative error of the last-chunk
    latents against the reference's)."""
    case_path = golden_dir / f"{name}.safetensors"
    with safe_open(str(case_path), "pt") as handle:
        flags = json.loads(handle.metadata()["case"])
    golden = load_file(str(case_path))
    inputs = []
    for hint in flags["hints"]:
        path = scratch / f"{name}_{hint}.png"
        write_apng(path, golden[f"control_{hint}"])
        inputs += ["--control", f"{hint}={path}"]
    if "video" in golden:
        path = scratch / f"{name}_video.png"
        write_apng(path, golden["video"])
        inputs += ["--video-path", str(path)]
    # Without num_video_frames_per_chunk the case runs on the CLI's default: an output shorter
    # than the hint's recipe chunk is one chunk of its own length, the reference's default.
    settings = [item for key, flag in CASE_FLAGS.items() if key in flags and key not in left_out
                for item in (flag, flag_value(flags[key]))]
    run_name = name + "".join(f"_without_{key}" for key in left_out)
    out_dir = scratch / f"{run_name}_out"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    latents_path = scratch / f"{run_name}_latents.safetensors"
    command = [cli, "--model", str(model_dir), "--output-dir", str(out_dir),
               "--output-latents", str(latents_path), *inputs, *settings, "--flow-shift", "10"]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        return completed, None, flags, None
    error = relative_error(load_file(str(latents_path))["latents"], golden["latents"])
    record = json.loads((out_dir / "generation.json").read_text())
    print(f"{run_name}: last-chunk latents relative error {error:.3g}; outputs "
          f"{sorted(path.name for path in out_dir.iterdir())}")
    return completed, record, flags, error


def check_golden_case(cli, model_dir, golden_dir, scratch, name, expected_record):
    """Golden case `name` through the CLI equals the reference; generation.json holds
    `expected_record` and the case's hints."""
    completed, record, flags, error = run_golden_case(cli, model_dir, golden_dir, scratch, name)
    if record is None:
        return [f"{name}: exit {completed.returncode}: {completed.stderr[-800:]}"]
    failures = []
    if error > 1e-5:
        failures.append(f"{name} differs from the reference: {error}")
    expected = dict(expected_record, mode="transfer", control_guidance=flags["control_guidance"])
    for key, value in expected.items():
        if record.get(key) != value:
            failures.append(f"{name}: generation.json {key} is {record.get(key)!r}, "
                            f"expected {value!r}")
    if sorted(record.get("control", {})) != sorted(flags["hints"]):
        failures.append(f"{name}: generation.json lacks the controls: {record.get('control')}")
    return failures


def check_end_to_end(cli, model_dir, golden_dir, scratch):
    failures = check_golden_case(cli, model_dir, golden_dir, scratch, "two_chunks",
                                 {"num_chunks": 2, "num_frames": 13})
    # The first chunk seeded from two frames of an input video (--video-path).
    failures += check_golden_case(cli, model_dir, golden_dir, scratch, "first_chunk_from_video",
                                  {"num_chunks": 1, "num_first_chunk_conditional_frames": 2})
    failures += check_intervals(cli, model_dir, golden_dir, scratch)
    return failures


def check_intervals(cli, model_dir, golden_dir, scratch):
    """With --guidance-interval and --control-guidance-interval the job equals the reference's
    run with those intervals; without them it visibly differs from it, so the flags act."""
    failures = check_golden_case(cli, model_dir, golden_dir, scratch, "edge_intervals",
                                 {"guidance_interval": [0, 950],
                                  "control_guidance_interval": [900, 1000]})
    for left_out in (("guidance_interval",), ("control_guidance_interval",)):
        completed, _, _, error = run_golden_case(cli, model_dir, golden_dir, scratch,
                                                 "edge_intervals", left_out)
        if error is None:
            failures.append(f"edge_intervals without {left_out}: exit {completed.returncode}: "
                            f"{completed.stderr[-600:]}")
        elif error < 1e-3:
            failures.append(f"leaving {left_out} out changed the result by only {error}: "
                            "the interval does not act")
    return failures


def check_made_controls(cli, model_dir, scratch):
    """Edge and blur controls made from a video run, and generation.json says how."""
    out_dir = scratch / "made_out"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    flags = ["--control", "edge", "--control", "blur", "--control-source", "edge9.png",
             "--edge-thresholds", "50,150", "--blur-sigma", "2", "--guidance-scale", "1"]
    completed = run(cli, model_dir, out_dir, flags, scratch)
    if completed.returncode != 0:
        return [f"made controls: exit {completed.returncode}: {completed.stderr[-600:]}"]
    control = json.loads((out_dir / "generation.json").read_text()).get("control", {})
    source = str(scratch / "edge9.png")
    expected = {"edge": {"made_from": source, "low_threshold": 50, "high_threshold": 150},
                "blur": {"made_from": source, "sigma": 2}}
    if control != expected:
        return [f"generation.json records the made controls as {control}, expected {expected}"]
    print(f"made controls recorded: {control}")
    return []


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    cli, checkpoint = sys.argv[1], pathlib.Path(sys.argv[2])
    golden_dir, scratch = pathlib.Path(sys.argv[3]), pathlib.Path(sys.argv[4])
    scratch.mkdir(parents=True, exist_ok=True)
    for index, (name, (num_frames, height, width)) in enumerate(CONTROLS.items()):
        write_apng(scratch / name, random_frames(num_frames, height, width, index))
    (scratch / "not_video.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not a picture")
    model_dir = corrupt_checkpoint(checkpoint, scratch)

    def run_corrupt(flags):
        return run(cli, model_dir, scratch / "out", flags, scratch)

    failures = check_refusals(run_corrupt, INVALID)
    failures += check_reaches_loader(
        run_corrupt, ["--control", "edge=edge9.png", "--control", "depth=depth9.png"],
        "transfer job")
    failures += check_end_to_end(cli, checkpoint, golden_dir, scratch)
    failures += check_made_controls(cli, checkpoint, scratch)
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
