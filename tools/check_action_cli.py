#!/usr/bin/env python3
"""cosmos3-generate's action jobs: bad mode/input combinations, settings and action files are
refused before any weight is read, naming the problem; a policy job run end to end writes the
reference's latents, sample_action.json and its record in generation.json.

    check_action_cli.py CLI TINY_CHECKPOINT ACTION_GOLDEN_DIR SCRATCH_DIR

The refusals run on a copy of the checkpoint whose transformer weights are garbage: a request
that got as far as loading would fail with a checkpoint error instead. The end-to-end run uses
the golden policy case (tools/make_action_golden.py), its frame written as a lossless PNG.
Tolerance: 1e-5 relative (L2), as tests/pipeline/tst_action_generation.cpp.
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


POLICY = {"--action-mode": "policy", "--domain": "bridge_orig_lerobot", "--chunk-size": "4",
          "--resolution-tier": "256", "--prompt": "put the spoon in the pot"}
FORWARD = {"--action-mode": "forward_dynamics", "--domain": "pusht", "--chunk-size": "4",
           "--resolution-tier": "256", "--prompt": "push the block"}


def job(base, **overrides):
    """`base` with flags replaced, added, or (value None) left out; names use _ for -."""
    flags = dict(base)
    for name, value in overrides.items():
        flag = "--" + name.replace("_", "-")
        if value is None:
            flags.pop(flag, None)
        else:
            flags[flag] = value
    return [item for pair in flags.items() for item in pair]


# action files: name -> text
ACTION_FILES = {
    "not_json.json": "[[0.1, 0.2], [0.3",
    "nan.json": "[[0.1, NaN]]",
    "wide.json": "[[0.1, 0.2, 0.3]]",
    "empty.json": "[]",
    "rank1.json": "[0.1, 0.2]",
    "good.json": "[[0.1, 0.2], [0.3, 0.4]]",
}

# flags (IMAGE / files substituted), expected exit code, words the message must contain
INVALID = [
    (job(POLICY, action_mode="planning"), USAGE_EXIT, "--action-mode takes"),
    (job(POLICY, domain="spot"), USAGE_EXIT, "--domain 'spot' is not a Cosmos3 embodiment"),
    (job(POLICY, domain="libero"), USAGE_EXIT, "no fixed action width"),
    (job(POLICY, domain="hand_pose"), USAGE_EXIT, "more than this checkpoint's action_dim 12"),
    (job(POLICY, resolution_tier="512"), USAGE_EXIT, "--resolution-tier must be 256, 480"),
    (job(POLICY, view_point="top_view"), USAGE_EXIT, "--view-point 'top_view'"),
    (job(POLICY, chunk_size="0"), USAGE_EXIT, "--chunk-size must be at least 1"),
    (job(POLICY, num_frames="9"), USAGE_EXIT, "leave --num-frames, --height and --width out"),
    (job(POLICY, action_mode=None), USAGE_EXIT, "add --action-mode"),
    (job(POLICY, action_mode="inverse_dynamics"), USAGE_EXIT, "give the clip with --video-path"),
    (job(POLICY, actions="good.json"), USAGE_EXIT, "leave --actions out"),
    (job(FORWARD), USAGE_EXIT, "pass them with --actions FILE"),
    (job(FORWARD, actions="not_json.json"), FILE_EXIT, "not_json.json is not JSON"),
    (job(FORWARD, actions="nan.json"), FILE_EXIT, "holds NaN"),
    (job(FORWARD, actions="wide.json"), FILE_EXIT, "has 3 values, but domain pusht has actions of width 2"),
    (job(FORWARD, actions="empty.json"), FILE_EXIT, "is empty"),
    (job(FORWARD, actions="rank1.json"), FILE_EXIT, "is not an array"),
    (job(FORWARD, actions="missing.json"), FILE_EXIT, "cannot be opened"),
]


def run(cli, model_dir, out_dir, flags, scratch):
    resolved = [str(scratch / flag) if flag.endswith(".json") or flag == "IMAGE" else flag
                for flag in flags]
    has_input = "--vision-path" in resolved or "--video-path" in resolved
    image = [] if has_input else ["--vision-path", str(scratch / "frame.png")]
    command = [cli, "--model", str(model_dir), "--output-dir", str(out_dir), *image, *resolved]
    return subprocess.run(command, capture_output=True, text=True)


def check_end_to_end(cli, model_dir, golden_dir, scratch):
    case_path = golden_dir / "policy.safetensors"
    with safe_open(str(case_path), "pt") as handle:
        flags = json.loads(handle.metadata()["case"])
    golden = load_file(str(case_path))
    out_dir = scratch / "policy_out"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    latents_path = scratch / "policy_latents.safetensors"
    command = [cli, "--model", str(model_dir), "--output-dir", str(out_dir),
               "--vision-path", str(scratch / "frame.png"), "--output-latents", str(latents_path),
               "--action-mode", flags["mode"], "--domain", flags["domain"],
               "--chunk-size", str(flags["chunk_size"]), "--resolution-tier", str(flags["resolution_tier"]),
               "--view-point", flags["view_point"], "--prompt", flags["prompt"], "--fps", str(flags["fps"]),
               "--steps", str(flags["num_inference_steps"]), "--guidance-scale", str(flags["guidance_scale"]),
               "--seed", str(flags["seed"])]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        return [f"policy job: exit {completed.returncode}: {completed.stderr[-600:]}"]
    failures = []
    latent_error = relative_error(load_file(str(latents_path))["latents"], golden["latents"])
    actions = torch.tensor(json.loads((out_dir / "sample_action.json").read_text()))
    action_error = relative_error(actions, golden["actions"])
    record = json.loads((out_dir / "generation.json").read_text())
    print(f"policy job: latents relative error {latent_error:.3g}, actions {action_error:.3g}")
    if latent_error > 1e-5 or action_error > 1e-5:
        failures.append(f"policy job differs from the reference: {latent_error}, {action_error}")
    if record.get("action_mode") != "policy" or record.get("actions_file") != "sample_action.json":
        failures.append(f"generation.json lacks the action record: {record}")
    return failures


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    cli, checkpoint = sys.argv[1], pathlib.Path(sys.argv[2])
    golden_dir, scratch = pathlib.Path(sys.argv[3]), pathlib.Path(sys.argv[4])
    scratch.mkdir(parents=True, exist_ok=True)
    frames = load_file(str(golden_dir / "policy.safetensors"))["frames"]
    Image.fromarray(frames[0].numpy()).save(scratch / "frame.png")
    for name, text in ACTION_FILES.items():
        (scratch / name).write_text(text)
    model_dir = corrupt_checkpoint(checkpoint, scratch)

    def run_corrupt(flags):
        return run(cli, model_dir, scratch / "out", flags, scratch)

    failures = check_refusals(run_corrupt, INVALID)
    for flags in (job(POLICY), job(FORWARD, actions="good.json")):
        failures += check_reaches_loader(run_corrupt, flags, f"{flags[1]} job")
    failures += check_end_to_end(cli, checkpoint, golden_dir, scratch)
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
