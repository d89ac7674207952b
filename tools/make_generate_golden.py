#!/usr/bin/env python3
"""Tiny Cosmos3 pipeline folders and the reference's final latents for cosmos3-generate.

    make_generate_golden.py TRANSFORMER_GOLDEN_DIR QWEN3_TOKENIZER_DIR OUT_DIR

Each case OUT_DIR/CASE/ is a diffusers pipeline folder as a user would point --model at:
model_index.json (with the pipeline settings), transformer/ (the tiny checkpoints of
make_transformer_golden.py), vae/ (a tiny random Wan2.2 VAE with the transformer's latent
channels, so that the CLI decodes as it would for a user), scheduler/, and text_tokenizer/, a byte-level BPE trained here
on a small corpus (vocabulary < 300, the tiny transformers' size) with the Cosmos3 special
tokens, the Qwen3 tokenizer.json's normalizer and pre-tokenizer and the Qwen3 chat template.
The reference's modular pipeline, loading that tokenizer through transformers' AutoTokenizer,
runs each case: CASE/args.json holds the command-line flags and CASE/expected.safetensors the
final latents.
"""
import json
import pathlib
import shutil
import sys

import torch
from diffusers import AutoencoderKLWan, Cosmos3OmniTransformer, FlowMatchEulerDiscreteScheduler, UniPCMultistepScheduler
from diffusers.modular_pipelines import SequentialPipelineBlocks
from diffusers.modular_pipelines.cosmos import Cosmos3DistilledBlocks, Cosmos3OmniBlocks
from safetensors.torch import save_file
from transformers import AutoTokenizer

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from make_tiny_tokenizer import write_tiny_tokenizer  # noqa: E402
from make_vae_golden import CONFIG as VAE_CONFIG  # noqa: E402

# name: family, pipeline settings, scheduler, flags
CASES = {
    "nano_t2v_cfg": ("nano", {}, "unipc", dict(
        prompt="A robot arm stacks blue cubes.", negative_prompt="blurry, low quality", num_frames=9,
        height=64, width=96, steps=2, guidance_scale=4.0, flow_shift=5.0, seed=7)),
    "super_t2i_no_system_prompt": ("super", {}, "unipc", dict(
        prompt="Une pomme rouge sur la table, 慢慢地 🍎", num_frames=1, height=48, width=80, steps=3,
        guidance_scale=5.0, seed=3, use_system_prompt=False)),
    "edge_native_schedule": ("edge", {"use_native_flow_schedule": True, "default_use_system_prompt": False},
                             "unipc", dict(prompt="Rain on a tin roof", negative_prompt="noise", num_frames=5,
                                           height=32, width=48, steps=3, guidance_scale=3.0, seed=13)),
    "nano_distilled": ("nano", {"distilled_sigmas": [1.0, 0.9375, 0.8333, 0.625]}, "euler", dict(
        prompt="A kite over a beach", num_frames=9, height=32, width=48, seed=17)),
}


def train_tokenizer(qwen3_dir: pathlib.Path, out_dir: pathlib.Path):
    """The embedded checkpoint's tokenizer recipe, with the real Qwen3 chat template."""
    qwen3_config = json.loads((qwen3_dir / "tokenizer_config.json").read_text())
    write_tiny_tokenizer(qwen3_dir, out_dir, qwen3_config["chat_template"])


def write_tiny_vae(vae_dir: pathlib.Path, latent_channels: int):
    """The VAE only decodes the final latents here; its weights do not reach the golden."""
    torch.manual_seed(0)
    vae = AutoencoderKLWan(**dict(VAE_CONFIG, z_dim=latent_channels, base_dim=8, decoder_base_dim=8),
                           latents_mean=[0.0] * latent_channels,
                           latents_std=[1.0] * latent_channels)
    vae.save_pretrained(vae_dir, safe_serialization=True)


