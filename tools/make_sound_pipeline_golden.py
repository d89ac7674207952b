#!/usr/bin/env python3
"""Final vision and sound latents of the reference's modular pipeline with enable_sound=True
(text encoder + denoise blocks) on the tiny checkpoints of make_transformer_golden.py, for
text-to-video with and without guidance and image-to-video, plus the decoded waveform.

    make_sound_pipeline_golden.py TRANSFORMER_GOLDEN_DIR OUT_DIR

Tokenization is the deterministic stub of make_pipeline_golden.py (the ids are stored with the
case). The sound tokenizer is a tiny random one (Cosmos3AVAEAudioTokenizer, decoder only),
written to OUT_DIR/sound_tokenizer so both sides read the same sample rate, hop and weights.
Image-to-video gives the denoiser seeded clean latents for frame 0 directly (the VAE has its
own golden tests). Each OUT_DIR/CASE.safetensors holds cond_input_ids, uncond_input_ids,
latents, sound_latents ([sound_dim, T]), sound (the waveform [2, T x hop]) and, for
image-to-video, clean_latents; its metadata holds the case ("case") and the scheduler config.
"""
import json
import pathlib
import shutil
import sys

import torch
from diffusers import Cosmos3AVAEAudioTokenizer, Cosmos3OmniTransformer
from safetensors.torch import save_file

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_pipeline_golden import StubTokenizer, make_pipeline  # noqa: E402
from make_sound_golden import randomize  # noqa: E402

# name: family, prompt, negative prompt, frames, height, width, fps, steps, guidance, flow shift,
#       seed, image-conditioned. 13 frames at 16 fps make 0.8125 s: a sample count that is not
#       a multiple of the hop.
CASES = {
    "t2v_sound_cfg": ("nano", "Thunder over a dark sea", "silence", 9, 64, 96, 24.0, 2, 4.0, 5.0, 5, False),
    "t2v_sound_no_cfg": ("super", "A drum beats", None, 5, 32, 48, 24.0, 3, 1.0, 3.0, 8, False),
    "i2v_sound": ("nano", "A train whistles past", "static", 13, 48, 80, 16.0, 2, 3.0, 5.0, 13, True),
}
# 1 kHz, hop 2 x 5 = 10 samples: a few sound latent frames per video.
SOUND_TOKENIZER = dict(sampling_rate=1000, vocoder_input_dim=8, dec_dim=4, dec_c_mults=(1, 2),
                       dec_strides=(2, 5), dec_out_channels=2, encoder_enabled=False)


def make_sound_tokenizer(out_dir: pathlib.Path):
    tokenizer = Cosmos3AVAEAudioTokenizer(**SOUND_TOKENIZER).eval()
    randomize(tokenizer, torch.Generator().manual_seed(4242))
    tokenizer.save_pretrained(out_dir / "sound_tokenizer", safe_serialization=True)
    return tokenizer


def run_case(transformer_dir, sound_tokenizer, family, prompt, negative, frames, height, width, fps, steps,
             guidance, shift, seed, image_conditioned):
    pipe, scheduler = make_pipeline("default", shift)
    transformer = Cosmos3OmniTransformer.from_pretrained(transformer_dir / family / "transformer").eval()
    pipe.update_components(transformer=transformer, scheduler=scheduler, text_tokenizer=StubTokenizer())
    # The text and denoise blocks do not list the tokenizer as a component; the sound blocks read
    # its sample rate and hop through the pipeline's attribute.
    pipe.sound_tokenizer = sound_tokenizer
    assert pipe.sound_sampling_rate == SOUND_TOKENIZER["sampling_rate"]
    pipe.disable_safety_checker()
    arguments = dict(prompt=prompt, negative_prompt=negative, num_frames=frames, height=height, width=width,
                     fps=fps, num_inference_steps=steps, guidance_scale=guidance, enable_sound=True)
    tensors = {}
    if image_conditioned:
        shape = (1, transformer.config.latent_channel, (frames - 1) // 4 + 1, height // 16, width // 16)
        clean = torch.randn(shape, generator=torch.Generator().manual_seed(seed + 100))
        arguments.update(x0_tokens_vision=clean, vision_condition_frames=[0])
        tensors["clean_latents"] = clean.contiguous()
    outputs = pipe(**arguments, generator=torch.Generator().manual_seed(seed),
                   output=["latents", "sound_latents", "cond_input_ids", "uncond_input_ids"])
    with torch.no_grad():
        sound = sound_tokenizer.decode(outputs["sound_latents"].float())
    tensors.update({
        "latents": outputs["latents"].float().contiguous(),
        "sound_latents": outputs["sound_latents"].float().contiguous(),
        "sound": sound.float().contiguous(),
        "cond_input_ids": torch.tensor(outputs["cond_input_ids"], dtype=torch.long),
        "uncond_input_ids": torch.tensor(outputs["uncond_input_ids"], dtype=torch.long),
    })
    case = dict(family=family, num_frames=frames, height=height, width=width, fps=fps, steps=steps,
                guidance=guidance, flow_shift=shift, seed=seed, image_conditioned=image_conditioned)
    return tensors, {"case": json.dumps(case), "scheduler": scheduler.to_json_string()}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    transformer_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    sound_tokenizer = make_sound_tokenizer(out_dir)
    for name, parameters in CASES.items():
        tensors, metadata = run_case(transformer_dir, sound_tokenizer, *parameters)
        save_file(tensors, out_dir / f"{name}.safetensors", metadata=metadata)
        print(f"{name}: latents {tuple(tensors['latents'].shape)} sound latents "
              f"{tuple(tensors['sound_latents'].shape)} sound {tuple(tensors['sound'].shape)}")
