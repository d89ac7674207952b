#!/usr/bin/env python3
"""diffusers' Cosmos3OmniTransformer forward on a random-weight, full-size model, timed the
same way as cosmos3-bench-transformer (same config, same synthetic text-to-video layout), and
printed as the same kind of row.

    transformer_forward_reference.py --family nano --height 720 --width 1280 --frames 189
"""
import argparse
import statistics
import time

import torch
from diffusers import Cosmos3OmniTransformer

FAMILIES = {
    "nano": dict(hidden_size=4096, num_hidden_layers=36, num_attention_heads=32, intermediate_size=12288),
    "super": dict(hidden_size=5120, num_hidden_layers=64, num_attention_heads=64, intermediate_size=25600),
    "edge": dict(hidden_size=2048, num_hidden_layers=28, num_attention_heads=16, intermediate_size=9216,
                 hidden_act="relu2", qk_norm_for_text=False, use_und_k_norm_for_gen=True,
                 rms_norm_eps=1e-5, rope_theta=1e8, vocab_size=131072),
}


def build_model(family: str, device: str = "cuda", num_layers: int = 0) -> torch.nn.Module:
    config = dict(num_key_value_heads=8, head_dim=128, sound_gen=family != "edge", sound_dim=64,
                  action_gen=True, action_dim=64, **FAMILIES[family])
    if num_layers > 0:  # small smoke tests
        config["num_hidden_layers"] = num_layers
    # Built on the GPU in bf16 directly: an fp32 Nano would not fit beside its bf16 copy.
    torch.set_default_dtype(torch.bfloat16)
    with torch.device(device):
        model = Cosmos3OmniTransformer(**config)
    torch.set_default_dtype(torch.float32)
    model.time_embedder.float()
    return model.eval()


def synthetic_inputs(model, height, width, frames, text_tokens, device="cuda"):
    config = model.config
    latent_frames, latent_height, latent_width = (frames - 1) // 4 + 1, height // 16, width // 16
    p = config.latent_patch_size
    h_patches, w_patches = -(-latent_height // p), -(-latent_width // p)
    num_vision = latent_frames * h_patches * w_patches
    total = text_tokens + num_vision
    positions = torch.arange(total, device=device)
    return dict(
        input_ids=torch.randint(0, config.vocab_size, (text_tokens,), device=device),
        text_indexes=torch.arange(text_tokens, device=device),
        position_ids=torch.stack([positions] * 3),
        und_len=text_tokens,
        sequence_length=total,
        vision_tokens=[torch.randn(1, config.latent_channel, latent_frames, latent_height, latent_width,
                                   device=device, dtype=torch.bfloat16)],
        vision_token_shapes=[(latent_frames, h_patches, w_patches)],
        vision_sequence_indexes=torch.arange(text_tokens, total, device=device),
        vision_mse_loss_indexes=torch.arange(text_tokens, total, device=device),
        vision_timesteps=torch.full((num_vision,), 500.0, device=device),
        vision_noisy_frame_indexes=[torch.arange(latent_frames, device=device)],
    )


def add_workload_arguments(parser):
    """The model and video flags every reference benchmark shares, with the C++ side's defaults."""
    parser.add_argument("--family", default="nano", choices=sorted(FAMILIES))
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--frames", type=int, default=189)
    parser.add_argument("--text-tokens", type=int, default=300)


def main():
    parser = argparse.ArgumentParser()
    add_workload_arguments(parser)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--compile", action="store_true",
                        help="torch.compile the repeated decoder layers (what vLLM-Omni does); "
                             "the warm-up forwards compile")
    args = parser.parse_args()
    start = time.perf_counter()
    model = build_model(args.family)
    if args.compile:
        model.compile_repeated_blocks()
    torch.cuda.synchronize()
    weights_seconds = time.perf_counter() - start
    inputs = synthetic_inputs(model, args.height, args.width, args.frames, args.text_tokens)
    seconds = []
    with torch.inference_mode():
        for run in range(args.warmup + args.iterations):
            if run == args.warmup:
                torch.cuda.reset_peak_memory_stats()
            torch.cuda.synchronize()
            start = time.perf_counter()
            model(**inputs)
            torch.cuda.synchronize()
            if run >= args.warmup:
                seconds.append(time.perf_counter() - start)
    gen_tokens = inputs["sequence_length"] - inputs["und_len"]
    who = "reference-compiled" if args.compile else "reference"
    print(f"{who} {args.family} {args.height}x{args.width}x{args.frames} gen_tokens={gen_tokens} "
          f"text_tokens={args.text_tokens} median_s={statistics.median(seconds):.4f} min_s={min(seconds):.4f} "
          f"peak_gib={torch.cuda.max_memory_allocated() / 2**30:.2f} weights_s={weights_seconds:.1f}")


if __name__ == "__main__":
    main()