def make_folder(case_dir, family, transformer_dir, tokenizer_dir, settings, scheduler):
    if case_dir.exists():
        shutil.rmtree(case_dir)
    shutil.copytree(transformer_dir / family / "transformer", case_dir / "transformer")
    transformer_config = json.loads((case_dir / "transformer" / "config.json").read_text())
    write_tiny_vae(case_dir / "vae", transformer_config["latent_channel"])
    shutil.copytree(tokenizer_dir, case_dir / "text_tokenizer")
    scheduler.save_config(case_dir / "scheduler")
    index = {"_class_name": "Cosmos3OmniPipeline", "_diffusers_version": "0.42.1",
             "transformer": ["diffusers", "Cosmos3OmniTransformer"],
             "text_tokenizer": ["transformers", "AutoTokenizer"],
             "scheduler": ["diffusers", type(scheduler).__name__],
             "vae": ["diffusers", "AutoencoderKLWan"]}
    index.update({k: v for k, v in settings.items() if k != "distilled_sigmas"})
    (case_dir / "model_index.json").write_text(json.dumps(index, indent=1))
    if "distilled_sigmas" in settings:
        (case_dir / "modular_model_index.json").write_text(
            json.dumps({"is_distilled": True, "distilled_sigmas": settings["distilled_sigmas"]}, indent=1))


def reference_latents(case_dir, settings, scheduler, flags):
    distilled = "distilled_sigmas" in settings
    blocks = Cosmos3DistilledBlocks() if distilled else Cosmos3OmniBlocks()
    pipe = SequentialPipelineBlocks.from_blocks_dict(
        {"text_encoder": blocks.sub_blocks["text_encoder"], "denoise": blocks.sub_blocks["denoise"]}).init_pipeline()
    pipe.register_to_config(**settings)
    transformer = Cosmos3OmniTransformer.from_pretrained(case_dir / "transformer").eval()
    tokenizer = AutoTokenizer.from_pretrained(case_dir / "text_tokenizer")
    pipe.update_components(transformer=transformer, scheduler=scheduler, text_tokenizer=tokenizer)
    pipe.disable_safety_checker()
    arguments = dict(prompt=flags["prompt"], num_frames=flags["num_frames"], height=flags["height"],
                     width=flags["width"], generator=torch.Generator().manual_seed(flags["seed"]),
                     output="latents")
    if "negative_prompt" in flags:
        arguments["negative_prompt"] = flags["negative_prompt"]
    if "use_system_prompt" in flags:
        arguments["use_system_prompt"] = flags["use_system_prompt"]
    if not distilled:
        arguments.update(num_inference_steps=flags["steps"], guidance_scale=flags["guidance_scale"])
    return pipe(**arguments).float().contiguous()


def command_line(flags):
    names = dict(prompt="--prompt", negative_prompt="--negative-prompt", num_frames="--num-frames",
                 height="--height", width="--width", steps="--steps", guidance_scale="--guidance-scale",
                 flow_shift="--flow-shift", seed="--seed", use_system_prompt="--use-system-prompt")
    arguments = []
    for key, value in flags.items():
        arguments += [names[key], str(value).lower() if isinstance(value, bool) else str(value)]
    return arguments


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    transformer_dir, qwen3_dir, out_dir = map(pathlib.Path, sys.argv[1:])
    tokenizer_dir = out_dir / "tiny_tokenizer"
    train_tokenizer(qwen3_dir, tokenizer_dir)
    for name, (family, settings, kind, flags) in CASES.items():
        if kind == "euler":
            scheduler = FlowMatchEulerDiscreteScheduler(stochastic_sampling=True)
        else:
            scheduler = UniPCMultistepScheduler(use_flow_sigmas=True, prediction_type="flow_prediction",
                                                flow_shift=flags.get("flow_shift", 3.0))
        case_dir = out_dir / name
        make_folder(case_dir, family, transformer_dir, tokenizer_dir, settings, scheduler)
        latents = reference_latents(case_dir, settings, scheduler, flags)
        save_file({"latents": latents}, case_dir / "expected.safetensors")
        (case_dir / "args.json").write_text(json.dumps(command_line(flags), ensure_ascii=False))
        print(f"{name}: latents {tuple(latents.shape)}")
