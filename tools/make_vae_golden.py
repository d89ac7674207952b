#!/usr/bin/env python3
"""A tiny random Cosmos3 video VAE (diffusers' AutoencoderKLWan with the Wan2.2 flags Cosmos3
checkpoints use, narrower) and the reference's decode and encode of seeded inputs.

    make_vae_golden.py OUT_DIR

Writes OUT_DIR/model_index.json, OUT_DIR/vae/{config.json,diffusion_pytorch_model.safetensors}
and, for each case CASE, CASE.safetensors holding `input` and `fp32` (the reference output in
float32) and `bf16` (the reference run with the module in bfloat16, stored as float32).
Decode cases take normalised latents and return pixels clamped to [-1, 1]; encode cases take
pixels and return normalised posterior means, both normalised exactly as Cosmos3OmniPipeline
does (`_encode_video` and its decode step).
"""
import json
import pathlib
import sys

import torch
from diffusers import AutoencoderKLWan
from safetensors.torch import save_file

Z_DIM = 48
# Structure flags as in the Cosmos3 (Wan2.2 TI2V-5B) vae/config.json; only widths shrink.
CONFIG = dict(
    base_dim=16, decoder_base_dim=24, z_dim=Z_DIM, dim_mult=[1, 2, 4, 4], num_res_blocks=2,
    attn_scales=[], temperal_downsample=[False, True, True], dropout=0.0, is_residual=True,
    in_channels=12, out_channels=12, patch_size=2, scale_factor_temporal=4, scale_factor_spatial=16,
)
# (kind, shape of the input): latents [B, z, T, H, W] or pixels [B, 3, T, H, W].
CASES = {
    "decode_video": ("decode", (1, Z_DIM, 3, 4, 6)),
    "decode_image": ("decode", (1, Z_DIM, 1, 4, 6)),
    "encode_video": ("encode", (1, 3, 9, 64, 96)),
    "encode_image": ("encode", (1, 3, 1, 64, 96)),
}


def randomize(model: torch.nn.Module, generator: torch.Generator):
    """Every parameter random, so a weight that is ignored or misapplied changes the output."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            values = torch.randn(parameter.shape, generator=generator)
            if name.endswith("gamma"):
                parameter.copy_(1 + 0.2 * values)
            elif parameter.ndim > 1:
                fan_in = parameter[0].numel()
                # The decoder's last conv is scaled so few pixels reach the [-1, 1] clamp.
                scale = 0.3 if name == "decoder.conv_out.weight" else 1.0
                parameter.copy_(scale * values / fan_in ** 0.5)
            else:
                parameter.copy_(0.1 * values)


def normalisers(vae, dtype):
    mean = torch.tensor(vae.config.latents_mean, dtype=dtype).view(1, -1, 1, 1, 1)
    inv_std = 1.0 / torch.tensor(vae.config.latents_std, dtype=dtype).view(1, -1, 1, 1, 1)
    return mean, inv_std


def run(vae, kind: str, inputs: torch.Tensor) -> torch.Tensor:
    dtype = vae.dtype
    mean, inv_std = normalisers(vae, dtype)
    with torch.no_grad():
        if kind == "decode":
            z_raw = inputs.to(dtype) / inv_std + mean
            return vae.decode(z_raw).sample.float()
        raw_mu = vae.encode(inputs.to(dtype)).latent_dist.mode()
        return ((raw_mu - mean) * inv_std).float()


def main(out_dir: pathlib.Path):
    generator = torch.Generator().manual_seed(20260)
    latents_mean = (0.5 * torch.randn(Z_DIM, generator=generator)).tolist()
    latents_std = (0.5 + torch.rand(Z_DIM, generator=generator)).tolist()
    vae = AutoencoderKLWan(**CONFIG, latents_mean=latents_mean, latents_std=latents_std).eval()
    randomize(vae, generator)
    vae.save_pretrained(out_dir / "vae", safe_serialization=True)
    (out_dir / "model_index.json").write_text(json.dumps({
        "_class_name": "Cosmos3OmniPipeline", "_diffusers_version": "0.42.1",
        "vae": ["diffusers", "AutoencoderKLWan"]}, indent=2))
    bf16_vae = AutoencoderKLWan.from_pretrained(out_dir / "vae", torch_dtype=torch.bfloat16).eval()
    for case_index, (case, (kind, shape)) in enumerate(CASES.items()):
        case_generator = torch.Generator().manual_seed(100 + case_index)
        if kind == "decode":
            inputs = torch.randn(shape, generator=case_generator)
        else:
            inputs = torch.rand(shape, generator=case_generator) * 2 - 1
        save_file({"input": inputs.contiguous(), "fp32": run(vae, kind, inputs).contiguous(),
                   "bf16": run(bf16_vae, kind, inputs).contiguous()},
                  out_dir / f"{case}.safetensors")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    torch.use_deterministic_algorithms(True)
    main(pathlib.Path(sys.argv[1]))
