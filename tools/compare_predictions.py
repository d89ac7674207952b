#!/usr/bin/env python3
"""Compare two safetensors files of predictions (e.g. `cosmos3-tool forward` output against a
reference run): same names and shapes, and relative error (Frobenius) at most --rtol.

    compare_predictions.py OURS.safetensors REFERENCE.safetensors [--rtol 1e-5]
"""
import argparse
import sys

from safetensors.torch import load_file


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ours")
    parser.add_argument("reference")
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    ours, reference = load_file(args.ours), load_file(args.reference)
    if sorted(ours) != sorted(reference):
        sys.exit(f"names differ: {sorted(ours)} vs {sorted(reference)}")
    failed = False
    for name in sorted(reference):
        a, b = ours[name].float(), reference[name].float()
        if a.shape != b.shape:
            sys.exit(f"{name}: shape {tuple(a.shape)} vs {tuple(b.shape)}")
        error = ((a - b).norm() / b.norm().clamp_min(1e-30)).item()
        status = "ok" if error <= args.rtol else "FAILED"
        failed |= error > args.rtol
        print(f"{name:12s} {str(tuple(b.shape)):22s} relative error {error:.3g} {status}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
