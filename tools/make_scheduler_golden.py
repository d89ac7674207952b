#!/usr/bin/env python3
"""The reference schedulers stepped on seeded velocities, for the C++ port's golden tests.

    make_scheduler_golden.py OUT_DIR

For each case CASE writes OUT_DIR/CASE.scheduler_config.json (the config the reference was built
from, as a diffusers folder holds it) and OUT_DIR/CASE.safetensors holding:
  num_inference_steps   int64 []       argument of set_timesteps
  input_sigmas          float64 [N]    explicit sigmas passed to set_timesteps (absent: none)
  shift_override        float64 []     flow_shift / shift given over the config's (absent: none)
  noise_seed            int64 []       seed of the CPU generator passed to every step (Euler SDE)
  timesteps, sigmas                    the reference's schedule after set_timesteps
  sample.initial                       the starting latent
  model_output.I, sample.I             the velocity fed at step I and the sample it returned
Inputs are shaped like a small video latent [1, C, T, H, W] in float32, as Cosmos3 steps them.
"""
import json
import pathlib
import sys

import numpy as np
import torch
from diffusers import FlowMatchEulerDiscreteScheduler, UniPCMultistepScheduler
from safetensors.torch import save_file

LATENT_SHAPE = (1, 4, 3, 5, 7)
NUM_TRAIN_TIMESTEPS = 1000

UNIPC_BASE = dict(num_train_timesteps=NUM_TRAIN_TIMESTEPS, use_flow_sigmas=True,
                  prediction_type="flow_prediction")


def native_flow_sigmas(num_steps: int) -> np.ndarray:
    """Cosmos3's use_native_flow_schedule sigmas (pipeline_cosmos3_omni.py)."""
    return np.linspace(1.0 - 1.0 / NUM_TRAIN_TIMESTEPS, 0.0, num_steps + 1)[:-1]


def unipc_cases() -> dict:
    cases = {}
    for flow_shift in (1.0, 5.0, 10.0):
        for num_steps in (2, 3, 4, 35):
            for order in (2, 3):
                for solver in ("bh1", "bh2"):
                    name = f"unipc_shift{flow_shift:g}_steps{num_steps}_order{order}_{solver}"
                    cases[name] = dict(config=dict(UNIPC_BASE, flow_shift=flow_shift,
                                                   solver_order=order, solver_type=solver),
                                       num_steps=num_steps)
    for flow_shift in (1.0, 5.0):
        for num_steps in (2, 4, 35):
            cases[f"unipc_native_shift{flow_shift:g}_steps{num_steps}"] = dict(
                config=dict(UNIPC_BASE, flow_shift=flow_shift), num_steps=num_steps,
                sigmas=native_flow_sigmas(num_steps))
    # Branches the grid above leaves out.
    cases["unipc_sigma_min_bh1_steps6"] = dict(
        config=dict(UNIPC_BASE, flow_shift=5.0, solver_type="bh1", final_sigmas_type="sigma_min"),
        num_steps=6)
    cases["unipc_no_lower_order_final_order3_steps5"] = dict(
        config=dict(UNIPC_BASE, flow_shift=3.0, solver_order=3, lower_order_final=False,
                    final_sigmas_type="sigma_min"), num_steps=5)
    cases["unipc_disable_corrector_steps6"] = dict(
        config=dict(UNIPC_BASE, flow_shift=5.0, disable_corrector=[0, 2]), num_steps=6)
    cases["unipc_order1_steps5"] = dict(config=dict(UNIPC_BASE, flow_shift=5.0, solver_order=1),
                                        num_steps=5)
    cases["unipc_midpoint_alias_steps4"] = dict(
        config=dict(UNIPC_BASE, flow_shift=5.0, solver_type="midpoint"), num_steps=4)
    cases["unipc_shift_override_steps8"] = dict(config=dict(UNIPC_BASE, flow_shift=1.0),
                                                num_steps=8, shift_override=7.0)
    return cases


