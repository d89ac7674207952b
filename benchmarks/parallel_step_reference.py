#!/usr/bin/env python3
"""The baseline of cosmos3-bench-parallel: one classifier-free-guidance step (the cond and the
uncond forward, one after the other) of diffusers' random-weight, full-size
Cosmos3OmniTransformer, printed as a row of the same markdown table.

Alone it times one GPU. Under torchrun with --tp/--cp it applies the seed PR's multi-GPU
helpers (diffusers' examples/cosmos3/cosmos_parallel.py, found through --helpers-dir; they need
the diffusers source tree they came with on PYTHONPATH): Ulysses CP over a (tp, cp) device mesh,
Megatron TP, and their flash-attention processor for TP alone. The helpers have no CFG
parallelism, so every layout runs both branches on every rank.

    parallel_step_reference.py --family nano --height 720 --width 1280 --frames 189
    torchrun --nproc-per-node 8 parallel_step_reference.py --cp 8 --helpers-dir DIFFUSERS/examples/cosmos3
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from transformer_forward_reference import add_workload_arguments, build_model, synthetic_inputs  # noqa: E402


def parse_arguments():
    parser = argparse.ArgumentParser()
    add_workload_arguments(parser)
    parser.add_argument("--uncond-text-tokens", type=int, default=0, help="default: a third of --text-tokens")
    parser.add_argument("--tp", type=int, default=1)
    parser.add_argument("--cp", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--num-layers", type=int, default=0, help="0: the family's (smaller for smoke tests)")
    parser.add_argument("--helpers-dir", default="", help="folder holding the seed PR's cosmos_parallel.py")
    parser.add_argument("--reference-step-seconds", type=float, default=0.0)
    return parser.parse_args()


def layout_label(tp, cp):
    parts = [f"{name} {degree}" for name, degree in (("TP", tp), ("CP", cp)) if degree > 1]
    return " x ".join(parts) or "1 rank"


def apply_seed_helpers(model, tp, cp, helpers_dir, device_type):
    """Wires the seed PR's helpers onto `model` over a (tp, cp) mesh of this torchrun world."""
    if not helpers_dir or not os.path.isfile(os.path.join(helpers_dir, "cosmos_parallel.py")):
        raise SystemExit(f"--tp {tp} --cp {cp} needs --helpers-dir with the seed PR's cosmos_parallel.py")
    sys.path.insert(0, helpers_dir)
    import cosmos_parallel
    from torch.distributed.device_mesh import init_device_mesh

    mesh = init_device_mesh(device_type, (tp, cp), mesh_dim_names=("tp", "cp"))
    if tp > 1:
        cosmos_parallel.enable_cosmos3_tensor_parallel(model, mesh["tp"])
    if cp > 1:
        cosmos_parallel.enable_cosmos3_context_parallel(model, mesh["cp"])
    elif tp > 1:
        cosmos_parallel.enable_cosmos3_flash_attention(model)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    if dist.is_initialized():
        dist.barrier()


def main():
    args = parse_arguments()
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if args.tp * args.cp != world_size:
        raise SystemExit(f"--tp {args.tp} x --cp {args.cp} needs {args.tp * args.cp} ranks; this run has {world_size}")
    if args.device == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    if world_size > 1:
        on_gpu = device.type == "cuda"
        dist.init_process_group("nccl" if on_gpu else "gloo", device_id=device if on_gpu else None)
    torch.manual_seed(0)  # every rank draws the same inputs

    start = time.perf_counter()
    model = build_model(args.family, device=str(device), num_layers=args.num_layers)
    if world_size > 1:
        apply_seed_helpers(model, args.tp, args.cp, args.helpers_dir, device.type)
    synchronize(device)
    weights_seconds = time.perf_counter() - start

    uncond_text_tokens = args.uncond_text_tokens or max(1, args.text_tokens // 3)
    shape = (args.height, args.width, args.frames)
    cond = synthetic_inputs(model, *shape, args.text_tokens, device=str(device))
    uncond = synthetic_inputs(model, *shape, uncond_text_tokens, device=str(device))
    seconds = []
    with torch.inference_mode():
        for run in range(args.warmup + args.steps):
            if run == args.warmup and device.type == "cuda":
                torch.cuda.reset_peak_memory_stats(device)
            synchronize(device)
            start = time.perf_counter()
            model(**cond)
            model(**uncond)
            synchronize(device)
            if run >= args.warmup:
                seconds.append(time.perf_counter() - start)

    peak_gib = torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else 0.0
    weights_gib = sum(p.numel() * p.element_size() for p in model.parameters()) / 2**30
    if dist.is_initialized():
        # DTensor parameters report their global size; the local shard is what a rank holds.
        local = [getattr(p, "_local_tensor", p) for p in model.parameters()]
        weights_gib = sum(t.numel() * t.element_size() for t in local) / 2**30
        worst = torch.tensor([peak_gib, weights_gib, weights_seconds], dtype=torch.float64, device=device)
        dist.all_reduce(worst, op=dist.ReduceOp.MAX)
        peak_gib, weights_gib, weights_seconds = worst.tolist()
    if int(os.environ.get("RANK", "0")) == 0:
        median = statistics.median(seconds)
        speedup = efficiency = "-"
        if args.reference_step_seconds > 0:
            ratio = args.reference_step_seconds / median
            speedup, efficiency = f"{ratio:.2f}", f"{100 * ratio / world_size:.0f} %"
        print(f"| {args.family} (diffusers) | {args.height}x{args.width}x{args.frames} | "
              f"{layout_label(args.tp, args.cp)} | {world_size} | measured | {median:.3f} | {min(seconds):.3f} | - | "
              f"- | - | {speedup} | {efficiency} | {peak_gib:.1f} | {weights_gib:.1f} | {weights_seconds:.1f} |",
              flush=True)
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
