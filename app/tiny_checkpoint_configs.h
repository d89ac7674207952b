#pragma once
// The configs of the embedded tiny checkpoint: a Nano-shaped transformer (silu, grouped KV
// heads, q/k norms, sound and action heads) and a Wan2.2-layout VAE (residual blocks, patchify
// 2, 16x spatial and 4x temporal compression) and a sound tokenizer decoder with the published
// 48 kHz rate and strides (hop 1920) but 4-channel width, all shrunk so a short video with sound
// generates in seconds on a CPU. Real formats: diffusers reads the folder as it reads a release.

namespace cosmos3::tool {

inline constexpr const char* kTinyTransformerConfig = R"json({
  "_class_name": "Cosmos3OmniTransformer",
  "_diffusers_version": "0.42.1",
  "action_dim": 12, "action_gen": true, "attention_bias": false, "attention_dropout": 0.0,
  "base_fps": 24, "enable_fps_modulation": true, "head_dim": 16, "hidden_act": "silu",
  "hidden_size": 64, "intermediate_size": 128, "latent_channel": 8, "latent_patch_size": 2,
  "num_attention_heads": 4, "num_embodiment_domains": 21, "num_hidden_layers": 2,
  "num_key_value_heads": 2, "patch_latent_dim": 32, "qk_norm_for_text": true,
  "rms_norm_eps": 1e-06, "rope_axes_dim": [4, 2, 2], "rope_scaling": null,
  "rope_theta": 5000000.0, "sound_dim": 8, "sound_gen": true, "sound_latent_fps": 25.0,
  "timestep_scale": 0.001, "unified_3d_mrope_reset_spatial_ids": true,
  "unified_3d_mrope_temporal_modality_margin": 15000, "use_und_k_norm_for_gen": false,
  "vocab_size": 300
})json";

inline constexpr const char* kTinyVaeConfig = R"json({
  "_class_name": "AutoencoderKLWan",
  "_diffusers_version": "0.42.1",
  "attn_scales": [], "base_dim": 16, "decoder_base_dim": 24, "dim_mult": [1, 2, 4, 4],
  "dropout": 0.0, "in_channels": 12, "is_residual": true,
  "latents_mean": [-0.2, 0.1, 0.05, -0.1, 0.3, 0.0, -0.05, 0.15],
  "latents_std": [1.1, 0.9, 1.2, 0.8, 1.0, 1.05, 0.95, 1.3],
  "num_res_blocks": 2, "out_channels": 12, "patch_size": 2, "scale_factor_spatial": 16,
  "scale_factor_temporal": 4, "temperal_downsample": [false, true, true], "z_dim": 8
})json";

inline constexpr const char* kTinySchedulerConfig = R"json({
  "_class_name": "UniPCMultistepScheduler",
  "_diffusers_version": "0.42.1",
  "flow_shift": 5.0, "num_train_timesteps": 1000, "prediction_type": "flow_prediction",
  "predict_x0": true, "solver_order": 2, "solver_type": "bh2", "lower_order_final": true,
  "use_flow_sigmas": true, "final_sigmas_type": "zero"
})json";

inline constexpr const char* kTinyModelIndex = R"json({
  "_class_name": "Cosmos3OmniPipeline",
  "_diffusers_version": "0.42.1",
  "default_use_system_prompt": true,
  "use_native_flow_schedule": false,
  "scheduler": ["diffusers", "UniPCMultistepScheduler"],
  "text_tokenizer": ["transformers", "AutoTokenizer"],
  "transformer": ["diffusers", "Cosmos3OmniTransformer"],
  "vae": ["diffusers", "AutoencoderKLWan"],
  "sound_tokenizer": ["diffusers", "Cosmos3AVAEAudioTokenizer"]
})json";

// Decoder only (no encoder weights), so encoder_enabled is false.
inline constexpr const char* kTinySoundTokenizerConfig = R"json({
  "_class_name": "Cosmos3AVAEAudioTokenizer",
  "_diffusers_version": "0.42.1",
  "model_type": "autoencoder_v2", "sampling_rate": 48000, "vocoder_input_dim": 8,
  "dec_dim": 4, "dec_c_mults": [1, 2, 4, 8, 16], "dec_strides": [2, 4, 5, 6, 8],
  "dec_out_channels": 2, "stereo": true, "hop_size": null, "encoder_enabled": false,
  "dec_type": "oobleck", "activation": "snakebeta", "snake_logscale": true,
  "latent_mean": null, "latent_std": null
})json";

}  // namespace cosmos3::tool