def euler_cases() -> dict:
    distilled = {"4step": [1.0, 0.9375, 0.8333333, 0.625], "2step": [1.0, 0.5]}
    cases = {}
    for label, sigmas in distilled.items():
        for stochastic in (False, True):
            kind = "sde" if stochastic else "ode"
            cases[f"euler_distilled_{label}_{kind}"] = dict(
                config=dict(num_train_timesteps=NUM_TRAIN_TIMESTEPS, shift=1.0,
                            stochastic_sampling=stochastic),
                num_steps=len(sigmas), sigmas=np.array(sigmas), seed=1234 + len(sigmas))
    cases["euler_distilled_4step_shift3_ode"] = dict(
        config=dict(num_train_timesteps=NUM_TRAIN_TIMESTEPS, shift=3.0),
        num_steps=4, sigmas=np.array(distilled["4step"]))
    for num_steps in (4, 35):
        cases[f"euler_native_steps{num_steps}"] = dict(
            config=dict(num_train_timesteps=NUM_TRAIN_TIMESTEPS), num_steps=num_steps,
            sigmas=native_flow_sigmas(num_steps))
        for shift in (1.0, 5.0):
            cases[f"euler_default_shift{shift:g}_steps{num_steps}"] = dict(
                config=dict(num_train_timesteps=NUM_TRAIN_TIMESTEPS, shift=shift),
                num_steps=num_steps)
    cases["euler_shift_override_steps6"] = dict(
        config=dict(num_train_timesteps=NUM_TRAIN_TIMESTEPS, shift=2.0), num_steps=6,
        shift_override=4.0)
    return cases


def run_case(scheduler_class, case: dict, seed: int) -> dict:
    config = dict(case["config"])
    scheduler = scheduler_class(**config)
    shift_override = case.get("shift_override")
    if shift_override is not None:
        # diffusers has no per-call override: rebuild with the shift, or set_shift for Euler.
        if scheduler_class is UniPCMultistepScheduler:
            scheduler = scheduler_class(**dict(config, flow_shift=shift_override))
        else:
            scheduler.set_shift(shift_override)
    sigmas = case.get("sigmas")
    if scheduler_class is UniPCMultistepScheduler:
        scheduler.set_timesteps(case["num_steps"], sigmas=sigmas)
    else:
        scheduler.set_timesteps(case["num_steps"], sigmas=None if sigmas is None else list(sigmas))

    generator = torch.Generator().manual_seed(seed)
    sample = torch.randn(LATENT_SHAPE, generator=generator)
    tensors = {
        "num_inference_steps": torch.tensor(case["num_steps"], dtype=torch.int64),
        "timesteps": scheduler.timesteps.clone(),
        "sigmas": scheduler.sigmas.clone(),
        "sample.initial": sample.clone(),
    }
    if sigmas is not None:
        tensors["input_sigmas"] = torch.from_numpy(np.asarray(sigmas, dtype=np.float64))
    if shift_override is not None:
        tensors["shift_override"] = torch.tensor(shift_override, dtype=torch.float64)
    noise_seed = case.get("seed")
    noise_generator = None
    if noise_seed is not None:
        tensors["noise_seed"] = torch.tensor(noise_seed, dtype=torch.int64)
        noise_generator = torch.Generator().manual_seed(noise_seed)
    for index, timestep in enumerate(scheduler.timesteps):
        model_output = torch.randn(LATENT_SHAPE, generator=generator)
        if noise_generator is not None:
            sample = scheduler.step(model_output, timestep, sample, generator=noise_generator).prev_sample
        else:
            sample = scheduler.step(model_output, timestep, sample).prev_sample
        tensors[f"model_output.{index}"] = model_output
        tensors[f"sample.{index}"] = sample.clone()
    config = {key: value for key, value in scheduler.config.items() if not key.startswith("_")}
    return tensors, dict(config, _class_name=scheduler_class.__name__)


def main():
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    all_cases = [(UniPCMultistepScheduler, unipc_cases()), (FlowMatchEulerDiscreteScheduler, euler_cases())]
    seed = 0
    for scheduler_class, cases in all_cases:
        for name, case in cases.items():
            seed += 1
            tensors, config = run_case(scheduler_class, case, seed)
            if "shift_override" in case:
                # The C++ side applies the override itself; give it the unshifted config.
                config = dict(config, **{k: v for k, v in case["config"].items()
                                         if k in ("flow_shift", "shift")})
            (out_dir / f"{name}.scheduler_config.json").write_text(json.dumps(config, indent=2))
            save_file({key: value.contiguous() for key, value in tensors.items()},
                      str(out_dir / f"{name}.safetensors"))
    print(f"wrote {seed} scheduler cases to {out_dir}")


if __name__ == "__main__":
    main()
