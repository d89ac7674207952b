#!/usr/bin/env python3
"""Image-to-video and video-to-video through the reference's whole modular pipeline (VAE encode,
text, denoise, VAE decode) on a Cosmos3 pipeline folder (the embedded tiny checkpoint that
`cosmos3-tool make-tiny-checkpoint` writes), plus a text-to-video case for the decode alone.

    make_conditioned_golden.py MODEL_DIR OUT_DIR

Each OUT_DIR/CASE.safetensors holds the conditioning frames given to both sides ("frames",
uint8 [T, H, W, 3]), the final latents ("latents") and the decoded video ("video", float32
[1, 3, T, H, W] in [0, 1], the reference's output_type="pt"); its metadata holds the case.
The conditioning image is smaller than the target and of another aspect, so the resize and the
centre crop are exercised; the video's frames are already at the target size (the reference
resizes videos with PIL, which this engine does not reproduce bit for bit).
"""
import json
import pathlib
import sys

import numpy as np
import torch
from diffusers import AutoencoderKLWan, Cosmos3OmniTransformer, UniPCMultistepScheduler
from diffusers.modular_pipelines.cosmos import Cosmos3OmniBlocks
from PIL import Image
from safetensors.torch import save_file
from transformers import AutoTokenizer

# name: frames (T, H, W) of the conditioning clip or None, flags
CASES = {
    "i2v": ((1, 40, 72), dict(prompt="A red kite rises", negative_prompt="static", num_frames=9, height=64,
                              width=96, num_inference_steps=2, guidance_scale=4.0, seed=5)),
    "v2v_first": ((13, 64, 96), dict(prompt="The waves keep rolling", num_frames=17, height=64, width=96,
                                     num_inference_steps=2, guidance_scale=3.0, seed=9,
                                     condition_frame_indexes_vision=[0, 1], condition_video_keep="first")),
    "v2v_last": ((13, 64, 96), dict(prompt="The car drives on", num_frames=9, height=64, width=96,
                                    num_inference_steps=2, guidance_scale=1.0, seed=11,
                                    condition_frame_indexes_vision=[0], condition_video_keep="last")),
    "t2v_decode": (None, dict(prompt="Rain at night", num_frames=9, height=48, width=64,
                              num_inference_steps=2, guidance_scale=5.0, seed=3)),
}


def load_pipeline(model_dir: pathlib.Path):
    pipe = Cosmos3OmniBlocks().init_pipeline()
    pipe.update_components(
        transformer=Cosmos3OmniTransformer.from_pretrained(model_dir / "transformer").eval(),
        vae=AutoencoderKLWan.from_pretrained(model_dir / "vae").eval(),
        scheduler=UniPCMultistepScheduler.from_pretrained(model_dir / "scheduler"),
        text_tokenizer=AutoTokenizer.from_pretrained(model_dir / "text_tokenizer"))
    pipe.disable_safety_checker()
    return pipe


def run_case(pipe, shape, flags, seed):
    arguments = {key: value for key, value in flags.items() if key != "seed"}
    generator = torch.Generator().manual_seed(seed)
    frames = None
    if shape is not None:
        frames = torch.randint(0, 256, shape + (3,), generator=torch.Generator().manual_seed(seed + 100),
                               dtype=torch.uint8)
        if shape[0] == 1:
            arguments["image"] = frames[0].numpy()
        else:
            arguments["video"] = [Image.fromarray(frame.numpy()) for frame in frames]
    outputs = pipe(**arguments, generator=generator, output_type="pt", output=["latents", "videos"])
    video = outputs["videos"]
    # output_type="pt" gives [T, 3, H, W] in [0, 1] for the one sample.
    video = video.permute(1, 0, 2, 3).unsqueeze(0) if video.ndim == 4 else video
    tensors = {"latents": outputs["latents"].float().contiguous(), "video": video.float().contiguous()}
    if frames is not None:
        tensors["frames"] = frames.contiguous()
    return tensors


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    model_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    pipe = load_pipeline(model_dir)
    for name, (shape, flags) in CASES.items():
        tensors = run_case(pipe, shape, flags, flags["seed"])
        save_file(tensors, out_dir / f"{name}.safetensors", metadata={"case": json.dumps(flags)})
        print(f"{name}: latents {tuple(tensors['latents'].shape)} video {tuple(tensors['video'].shape)}")
