#!/usr/bin/env python3
"""Reference safetensors files for the C++ reader tests, written by the `safetensors` package.

    safetensors_fixtures.py make OUT_DIR     write dtypes.safetensors and sharded/
    safetensors_fixtures.py verify FILE      check that FILE (written by our C++ writer) holds
                                             exactly the tensors and metadata of dtypes.safetensors

The C++ tests rebuild the same values with the same formulas; keep both in step.
"""
import json
import pathlib
import sys

import torch
from safetensors.torch import load_file, safe_open, save_file

METADATA = {"format": "pt", "origin": "cosmos3-test"}


def dtype_tensors():
    return {
        "f32_matrix": torch.arange(15, dtype=torch.float32).reshape(3, 5) * 0.25 - 1,
        "bf16_block": (torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) / 7).to(torch.bfloat16),
        "f16_vector": (torch.arange(10, dtype=torch.float32) / 3 - 1).to(torch.float16),
        "f64_column": torch.arange(4, dtype=torch.float64).reshape(4, 1) / 9,
        "i64_ids": torch.arange(6, dtype=torch.int64) * 1000 - 2500,
        "i32_row": torch.arange(7, dtype=torch.int32) - 3,
        "u8_bytes": torch.arange(9, dtype=torch.uint8).reshape(3, 3),
        "bool_mask": torch.arange(5) % 2 == 0,
        "f32_scalar": torch.tensor(3.5, dtype=torch.float32),
        "f32_empty": torch.zeros(0, 4, dtype=torch.float32),
    }


def sharded_tensors():
    """Two shards; 'blocks.0.weight' is [4, 6] so slices along both dimensions are testable."""
    first = {
        "blocks.0.weight": torch.arange(24, dtype=torch.float32).reshape(4, 6),
        "blocks.0.bias": torch.arange(4, dtype=torch.float32) - 2,
    }
    second = {
        "blocks.1.weight": (torch.arange(12, dtype=torch.float32).reshape(2, 3, 2) / 5).to(torch.bfloat16),
    }
    return first, second


def make(out_dir: pathlib.Path):
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(dtype_tensors(), out_dir / "dtypes.safetensors", metadata=METADATA)
    sharded = out_dir / "sharded"
    sharded.mkdir(exist_ok=True)
    weight_map = {}
    shards = sharded_tensors()
    for index, tensors in enumerate(shards, start=1):
        shard_name = f"model-{index:05d}-of-{len(shards):05d}.safetensors"
        save_file(tensors, sharded / shard_name)
        weight_map.update({name: shard_name for name in tensors})
    index = {"metadata": {"total_size": 0}, "weight_map": weight_map}
    (sharded / "model.safetensors.index.json").write_text(json.dumps(index, indent=2))


def verify(path: pathlib.Path):
    expected = dtype_tensors()
    actual = load_file(path)
    if sorted(actual) != sorted(expected):
        sys.exit(f"{path}: tensor names {sorted(actual)} != {sorted(expected)}")
    for name, tensor in expected.items():
        got = actual[name]
        if got.dtype != tensor.dtype or got.shape != tensor.shape or not torch.equal(got, tensor):
            sys.exit(f"{path}: tensor {name} differs: {got.dtype} {tuple(got.shape)} vs "
                     f"{tensor.dtype} {tuple(tensor.shape)}")
    with safe_open(path, "pt") as handle:
        if handle.metadata() != METADATA:
            sys.exit(f"{path}: metadata {handle.metadata()} != {METADATA}")
    print(f"{path}: {len(expected)} tensors and metadata equal the reference")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "verify"):
        sys.exit(__doc__)
    (make if sys.argv[1] == "make" else verify)(pathlib.Path(sys.argv[2]))
