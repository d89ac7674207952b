#!/usr/bin/env python3
"""diffusers' Cosmos3AVAEAudioTokenizer.decode on a random-weight, full-size Cosmos3 sound
tokenizer (decoder only, the published config), timed the same way as cosmos3-bench-sound and
printed as the same kind of row.

    sound_decode_reference.py --latent-frames 197 --dtype bfloat16
"""
import argparse
import statistics
import time

import torch
from diffusers import Cosmos3AVAEAudioTokenizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--latent-frames", type=int, default=197)
    parser.add_argument("--dtype", choices=["bfloat16", "float32"], default="bfloat16")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--device", default="cuda")
    args = parser.parse_args()
    dtype = getattr(torch, args.dtype)
    cuda = args.device.startswith("cuda")

    def synchronize():
        if cuda:
            torch.cuda.synchronize()

    start = time.perf_counter()
    torch.set_default_dtype(dtype)
    with torch.device(args.device):
        # Decoder only, as ours: the encoder's weights would only add memory.
        model = Cosmos3AVAEAudioTokenizer(encoder_enabled=False).eval()
    torch.set_default_dtype(torch.float32)
    synchronize()
    weights_seconds = time.perf_counter() - start
    latents = torch.randn(model.config.vocoder_input_dim, args.latent_frames, device=args.device, dtype=dtype)
    seconds = []
    samples = 0
    with torch.inference_mode():
        for run in range(args.warmup + args.iterations):
            if run == args.warmup and cuda:
                torch.cuda.reset_peak_memory_stats()
            synchronize()
            start = time.perf_counter()
            samples = model.decode(latents).shape[-1]
            synchronize()
            if run >= args.warmup:
                seconds.append(time.perf_counter() - start)
    print(f"reference sound_decode T={args.latent_frames} dtype={args.dtype} samples={samples} "
          f"median_s={statistics.median(seconds):.4f} min_s={min(seconds):.4f} "
          f"peak_gib={(torch.cuda.max_memory_allocated() if cuda else 0) / 2**30:.2f} "
          f"weights_s={weights_seconds:.1f}")


if __name__ == "__main__":
    main()
