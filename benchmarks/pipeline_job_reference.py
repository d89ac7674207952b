"""diffusers' Cosmos3 modular pipeline running one whole job on a pipeline folder (the random
full-size one of `cosmos3-tool make-random-checkpoint`), bf16 on a GPU, timed per phase like
ours: load, prompt + denoise (the modular text_encoder and denoise blocks), VAE decode. Prints
one row per phase.

    pipeline_job_reference.py FOLDER --height 720 --width 1280 --frames 189 --steps 35
"""
import argparse
import json
import pathlib
import time

import torch
from diffusers import AutoencoderKLWan, Cosmos3OmniTransformer, UniPCMultistepScheduler
from diffusers.modular_pipelines import SequentialPipelineBlocks
from diffusers.modular_pipelines.cosmos import Cosmos3OmniBlocks
from transformers import AutoTokenizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=pathlib.Path)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--frames", type=int, default=189)
    parser.add_argument("--steps", type=int, default=35)
    parser.add_argument("--prompt", default="A red ball rolls across a wooden table")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--device", default="cuda", help="cpu checks the script on a tiny folder")
    args = parser.parse_args()

    def now():
        torch.cuda.synchronize() if args.device == "cuda" else None
        return time.perf_counter()

    start = now()
    transformer = Cosmos3OmniTransformer.from_pretrained(args.folder / "transformer",
                                                         torch_dtype=torch.bfloat16).to(args.device).eval()
    vae = AutoencoderKLWan.from_pretrained(args.folder / "vae", torch_dtype=torch.bfloat16).to(args.device).eval()
    scheduler = UniPCMultistepScheduler.from_pretrained(args.folder / "scheduler")
    tokenizer = AutoTokenizer.from_pretrained(args.folder / "text_tokenizer")
    blocks = Cosmos3OmniBlocks()
    pipe = SequentialPipelineBlocks.from_blocks_dict(
        {"text_encoder": blocks.sub_blocks["text_encoder"], "denoise": blocks.sub_blocks["denoise"]}).init_pipeline()
    settings = json.loads((args.folder / "model_index.json").read_text())
    pipe.register_to_config(default_use_system_prompt=settings["default_use_system_prompt"],
                            use_native_flow_schedule=settings["use_native_flow_schedule"])
    pipe.update_components(transformer=transformer, scheduler=scheduler, text_tokenizer=tokenizer)
    pipe.disable_safety_checker()
    load_s = now() - start

    if args.device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    start = now()
    with torch.inference_mode():
        latents = pipe(prompt=args.prompt, negative_prompt="", num_frames=args.frames, height=args.height,
                       width=args.width, generator=torch.Generator().manual_seed(args.seed),
                       num_inference_steps=args.steps, guidance_scale=6.0, output="latents")
    denoise_s = now() - start
    denoise_peak = torch.cuda.max_memory_allocated() / 2**30 if args.device == "cuda" else 0.0

    mean = torch.tensor(vae.config.latents_mean, dtype=vae.dtype).view(1, -1, 1, 1, 1).to(args.device)
    inv_std = (1.0 / torch.tensor(vae.config.latents_std, dtype=vae.dtype)).view(1, -1, 1, 1, 1).to(args.device)
    start = now()
    with torch.inference_mode():
        pixels = vae.decode(latents.to(vae.dtype) / inv_std + mean).sample
    decode_s = now() - start
    del pixels
    print(f"reference load_s={load_s:.1f} prompt_and_denoise_s={denoise_s:.1f} "
          f"s_per_step={denoise_s / args.steps:.3f} decode_s={decode_s:.1f} denoise_peak_gib={denoise_peak:.1f}")


if __name__ == "__main__":
    main()
