#!/usr/bin/env python3
"""Tiny random Cosmos3 sound tokenizers (diffusers' Cosmos3AVAEAudioTokenizer) and the
reference's decode of seeded latents.

    make_sound_golden.py OUT_DIR

For each configuration NAME writes OUT_DIR/NAME/{config.json,diffusion_pytorch_model.safetensors}
(a sound_tokenizer/ folder as a pipeline holds it) and, per latent length T, OUT_DIR/NAME_
decode_T.safetensors holding `input` (latents [C, T]) and `fp32` (the reference's waveform,
float32, clamped to [-1, 1]).
"""
import pathlib
import shutil
import sys

import torch
from diffusers import Cosmos3AVAEAudioTokenizer
from safetensors.torch import save_file

# The offline tiny config of diffusers' own tests (with its encoder), a decoder-only one with
# odd strides (ConvTranspose1d output_padding) and three levels, and one whose hop_size is
# stated explicitly with a wider latent.
CONFIGS = {
    "diffusers_tiny": dict(
        sampling_rate=16, hop_size=4, input_channels=1, stereo=True, normalize_volume=True,
        enc_dim=4, enc_num_blocks=1, enc_n_fft=8, enc_hop_length=2, enc_latent_dim=8,
        enc_c_mults=(1,), enc_strides=(2,), vocoder_input_dim=4, dec_dim=4, dec_c_mults=(1, 2),
        dec_strides=(2, 2), dec_out_channels=2),
    "odd_strides": dict(
        sampling_rate=30, vocoder_input_dim=6, dec_dim=6, dec_c_mults=(1, 2, 3),
        dec_strides=(3, 5, 2), dec_out_channels=2, encoder_enabled=False),
    "stated_hop": dict(
        sampling_rate=48, hop_size=8, vocoder_input_dim=10, dec_dim=5, dec_c_mults=(2, 3),
        dec_strides=(4, 2), dec_out_channels=2, encoder_enabled=False),
}
LATENT_LENGTHS = (1, 7, 13)


def randomize(model: torch.nn.Module, generator: torch.Generator):
    """Every parameter random, so a weight that is ignored or misapplied changes the output."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            values = torch.randn(parameter.shape, generator=generator)
            if name.endswith("weight_g"):
                # The last conv is scaled down so few samples reach the [-1, 1] clamp.
                scale = 0.03 if name == "decoder.conv2.weight_g" else 1.0
                parameter.copy_(scale * (1 + 0.2 * values))
            elif name.endswith("alpha") or name.endswith("beta"):
                parameter.copy_(0.3 * values)
            elif parameter.ndim > 1:
                parameter.copy_(values)
            else:
                parameter.copy_(0.1 * values)


def main(out_dir: pathlib.Path):
    # A folder with two weight files is ambiguous to a loader: start from nothing.
    shutil.rmtree(out_dir, ignore_errors=True)
    for config_index, (name, config) in enumerate(CONFIGS.items()):
        generator = torch.Generator().manual_seed(4800 + config_index)
        model = Cosmos3AVAEAudioTokenizer(**config).eval()
        randomize(model, generator)
        folder = out_dir / name
        model.save_pretrained(folder, safe_serialization=True)
        for length in LATENT_LENGTHS:
            latents = torch.randn(config["vocoder_input_dim"], length, generator=generator)
            with torch.no_grad():
                waveform = model.decode(latents).float()
            save_file({"input": latents.contiguous(), "fp32": waveform.contiguous()},
                      out_dir / f"{name}_decode_{length}.safetensors")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    torch.use_deterministic_algorithms(True)
    main(pathlib.Path(sys.argv[1]))
