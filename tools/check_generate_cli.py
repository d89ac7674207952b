#!/usr/bin/env python3
"""Invalid cosmos3-generate requests must fail before any weights are read, naming the rule.

    check_generate_cli.py CLI VALID_CASE_DIR SCRATCH_DIR

Copies a valid pipeline folder and replaces its transformer weights with garbage: a request
that got as far as loading would fail with a checkpoint error instead of the expected message.
Also checks that a valid request on that folder does reach the loader and names the bad file.
"""
import json
import pathlib
import subprocess
import sys

from cli_refusals import USAGE_EXIT, check_reaches_loader, check_refusals, corrupt_checkpoint

# flags to add to the valid case's, expected exit code, words the message must contain
INVALID = [
    (["--height", "60"], USAGE_EXIT, "multiples of 16"),
    (["--width", "0"], USAGE_EXIT, "multiples of 16"),
    (["--num-frames", "0"], USAGE_EXIT, "--num-frames must be 1"),
    (["--num-frames", "10"], USAGE_EXIT, "1 + 4 * k"),
    (["--guidance-scale", "-1"], USAGE_EXIT, "--guidance-scale must be >= 0"),
    (["--steps", "0"], USAGE_EXIT, "--steps must be at least 1"),
    (["--fps", "0"], USAGE_EXIT, "--fps must be a positive"),
    (["--flow-shift", "-2"], USAGE_EXIT, "--flow-shift must be a positive"),
    (["--prompt", "   "], USAGE_EXIT, "--prompt must not be empty"),
    (["--frames", "9"], USAGE_EXIT, "unknown flag '--frames'"),
    (["--height", "tall"], USAGE_EXIT, "--height takes a number"),
    (["--use-system-prompt", "maybe"], USAGE_EXIT, "takes true or false"),
    (["--seed"], USAGE_EXIT, "--seed needs a value"),
    # Parallel layouts, refused before any rank starts (the tiny Nano has 4 query, 2 KV heads).
    (["--tp", "3"], USAGE_EXIT, "Valid tp degrees: 1, 2, 4"),
    (["--cfg-parallel", "4"], USAGE_EXIT, "cfg must be 1, 2 or 3"),
    (["--cp", "0"], USAGE_EXIT, "--cp takes a number of ranks >= 1"),
    (["--cp", "2", "--device", "cuda:0"], USAGE_EXIT, "pass --device cuda and each rank"),
]
# Distilled checkpoints fix their schedule and bake guidance in.
INVALID_DISTILLED = [
    (["--guidance-scale", "3"], USAGE_EXIT, "distilled checkpoint with guidance baked"),
    (["--steps", "9"], USAGE_EXIT, "distilled checkpoint whose schedule has 4 steps"),
    (["--flow-shift", "2"], USAGE_EXIT, "--flow-shift does not apply"),
]


def run(cli, model_dir, out_dir, flags):
    base = json.loads((model_dir / "args.json").read_text())
    # Later flags replace earlier ones: drop the base's copy of any flag the case sets.
    overridden = {flag for flag in flags if flag.startswith("--")}
    kept = []
    skip = False
    for index, item in enumerate(base):
        if skip:
            skip = False
            continue
        if item in overridden:
            skip = True
            continue
        kept.append(item)
    command = [cli, "--model", str(model_dir), "--output-dir", str(out_dir), *kept, *flags]
    return subprocess.run(command, capture_output=True, text=True)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    cli, valid_dir, scratch = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    model_dir = corrupt_checkpoint(valid_dir, scratch)

    def run_corrupt(flags):
        return run(cli, model_dir, scratch / "out", flags)

    distilled = (model_dir / "modular_model_index.json").exists()
    failures = check_refusals(run_corrupt, INVALID + (INVALID_DISTILLED if distilled else []))
    failures += check_reaches_loader(run_corrupt, [], "request")
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
