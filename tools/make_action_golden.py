#!/usr/bin/env python3
"""Policy, forward dynamics and inverse dynamics through the reference's modular pipeline
(its action_* blocks: canvas, VAE encode, JSON caption, joint vision + action denoising) on a
Cosmos3 pipeline folder with action heads (the embedded tiny checkpoint that
`cosmos3-tool make-tiny-checkpoint` writes), plus the reference's action captions.

    make_action_golden.py MODEL_DIR OUT_DIR

Each OUT_DIR/CASE.safetensors holds the conditioning frames given to both sides ("frames",
uint8 [T, H, W, 3]), the raw actions of forward dynamics ("raw_actions" [T, D]), the final
latents ("latents") and the predicted actions ("actions" [chunk, raw width], policy and inverse
dynamics); its metadata holds the case. Every input needs the canvas's padding and the latent
crop; the policy case is also downscaled (bicubic) and its pad reflected, forward dynamics' pad
is replicated. Frame sizes are multiples of 16, so the reference's PIL snap is the identity.
OUT_DIR/captions.json pairs caption inputs with the reference's caption text.
"""
import json
import pathlib
import sys

import torch
from diffusers import AutoencoderKLWan, Cosmos3OmniTransformer, UniPCMultistepScheduler
from diffusers.modular_pipelines.cosmos import Cosmos3OmniBlocks
from diffusers.pipelines.cosmos.pipeline_cosmos3_omni import Cosmos3OmniPipeline, CosmosActionCondition
from PIL import Image
from safetensors.torch import save_file
from transformers import AutoTokenizer

# name: (frames (T, H, W), raw action rows or None, flags)
CASES = {
    "policy": ((1, 224, 400), None, dict(
        mode="policy", chunk_size=4, domain="bridge_orig_lerobot", resolution_tier=256,
        view_point="third_person_view", prompt="put the spoon in the pot", fps=5.0,
        num_inference_steps=3, guidance_scale=1.0, seed=21)),
    "forward_dynamics": ((1, 96, 160), 3, dict(
        mode="forward_dynamics", chunk_size=6, domain="av", resolution_tier=256,
        view_point="ego_view", prompt="The car turns left at the crossing", fps=10.0,
        num_inference_steps=2, guidance_scale=3.0, negative_prompt="blurry", seed=5)),
    "inverse_dynamics": ((12, 144, 256), None, dict(
        mode="inverse_dynamics", chunk_size=8, domain="pusht", resolution_tier=256,
        view_point="wrist_view", prompt="push the T block onto the target!", fps=5.0,
        num_inference_steps=2, guidance_scale=2.5, negative_prompt="static", seed=9)),
}
ACTION_WIDTHS = {"bridge_orig_lerobot": 10, "av": 9, "pusht": 2}

# (description, view_point, num_frames, fps, height, width)
CAPTIONS = [
    ("pick up the cup", "ego_view", 17, 5.0, 192, 320),
    ("  Déplace le bloc — vite  ", "concat_view", 61, 10.0, 480, 832),
    ("wave\t\"hello\"\\ \U0001F916", "wrist_view", 9, 29.97, 640, 640),
    ("done?", "third_person_view", 151, 2.5, 832, 480),
    ("", "ego_view", 5, 0.3, 544, 736),
    ("walk", "ego_view", 3, 123456789012345678.0, 256, 256),
    ("walk.", "ego_view", 3, 0.00001, 256, 320),
]


def load_pipeline(model_dir: pathlib.Path):
    pipe = Cosmos3OmniBlocks().init_pipeline()
    pipe.update_components(
        transformer=Cosmos3OmniTransformer.from_pretrained(model_dir / "transformer").eval(),
        vae=AutoencoderKLWan.from_pretrained(model_dir / "vae").eval(),
        # The action recipe's schedule: UniPC with flow shift 10.
        scheduler=UniPCMultistepScheduler.from_pretrained(model_dir / "scheduler", flow_shift=10.0),
        text_tokenizer=AutoTokenizer.from_pretrained(model_dir / "text_tokenizer"))
    pipe.disable_safety_checker()
    return pipe


def run_case(pipe, shape, num_action_rows, flags):
    seed = flags["seed"]
    frames = torch.randint(0, 256, shape + (3,), generator=torch.Generator().manual_seed(seed + 100),
                           dtype=torch.uint8)
    pictures = [Image.fromarray(frame.numpy()) for frame in frames]
    tensors = {"frames": frames.contiguous()}
    raw_actions = None
    if num_action_rows is not None:
        raw_actions = torch.randn(num_action_rows, ACTION_WIDTHS[flags["domain"]],
                                  generator=torch.Generator().manual_seed(seed + 200))
        tensors["raw_actions"] = raw_actions.contiguous()
    action = CosmosActionCondition(
        mode=flags["mode"], chunk_size=flags["chunk_size"], domain_name=flags["domain"],
        resolution_tier=flags["resolution_tier"], raw_actions=raw_actions,
        image=pictures[0] if shape[0] == 1 else None, video=pictures if shape[0] > 1 else None,
        view_point=flags["view_point"])
    outputs = pipe(prompt=flags["prompt"], negative_prompt=flags.get("negative_prompt"), action=action,
                   fps=flags["fps"], num_inference_steps=flags["num_inference_steps"],
                   guidance_scale=flags["guidance_scale"], use_system_prompt=False,
                   generator=torch.Generator().manual_seed(seed), output_type="pt",
                   output=["latents", "action"])
    tensors["latents"] = outputs["latents"].float().contiguous()
    if outputs["action"] is not None:
        tensors["actions"] = outputs["action"][0].float().contiguous()
    return tensors


def reference_captions():
    return [dict(description=d, view_point=v, num_frames=n, fps=f, height=h, width=w,
                 caption=Cosmos3OmniPipeline._build_action_json_prompt(
                     d, view_point=v, num_frames=n, fps=f, height=h, width=w))
            for d, v, n, f, h, w in CAPTIONS]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    model_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "captions.json").write_text(json.dumps(reference_captions(), indent=1))
    pipe = load_pipeline(model_dir)
    for name, (shape, num_action_rows, flags) in CASES.items():
        tensors = run_case(pipe, shape, num_action_rows, flags)
        save_file(tensors, out_dir / f"{name}.safetensors", metadata={"case": json.dumps(flags)})
        print(name, {key: tuple(value.shape) for key, value in tensors.items()})
