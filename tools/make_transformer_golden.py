#!/usr/bin/env python3
"""Tiny random Cosmos3 transformers and the reference's predictions on seeded inputs.

    make_transformer_golden.py OUT_DIR

For each family (nano, super, edge) writes OUT_DIR/FAMILY/ holding a diffusers folder
(model_index.json, transformer/config.json and weights; 'super' is saved in shards), and for
each input case CASE: CASE.inputs.safetensors (named as the forward's arguments, lists as
`name.0`, `name.1`, ...), CASE.fp32.safetensors and CASE.bf16.safetensors (the predictions,
named `sample.0`, `sound.0`, `action.0`).
"""
import json
import pathlib
import sys

import torch
from diffusers import Cosmos3OmniTransformer
from safetensors.torch import save_file

# Shared by every family: head_dim 16 with mRoPE sections summing to head_dim / 2.
COMMON = dict(
    head_dim=16, num_hidden_layers=2, latent_channel=4, latent_patch_size=2, patch_latent_dim=16,
    rope_axes_dim=[4, 2, 2], vocab_size=300, num_embodiment_domains=3, timestep_scale=0.001,
)
FAMILIES = {
    # Nano: silu, query width == hidden, q/k norms on text, sound and action heads.
    "nano": dict(hidden_size=64, num_attention_heads=4, num_key_value_heads=2, intermediate_size=96,
                 hidden_act="silu", qk_norm_for_text=True, use_und_k_norm_for_gen=False,
                 rms_norm_eps=1e-6, rope_theta=5e6, sound_gen=True, sound_dim=8,
                 action_gen=True, action_dim=6),
    # Super: 8 query heads x 16 = 128 wide on a 64 hidden, so q/out projections are not square.
    "super": dict(hidden_size=64, num_attention_heads=8, num_key_value_heads=2, intermediate_size=160,
                  hidden_act="silu", qk_norm_for_text=True, use_und_k_norm_for_gen=False,
                  rms_norm_eps=1e-6, rope_theta=5e6, sound_gen=True, sound_dim=8,
                  action_gen=True, action_dim=6),
    # Edge: relu2 MLPs, Nemotron norms, no text q/k norm but a text-key norm for generation.
    "edge": dict(hidden_size=48, num_attention_heads=6, num_key_value_heads=3, intermediate_size=80,
                 hidden_act="relu2", qk_norm_for_text=False, use_und_k_norm_for_gen=True,
                 rms_norm_eps=1e-5, rope_theta=1e8, sound_gen=False, action_gen=True, action_dim=5),
}
# (text tokens, latent [T, H, W], noisy latent frames, sound frames, action frames)
CASES = {
    "video": (13, (3, 5, 7), [1, 2], 9, 5),
    "image": (7, (1, 4, 6), [0], 0, 0),
}


