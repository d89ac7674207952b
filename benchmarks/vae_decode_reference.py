#!/usr/bin/env python3
"""diffusers' AutoencoderKLWan decode on a random-weight, full-size Cosmos3 (Wan2.2) VAE, timed
the same way as cosmos3-bench-vae (same config, normalised random latents, the pipeline's
de-normalisation), and printed as the same kind of row.

    vae_decode_reference.py --height 720 --width 1280 --frames 189
"""
import argparse
import statistics
import time

import torch
from diffusers import AutoencoderKLWan

Z_DIM = 48
CONFIG = dict(base_dim=160, decoder_base_dim=256, z_dim=Z_DIM, dim_mult=[1, 2, 4, 4], num_res_blocks=2,
              attn_scales=[], temperal_downsample=[False, True, True], dropout=0.0, is_residual=True,
              in_channels=12, out_channels=12, patch_size=2, scale_factor_temporal=4, scale_factor_spatial=16,
              latents_mean=[0.0] * Z_DIM, latents_std=[1.0] * Z_DIM)


def build_model(device: str) -> torch.nn.Module:
    torch.set_default_dtype(torch.bfloat16)
    with torch.device(device):
        model = AutoencoderKLWan(**CONFIG)
    torch.set_default_dtype(torch.float32)
    # Decode only, as ours loads only the decoder: the encoder's weights would only add memory.
    model.encoder = None
    return model.eval()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--frames", type=int, default=189)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=2)
    parser.add_argument("--device", default="cuda")
    args = parser.parse_args()
    cuda = args.device.startswith("cuda")

    def synchronize():
        if cuda:
            torch.cuda.synchronize()

    start = time.perf_counter()
    model = build_model(args.device)
    synchronize()
    weights_seconds = time.perf_counter() - start
    latent_shape = (1, Z_DIM, (args.frames - 1) // 4 + 1, args.height // 16, args.width // 16)
    latents = torch.randn(latent_shape, device=args.device, dtype=torch.bfloat16)
    # The pipeline's de-normalisation, constants built on the CPU as it builds them.
    mean = torch.tensor(model.config.latents_mean, dtype=model.dtype).view(1, -1, 1, 1, 1).to(args.device)
    inv_std = (1.0 / torch.tensor(model.config.latents_std, dtype=model.dtype)).view(1, -1, 1, 1, 1)
    inv_std = inv_std.to(args.device)
    seconds = []
    with torch.inference_mode():
        for run in range(args.warmup + args.iterations):
            if run == args.warmup and cuda:
                torch.cuda.reset_peak_memory_stats()
            synchronize()
            start = time.perf_counter()
            model.decode(latents / inv_std + mean).sample
            synchronize()
            if run >= args.warmup:
                seconds.append(time.perf_counter() - start)
    _, _, t, h, w = latent_shape
    print(f"reference vae_decode {args.height}x{args.width}x{args.frames} latent={t}x{h}x{w} chunk=1 "
          f"median_s={statistics.median(seconds):.4f} min_s={min(seconds):.4f} "
          f"peak_gib={(torch.cuda.max_memory_allocated() if cuda else 0) / 2**30:.2f} weights_s={weights_seconds:.1f}")


if __name__ == "__main__":
    main()
