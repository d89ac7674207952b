#!/usr/bin/env python3
"""The reference's sequence layout (text and vision segments, mRoPE positions) for a set of
prompt lengths, latent shapes, frame rates and conditioning frames.

    make_layout_golden.py OUT_DIR

Writes OUT_DIR/CASE.safetensors per case: the segment fields as tensors, and the case's
parameters as JSON in the file's metadata under "case".
"""
import json
import pathlib
import sys
from types import SimpleNamespace

import torch
from diffusers.pipelines.cosmos.pipeline_cosmos3_omni import Cosmos3OmniPipeline
from safetensors.torch import save_file

# name: (und_len, latent [1, C, T, H, W], fps, condition frames, fps modulation, reset spatial ids)
CASES = {
    "image_720p": (37, [1, 48, 1, 45, 80], 24.0, [], True, True),
    "video_fps24": (13, [1, 4, 5, 3, 7], 24.0, [], True, True),
    "video_fps16_i2v": (29, [1, 4, 6, 4, 5], 16.0, [0], True, True),
    "video_fps30_v2v": (8, [1, 4, 7, 5, 6], 30.0, [0, 1], True, False),
    "video_unmodulated": (21, [1, 4, 4, 3, 3], 24.0, [0], False, True),
}


def pipeline_stub(modulation: bool, reset_spatial: bool):
    config = SimpleNamespace(enable_fps_modulation=modulation, unified_3d_mrope_temporal_modality_margin=15000,
                             latent_patch_size=2, unified_3d_mrope_reset_spatial_ids=reset_spatial, base_fps=24)
    return SimpleNamespace(transformer=SimpleNamespace(config=config), vae_scale_factor_temporal=4)


def make_case(und_len, latent_shape, fps, condition_frames, modulation, reset_spatial):
    stub = pipeline_stub(modulation, reset_spatial)
    input_ids = [(7 * i + 3) % 300 for i in range(und_len)]
    text = Cosmos3OmniPipeline._prepare_text_segment(stub, input_ids, device="cpu")
    vision = Cosmos3OmniPipeline._prepare_vision_segment(
        stub, input_vision_tokens=torch.zeros(latent_shape), has_image_condition=bool(condition_frames),
        mrope_offset=text["vision_start_temporal_offset"], vision_fps=fps, curr=text["und_len"], device="cpu",
        condition_frame_indexes=condition_frames)
    tensors = {
        "text.input_ids": text["input_ids"],
        "text.positions": text["text_mrope_ids"],
        "text.vision_start_temporal_offset": torch.tensor(float(text["vision_start_temporal_offset"]),
                                                          dtype=torch.float64),
        "vision.token_shape": torch.tensor(vision["vision_token_shapes"][0]),
        "vision.sequence_indexes": vision["vision_sequence_indexes"],
        "vision.mse_loss_indexes": vision["vision_mse_loss_indexes"],
        "vision.noisy_frame_indexes": vision["vision_noisy_frame_indexes"][0],
        "vision.positions": vision["vision_mrope_ids"].contiguous(),
        "vision.num_tokens": torch.tensor(vision["num_vision_tokens"]),
        "vision.num_noisy_tokens": torch.tensor(vision["num_noisy_vision_tokens"]),
    }
    case = dict(und_len=und_len, latent_shape=latent_shape, fps=fps, condition_frames=condition_frames,
                enable_fps_modulation=modulation, reset_spatial_ids=reset_spatial, input_ids=input_ids)
    return tensors, {"case": json.dumps(case)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, parameters in CASES.items():
        tensors, metadata = make_case(*parameters)
        save_file({key: value.contiguous() for key, value in tensors.items()}, out_dir / f"{name}.safetensors",
                  metadata=metadata)