def randomize(model: torch.nn.Module, seed: int):
    """Every parameter random, so a weight that is ignored or misapplied changes the output."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            values = torch.randn(parameter.shape, generator=generator)
            if "norm" in name:
                parameter.copy_(1 + 0.2 * values)
            elif parameter.ndim >= 2 and "embed_tokens" not in name:
                fan_in = parameter.shape[-1] if "action_proj" not in name else parameter.shape[-1] ** 0.5
                parameter.copy_(values / fan_in ** 0.5)
            else:
                parameter.copy_(0.3 * values)


def make_inputs(config: dict, case: tuple, seed: int) -> dict:
    text_len, (t, h, w), noisy_frames, sound_len, action_len = case
    generator = torch.Generator().manual_seed(seed)
    p = COMMON["latent_patch_size"]
    h_patches, w_patches = -(-h // p), -(-w // p)
    spatial = h_patches * w_patches
    num_vision = t * spatial
    sound_len = sound_len if config["sound_gen"] else 0
    action_len = action_len if config["action_gen"] else 0
    sequence_length = text_len + num_vision + sound_len + action_len

    def frame_timesteps(num_frames: int, per_frame: int) -> torch.Tensor:
        values = torch.rand(num_frames, generator=generator) * 1000
        return values.repeat_interleave(per_frame)

    text_positions = torch.arange(text_len).float().expand(3, -1)
    grid_t, grid_h, grid_w = torch.meshgrid(torch.arange(t), torch.arange(h_patches),
                                            torch.arange(w_patches), indexing="ij")
    # Fractional temporal positions, as fps modulation makes them (t / fps * base_fps).
    vision_positions = torch.stack([grid_t.flatten() * 1.6 + text_len + 15000, grid_h.flatten().float(),
                                    grid_w.flatten().float()])
    tail_len = sound_len + action_len
    tail_positions = (torch.arange(tail_len) * 1.25 + text_len + 20011).expand(3, -1)
    inputs = {
        "input_ids": torch.randint(0, COMMON["vocab_size"], (text_len,), generator=generator),
        "text_indexes": torch.arange(text_len),
        "position_ids": torch.cat([text_positions, vision_positions, tail_positions], dim=1).contiguous(),
        "und_len": torch.tensor(text_len),
        "sequence_length": torch.tensor(sequence_length),
        "vision_tokens.0": torch.randn(1, COMMON["latent_channel"], t, h, w, generator=generator),
        "vision_token_shapes.0": torch.tensor([t, h_patches, w_patches]),
        "vision_sequence_indexes": torch.arange(text_len, text_len + num_vision),
        "vision_mse_loss_indexes": torch.cat(
            [text_len + f * spatial + torch.arange(spatial) for f in noisy_frames]),
        "vision_timesteps": frame_timesteps(len(noisy_frames), spatial),
        "vision_noisy_frame_indexes.0": torch.tensor(noisy_frames),
    }
    start = text_len + num_vision
    if sound_len:
        inputs.update({
            "sound_tokens.0": torch.randn(config["sound_dim"], sound_len, generator=generator),
            "sound_token_shapes.0": torch.tensor([sound_len, 1, 1]),
            "sound_sequence_indexes": torch.arange(start, start + sound_len),
            "sound_mse_loss_indexes": torch.arange(start, start + sound_len),
            "sound_timesteps": frame_timesteps(sound_len, 1),
            "sound_noisy_frame_indexes.0": torch.arange(sound_len),
        })
        start += sound_len
    if action_len:
        # The first action frame is conditioning, as in forward dynamics.
        inputs.update({
            "action_tokens.0": torch.randn(action_len, config["action_dim"], generator=generator),
            "action_token_shapes.0": torch.tensor([action_len, 1, 1]),
            "action_sequence_indexes": torch.arange(start, start + action_len),
            "action_mse_loss_indexes": torch.arange(start + 1, start + action_len),
            "action_timesteps": frame_timesteps(action_len - 1, 1),
            "action_noisy_frame_indexes.0": torch.arange(1, action_len),
            "action_domain_ids.0": torch.tensor(2 % COMMON["num_embodiment_domains"]),
        })
    return inputs


def forward_arguments(inputs: dict, dtype: torch.dtype) -> dict:
    """The saved flat names back into the forward's keyword arguments."""
    arguments = {}
    for name, value in inputs.items():
        base, _, index = name.partition(".")
        if index:
            if base.endswith("token_shapes"):
                value = tuple(value.tolist())
            elif base.endswith("_tokens"):
                value = value.to(dtype)
            arguments.setdefault(base, []).append(value)
        elif base in ("und_len", "sequence_length"):
            arguments[base] = int(value)
        else:
            arguments[base] = value
    return arguments


def predictions(model, inputs: dict, dtype: torch.dtype) -> dict:
    with torch.no_grad():
        output = model(**forward_arguments(inputs, dtype), return_dict=True)
    named = {}
    for kind in ("sample", "sound", "action"):
        for index, tensor in enumerate(getattr(output, kind) or []):
            named[f"{kind}.{index}"] = tensor.float().contiguous()
    return named


def make_family(out_dir: pathlib.Path, family: str, seed: int):
    config = {**COMMON, **FAMILIES[family]}
    model = Cosmos3OmniTransformer(**config).eval()
    randomize(model, seed)
    folder = out_dir / family
    shard_size = "200KB" if family == "super" else "10GB"
    model.save_pretrained(folder / "transformer", safe_serialization=True, max_shard_size=shard_size)
    (folder / "model_index.json").write_text(json.dumps({
        "_class_name": "Cosmos3OmniPipeline", "_diffusers_version": "0.42.1",
        "transformer": ["diffusers", "Cosmos3OmniTransformer"]}, indent=2))
    bf16_model = Cosmos3OmniTransformer.from_pretrained(folder / "transformer",
                                                        torch_dtype=torch.bfloat16).eval()
    for case_index, (case, case_shape) in enumerate(CASES.items()):
        inputs = make_inputs(config, case_shape, seed * 100 + case_index)
        save_file(inputs, folder / f"{case}.inputs.safetensors")
        save_file(predictions(model, inputs, torch.float32), folder / f"{case}.fp32.safetensors")
        save_file(predictions(bf16_model, inputs, torch.bfloat16), folder / f"{case}.bf16.safetensors")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    torch.use_deterministic_algorithms(True)
    for family_index, family_name in enumerate(FAMILIES):
        make_family(pathlib.Path(sys.argv[1]), family_name, seed=1 + family_index)
