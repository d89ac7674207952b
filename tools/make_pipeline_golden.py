#!/usr/bin/env python3
"""Final latents of the reference's modular pipeline (text encoder + denoise blocks) on the
tiny checkpoints of make_transformer_golden.py, for text-to-image and text-to-video with and
without classifier-free guidance.

    make_pipeline_golden.py TRANSFORMER_GOLDEN_DIR OUT_DIR

Tokenization is replaced by a deterministic stub (the tokenizer has its own golden tests): the
token ids the pipeline produced are stored with the case, so our loop is fed the same ids.
Each OUT_DIR/CASE.safetensors holds cond_input_ids, uncond_input_ids and latents; its metadata
holds the case parameters ("case") and the scheduler config ("scheduler").
"""
import json
import pathlib
import sys
from types import SimpleNamespace

import torch
from diffusers import Cosmos3OmniTransformer, FlowMatchEulerDiscreteScheduler, UniPCMultistepScheduler
from diffusers.modular_pipelines import SequentialPipelineBlocks
from diffusers.modular_pipelines.cosmos import Cosmos3DistilledBlocks, Cosmos3OmniBlocks
from safetensors.torch import save_file

# name: family, prompt, negative prompt, frames, height, width, steps, guidance, flow shift, seed,
#       system prompt, schedule ("default", "native" for use_native_flow_schedule, or the distilled
#       checkpoints' fixed sigma list, sampled by stochastic flow-match Euler without CFG)
CASES = {
    "t2v_cfg": ("nano", "A robot arm stacks blue cubes.", "blurry, low quality", 9, 64, 96, 2, 4.0, 5.0, 7, True,
                "default"),
    "t2v_odd_latent": ("super", "Waves at dusk", None, 13, 48, 80, 3, 6.0, 10.0, 11, True, "default"),
    "t2i_no_system_prompt": ("nano", "A red apple on a table", "cartoon", 1, 80, 112, 4, 5.0, 1.0, 3, False,
                             "default"),
    "t2v_no_cfg": ("edge", "A car drives through rain", None, 5, 32, 64, 2, 1.0, 3.0, 5, True, "default"),
    "t2v_native_schedule": ("edge", "Rain on a tin roof", "noise", 5, 32, 48, 3, 3.0, 1.0, 13, False, "native"),
    "t2v_distilled": ("nano", "A kite over a beach", None, 9, 32, 48, 4, 1.0, 1.0, 17, True,
                      [1.0, 0.9375, 0.8333, 0.625]),
}


class StubTokenizer:
    """Deterministic ids from the rendered conversation; lengths vary with the text."""

    eos_token_id = 2

    def convert_tokens_to_ids(self, token):
        return 3

    def apply_chat_template(self, conversations, **kwargs):
        text = "".join(f"<{message['role']}>{message['content']}" for message in conversations)
        return SimpleNamespace(input_ids=[(ord(c) * 7 + i) % 290 + 5 for i, c in enumerate(text)])


def make_pipeline(schedule, shift):
    distilled = isinstance(schedule, list)
    blocks = Cosmos3DistilledBlocks() if distilled else Cosmos3OmniBlocks()
    pipeline_blocks = SequentialPipelineBlocks.from_blocks_dict(
        {"text_encoder": blocks.sub_blocks["text_encoder"], "denoise": blocks.sub_blocks["denoise"]})
    pipe = pipeline_blocks.init_pipeline()
    if distilled:
        scheduler = FlowMatchEulerDiscreteScheduler(shift=shift, stochastic_sampling=True)
        pipe.register_to_config(is_distilled=True, distilled_sigmas=schedule)
    else:
        scheduler = UniPCMultistepScheduler(use_flow_sigmas=True, prediction_type="flow_prediction",
                                            flow_shift=shift)
        pipe.register_to_config(use_native_flow_schedule=schedule == "native")
    return pipe, scheduler


def run_case(transformer_dir, family, prompt, negative, frames, height, width, steps, guidance, shift, seed,
             system_prompt, schedule):
    pipe, scheduler = make_pipeline(schedule, shift)
    transformer = Cosmos3OmniTransformer.from_pretrained(transformer_dir / family / "transformer").eval()
    pipe.update_components(transformer=transformer, scheduler=scheduler, text_tokenizer=StubTokenizer())
    pipe.disable_safety_checker()
    outputs = pipe(prompt=prompt, negative_prompt=negative, num_frames=frames, height=height, width=width,
                   num_inference_steps=steps, guidance_scale=guidance, use_system_prompt=system_prompt,
                   generator=torch.Generator().manual_seed(seed),
                   output=["latents", "cond_input_ids", "uncond_input_ids"])
    tensors = {
        "latents": outputs["latents"].float().contiguous(),
        "cond_input_ids": torch.tensor(outputs["cond_input_ids"], dtype=torch.long),
        "uncond_input_ids": torch.tensor(outputs["uncond_input_ids"], dtype=torch.long),
    }
    case = dict(family=family, num_frames=frames, height=height, width=width, steps=steps, guidance=guidance,
                flow_shift=shift, seed=seed, fps=24.0, schedule=schedule)
    return tensors, {"case": json.dumps(case), "scheduler": scheduler.to_json_string()}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    transformer_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, parameters in CASES.items():
        tensors, metadata = run_case(transformer_dir, *parameters)
        save_file(tensors, out_dir / f"{name}.safetensors", metadata=metadata)
