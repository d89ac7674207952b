#!/usr/bin/env python3
"""Transfer (generation steered by control videos) through the reference's modular pipeline
(its transfer blocks: control preprocessing and time padding, chunk geometry, per-chunk VAE
encode of the controls and the seeded target, the [text, controls..., target] sequence, the
three guidance passes with their intervals, per-chunk decode and stitching) on a Cosmos3
pipeline folder (the embedded tiny checkpoint that `cosmos3-tool make-tiny-checkpoint` writes).

    make_transfer_golden.py MODEL_DIR OUT_DIR

Each OUT_DIR/CASE.safetensors holds the control videos given to both sides ("control_HINT",
uint8 [T, H, W, 3]), the input video when the first chunk is seeded from one ("video"), the last
chunk's final latents ("latents") and the stitched video ("video_out", float32 [1, 3, T, H, W]
in [0, 1], the reference's output_type="pt"); its metadata holds the case. Control frames are
at the target size, so the reference's PIL resize is the identity. One case per combination of
passes (cond only; cond + no-control; cond + uncond; all three), one with two hints and guidance
intervals that switch passes off on some steps, one hint with intervals, one of two chunks, and
one whose first chunk starts from an input video.
"""
import json
import pathlib
import sys

import torch
from diffusers import AutoencoderKLWan, Cosmos3OmniTransformer, UniPCMultistepScheduler
from diffusers.modular_pipelines.cosmos import Cosmos3OmniBlocks
from PIL import Image
from safetensors.torch import save_file
from transformers import AutoTokenizer

PROMPT = '{"caption": "A car drives along a wet street at dusk", "camera": "static"}'

# name: {hint: number of control frames}, flags
CASES = {
    "edge_cond_only": ({"edge": 9}, dict(
        prompt=PROMPT, height=32, width=48, fps=30.0, num_inference_steps=2, guidance_scale=1.0,
        control_guidance=1.0, seed=3)),
    "depth_control_cfg": ({"depth": 9}, dict(
        prompt=PROMPT, height=32, width=48, fps=30.0, num_inference_steps=2, guidance_scale=1.0,
        control_guidance=1.5, seed=4)),
    "blur_text_cfg": ({"blur": 5}, dict(
        prompt=PROMPT, negative_prompt="blurry, static", height=48, width=32, fps=24.0,
        num_inference_steps=2, guidance_scale=3.0, control_guidance=1.0, seed=5)),
    "seg_all_passes": ({"seg": 9}, dict(
        prompt=PROMPT, negative_prompt="ugly", height=32, width=48, fps=30.0, num_inference_steps=3,
        guidance_scale=3.0, control_guidance=2.0, use_system_prompt=False, seed=6)),
    # Given out of the canonical order: the reference sorts them edge, blur, depth, seg, wsm.
    "two_hints_intervals": ({"depth": 9, "edge": 12}, dict(
        prompt=PROMPT, negative_prompt="low quality", height=32, width=48, fps=30.0,
        num_inference_steps=4, guidance_scale=2.5, control_guidance=1.5,
        guidance_interval=[0, 800], control_guidance_interval=[500, 1000], seed=7)),
    # 15 control frames capped to 13, chunks of 9 with one conditional frame: stride 8, two
    # chunks, the second seeded from the first's last decoded frame and its controls (frames
    # 8..12) padded to a whole chunk. Every control covers the output, so cosmos3-generate
    # takes this case too (tools/check_transfer_cli.py).
    "two_chunks": ({"blur": 15, "wsm": 14}, dict(
        prompt=PROMPT, negative_prompt="static", height=32, width=32, fps=10.0, num_frames=13,
        num_video_frames_per_chunk=9, num_conditional_frames=1, num_inference_steps=2,
        guidance_scale=2.0, control_guidance=3.0, seed=8)),
    # Intervals that gate each guidance on some of the steps (timesteps about 1000, 967, 909
    # and 769 at flow shift 10), with a control that covers the output, so cosmos3-generate's
    # --guidance-interval and --control-guidance-interval take it (tools/check_transfer_cli.py).
    "edge_intervals": ({"edge": 9}, dict(
        prompt=PROMPT, negative_prompt="low quality", height=32, width=48, fps=30.0,
        num_inference_steps=4, guidance_scale=2.5, control_guidance=1.5,
        guidance_interval=[0, 950], control_guidance_interval=[900, 1000], seed=11)),
    # The first chunk seeded from two frames of an input video.
    "first_chunk_from_video": ({"edge": 9}, dict(
        prompt=PROMPT, height=32, width=48, fps=30.0, num_inference_steps=2, guidance_scale=1.0,
        control_guidance=1.5, num_first_chunk_conditional_frames=2, seed=9, video_frames=3)),
}


def load_pipeline(model_dir: pathlib.Path):
    pipe = Cosmos3OmniBlocks().init_pipeline()
    pipe.update_components(
        transformer=Cosmos3OmniTransformer.from_pretrained(model_dir / "transformer").eval(),
        vae=AutoencoderKLWan.from_pretrained(model_dir / "vae").eval(),
        # The transfer presets' schedule: UniPC with flow shift 10.
        scheduler=UniPCMultistepScheduler.from_pretrained(model_dir / "scheduler", flow_shift=10.0),
        text_tokenizer=AutoTokenizer.from_pretrained(model_dir / "text_tokenizer"))
    pipe.disable_safety_checker()
    return pipe


def random_frames(num_frames, height, width, seed):
    return torch.randint(0, 256, (num_frames, height, width, 3),
                         generator=torch.Generator().manual_seed(seed), dtype=torch.uint8)


def pictures(frames):
    return [Image.fromarray(frame.numpy()) for frame in frames]


def run_case(pipe, hints, flags):
    seed, height, width = flags["seed"], flags["height"], flags["width"]
    arguments = {key: value for key, value in flags.items() if key not in ("seed", "video_frames")}
    for key in ("guidance_interval", "control_guidance_interval"):
        if key in arguments:
            arguments[key] = tuple(arguments[key])
    tensors = {}
    control_videos = {}
    for index, (hint, num_frames) in enumerate(hints.items()):
        frames = random_frames(num_frames, height, width, seed * 10 + index)
        tensors[f"control_{hint}"] = frames.contiguous()
        control_videos[hint] = pictures(frames)
    if "video_frames" in flags:
        frames = random_frames(flags["video_frames"], height, width, seed * 10 + 9)
        tensors["video"] = frames.contiguous()
        arguments["video"] = pictures(frames)
    outputs = pipe(**arguments, control_videos=control_videos,
                   generator=torch.Generator().manual_seed(seed), output_type="pt",
                   output=["latents", "videos"])
    video = outputs["videos"]
    # output_type="pt" gives [T, 3, H, W] in [0, 1] for the one sample.
    video = video.permute(1, 0, 2, 3).unsqueeze(0) if video.ndim == 4 else video
    tensors["latents"] = outputs["latents"].float().contiguous()
    tensors["video_out"] = video.float().contiguous()
    return tensors


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    model_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    pipe = load_pipeline(model_dir)
    for name, (hints, flags) in CASES.items():
        tensors = run_case(pipe, hints, flags)
        case = dict(flags, hints=list(hints))
        save_file(tensors, out_dir / f"{name}.safetensors", metadata={"case": json.dumps(case)})
        print(name, {key: tuple(value.shape) for key, value in tensors.items()})
