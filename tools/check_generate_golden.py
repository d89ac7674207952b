#!/usr/bin/env python3
"""Runs cosmos3-generate on one case of make_generate_golden.py and compares its latents with
the reference's (relative Frobenius error at most --rtol).

    check_generate_golden.py CLI CASE_DIR OUT_DIR [--rtol 1e-5] [--ranks "--cp 2 --tp 2"]

With --ranks the CLI runs that parallel layout (one process per rank, started by the CLI
itself); its latents must still equal the reference's, and every rank must have left a log.
"""
import argparse
import json
import pathlib
import subprocess
import sys

from safetensors.torch import load_file


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cli")
    parser.add_argument("case_dir", type=pathlib.Path)
    parser.add_argument("out_dir", type=pathlib.Path)
    parser.add_argument("--rtol", type=float, default=1e-5)
    parser.add_argument("--ranks", default="", help="parallel layout flags, e.g. '--cp 2'")
    args = parser.parse_args()
    layout = args.ranks.split()
    latents_path = args.out_dir / "latents.safetensors"
    flags = json.loads((args.case_dir / "args.json").read_text())
    command = [args.cli, "--model", str(args.case_dir), "--output-dir", str(args.out_dir),
               "--output-latents", str(latents_path), *flags, *layout]
    completed = subprocess.run(command)
    if completed.returncode != 0:
        sys.exit(f"cosmos3-generate exited with {completed.returncode}")
    ours, expected = load_file(latents_path)["latents"], load_file(args.case_dir / "expected.safetensors")["latents"]
    if ours.shape != expected.shape:
        sys.exit(f"latents shape {tuple(ours.shape)}, reference {tuple(expected.shape)}")
    error = ((ours - expected).norm() / expected.norm()).item()
    print(f"{args.case_dir.name}: relative error {error:.3g} (bound {args.rtol:g})")
    metadata = json.loads((args.out_dir / "generation.json").read_text())
    if metadata["seed"] != int(flags[flags.index("--seed") + 1]):
        sys.exit("generation.json does not record the seed")
    if layout:
        degrees = {flag: int(value) for flag, value in zip(layout[::2], layout[1::2])}
        num_ranks = degrees.get("--cfg-parallel", 1) * degrees.get("--tp", 1) * degrees.get("--cp", 1)
        logs = sorted(path.name for path in (args.out_dir / "rank-logs").glob("rank-*.log"))
        if len(logs) != num_ranks:
            sys.exit(f"expected {num_ranks} rank logs, found {logs}")
        recorded = metadata["parallel"]
        if (recorded["cfg"], recorded["tp"], recorded["cp"]) != (
                degrees.get("--cfg-parallel", 1), degrees.get("--tp", 1), degrees.get("--cp", 1)):
            sys.exit(f"generation.json records the layout {recorded}, asked for {args.ranks}")
        print(f"{num_ranks} ranks ({args.ranks}), logs {logs}")
    sys.exit(0 if error <= args.rtol else 1)


if __name__ == "__main__":
    main()
