#include "core/model/transformer.h"

#include "core/errors.h"
#include "core/model/fp8_linear.h"
#include "core/model/fused_layers.h"
#include "core/model/packing.h"
#include "core/safetensors/checkpoint.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_unique.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/embedding.h>
#include <ATen/ops/index_add.h>
#include <ATen/ops/index_copy.h>
#include <ATen/ops/index_select.h>
#include <ATen/ops/to.h>
#include <ATen/ops/zeros.h>

#include <tuple>

namespace cosmos3::model {
namespace {

// The text stream's half of a layer after its attention; skipped (the stream left as it was)
// when the seams supplied cached text K/V, since no prediction reads the text stream's output.
at::Tensor text_layer_output(const DecoderLayerWeights& layer, const at::Tensor& und_SE,
                             const at::Tensor& und_attended, ModelSeams& seams) {
  if (!und_attended.defined()) {
    return und_SE;
  }
  const at::Tensor und_residual = und_SE + und_attended;
  return und_residual +
         apply_row_parallel(
             layer.mlp.down,
             mlp_activation(layer.mlp, apply_norm(layer.post_attention_layernorm, und_residual)),
             seams);
}

// gen_normed_SE is streams.gen_SE under this layer's input norm, made by the previous layer's
// residual add (one fused pass). Returns the layer's output and its generation stream under
// `next_gen_norm` (the next layer's input norm, or the final norm), made the same way.
std::pair<StreamState, at::Tensor> decoder_layer(const DecoderLayerWeights& layer,
                                                 const StreamState& streams,
                                                 const at::Tensor& gen_normed_SE,
                                                 const Norm& next_gen_norm, int64_t layer_index,
                                                 ModelSeams& seams) {
  const bool text_cached = seams.cached_text_key_values(layer_index) != nullptr;
  StreamState normed = streams;
  if (!text_cached) {
    normed.und_SE = apply_norm(layer.input_layernorm, streams.und_SE);
  }
  normed.gen_SE = gen_normed_SE;
  const auto [und_attended, gen_attended] =
      attention_block(layer.self_attn, normed, layer_index, seams);
  const ResidualAndNormed gen_post_attention =
      add_and_norm(streams.gen_SE, gen_attended, layer.post_attention_layernorm_moe_gen);
  const at::Tensor gen_mlp_out = row_parallel_in(
      streams.gen_precision, layer.mlp_moe_gen.down,
      fused_mlp_activation(layer.mlp_moe_gen, gen_post_attention.normed_SE, streams.gen_precision),
      seams);
  ResidualAndNormed gen_output =
      add_and_norm(gen_post_attention.residual_SE, gen_mlp_out, next_gen_norm);
  StreamState output = streams;
  output.und_SE = text_layer_output(layer, streams.und_SE, und_attended, seams);
  output.gen_SE = std::move(gen_output.residual_SE);
  return {std::move(output), std::move(gen_output.normed_SE)};
}

// One domain id per token of each item, repeated over `count_of(item)` tokens.
template <typename CountOf>
at::Tensor per_token_domains(const ModalityInputs& action, CountOf count_of) {
  std::vector<at::Tensor> ids;
  for (std::size_t item = 0; item < action.domain_ids.size(); ++item) {
    ids.push_back(action.domain_ids[item].reshape({1}).expand({count_of(item)}));
  }
  return at::cat(ids, 0);
}

}  // namespace

std::filesystem::path transformer_folder(const std::filesystem::path& model_dir) {
  if (std::filesystem::exists(model_dir / "model_index.json")) {
    return model_dir / "transformer";
  }
  if (std::filesystem::exists(model_dir / "config.json")) {
    return model_dir;
  }
  throw ConfigError(model_dir.string() +
                    ": not a diffusers folder: expected model_index.json with a transformer/ "
                    "subfolder, or a transformer folder holding config.json");
}

Transformer::Transformer(TransformerConfig config, TransformerWeights weights,
                         c10::ScalarType dtype)
    : config_(std::move(config)), weights_(std::move(weights)), dtype_(dtype) {}

Transformer Transformer::load(const std::filesystem::path& model_dir, c10::ScalarType dtype,
                              c10::Device device) {
  const std::filesystem::path folder = transformer_folder(model_dir);
  TransformerConfig config = load_transformer_config(folder / "config.json");
  const safetensors::Checkpoint checkpoint(folder);
  CheckpointWeightSource source(checkpoint);
  TransformerWeights weights = load_transformer_weights(config, source, dtype, device);
  return Transformer(std::move(config), std::move(weights), dtype);
}

TransformerOutputs Transformer::forward(const TransformerInputs& inputs) const {
  ModelSeams single_rank;
  return forward(inputs, single_rank);
}

at::Tensor Transformer::add_timestep_embeddings(at::Tensor packed_ND,
                                                const ModalityInputs& modality) const {
  const at::Tensor timesteps_N = modality.timesteps.to(packed_ND.device()) * config_.timestep_scale;
  // The embedder runs in fp32 and every token of a noise level shares its timestep: embedding
  // each distinct value once spares an fp32 [N, E] x [E, E] GEMM over all N noisy tokens per
  // forward, which every context-parallel rank would otherwise repeat for the whole sequence.
  const auto [distinct_U, inverse_N] =
      at::_unique(timesteps_N, /*sorted=*/true, /*return_inverse=*/true);
  const at::Tensor embeddings =
      embed_timesteps(weights_.time_linear_1, weights_.time_linear_2, distinct_U)
          .index_select(0, inverse_N);
  const at::Tensor rows = noisy_token_rows(modality.noisy_frame_indexes, modality.token_shapes);
  return packed_ND.index_add(0, rows.to(packed_ND.device()), embeddings.to(dtype_));
}

at::Tensor Transformer::embed_sequence(const TransformerInputs& inputs) const {
  const auto device = weights_.embed_tokens.device();
  at::Tensor hidden_SE =
      at::zeros({inputs.sequence_length, config_.hidden_size}, weights_.embed_tokens.options());
  hidden_SE.index_copy_(0, inputs.text_indexes.to(device),
                        at::embedding(weights_.embed_tokens, inputs.input_ids.to(device)));

  std::vector<at::Tensor> vision_rows;
  for (const at::Tensor& latent : inputs.vision.tokens) {
    vision_rows.push_back(patchify(latent.to(device, dtype_), config_.latent_patch_size));
  }
  const at::Tensor vision = apply_linear(weights_.proj_in, at::cat(vision_rows, 0));
  hidden_SE.index_copy_(0, inputs.vision.sequence_indexes.to(device),
                        add_timestep_embeddings(vision, inputs.vision));

  if (inputs.sound && weights_.sound) {
    std::vector<at::Tensor> sound_rows;
    for (std::size_t item = 0; item < inputs.sound->tokens.size(); ++item) {
      sound_rows.push_back(
          inputs.sound->tokens[item].slice(1, 0, inputs.sound->token_shapes[item][0]).t());
    }
    const at::Tensor sound =
        apply_linear(weights_.sound->proj_in, at::cat(sound_rows, 0).to(device, dtype_)) +
        weights_.sound->modality_embed;
    hidden_SE.index_copy_(0, inputs.sound->sequence_indexes.to(device),
                          add_timestep_embeddings(sound, *inputs.sound));
  }
  if (inputs.action && weights_.action) {
    const ModalityInputs& action = *inputs.action;
    std::vector<at::Tensor> action_rows;
    for (std::size_t item = 0; item < action.tokens.size(); ++item) {
      action_rows.push_back(action.tokens[item].slice(0, 0, action.token_shapes[item][0]));
    }
    const at::Tensor domains =
        per_token_domains(action, [&](std::size_t item) { return action.token_shapes[item][0]; });
    at::Tensor packed =
        apply_domain_linear(weights_.action->proj_in, at::cat(action_rows, 0).to(device, dtype_),
                            domains.to(device)) +
        weights_.action->modality_embed;
    if (action.mse_loss_indexes.numel() > 0) {
      packed = add_timestep_embeddings(packed, action);
    }
    hidden_SE.index_copy_(0, action.sequence_indexes.to(device), packed);
  }
  return hidden_SE;
}

StreamState Transformer::run_decoder(StreamState streams, ModelSeams& seams) const {
  streams = seams.shard_streams(std::move(streams));
  const std::size_t num_layers = weights_.layers.size();
  // Each layer hands the next its generation stream already normed: the residual add and the
  // norm run as one pass (core/model/fused_layers.h).
  const auto gen_norm_after = [&](std::size_t index) -> const Norm& {
    return index + 1 < num_layers ? weights_.layers[index + 1].input_layernorm_moe_gen
                                  : weights_.norm_moe_gen;
  };
  at::Tensor gen_normed_SE =
      add_and_norm(
          streams.gen_SE, {},
          num_layers > 0 ? weights_.layers[0].input_layernorm_moe_gen : weights_.norm_moe_gen)
          .normed_SE;
  for (std::size_t index = 0; index < num_layers; ++index) {
    std::tie(streams, gen_normed_SE) =
        decoder_layer(weights_.layers[index], streams, gen_normed_SE, gen_norm_after(index),
                      static_cast<int64_t>(index), seams);
  }
  streams.und_SE = apply_norm(weights_.norm, streams.und_SE);
  streams.gen_SE = std::move(gen_normed_SE);
  return seams.gather_streams(std::move(streams));
}

TransformerOutputs Transformer::decode(const at::Tensor& last_hidden_SE,
                                       const TransformerInputs& inputs) const {
  const auto device = last_hidden_SE.device();
  TransformerOutputs outputs;
  const at::Tensor vision_predictions =
      apply_linear(weights_.proj_out,
                   at::index_select(last_hidden_SE, 0, inputs.vision.mse_loss_indexes.to(device)));
  int64_t start = 0;
  for (std::size_t item = 0; item < inputs.vision.tokens.size(); ++item) {
    const auto& shape = inputs.vision.token_shapes[item];
    const at::Tensor& noisy = inputs.vision.noisy_frame_indexes[item];
    const int64_t count = noisy.size(0) * shape[1] * shape[2];
    const at::Tensor& latent = inputs.vision.tokens[item];
    outputs.sample.push_back(unpatchify(vision_predictions.slice(0, start, start + count), shape,
                                        noisy.to(device), latent.size(-2), latent.size(-1),
                                        config_.latent_patch_size));
    start += count;
  }
  if (inputs.sound && weights_.sound) {
    const at::Tensor predictions = apply_linear(
        weights_.sound->proj_out,
        at::index_select(last_hidden_SE, 0, inputs.sound->mse_loss_indexes.to(device)));
    for (const at::Tensor& item : scatter_frame_predictions(predictions, inputs.sound->token_shapes,
                                                            inputs.sound->noisy_frame_indexes)) {
      outputs.sound.push_back(item.t());
    }
  }
  if (inputs.action && weights_.action) {
    const ModalityInputs& action = *inputs.action;
    const at::Tensor domains = per_token_domains(
        action, [&](std::size_t item) { return action.noisy_frame_indexes[item].size(0); });
    const at::Tensor predictions =
        apply_domain_linear(weights_.action->proj_out,
                            at::index_select(last_hidden_SE, 0, action.mse_loss_indexes.to(device)),
                            domains.to(device));
    outputs.action =
        scatter_frame_predictions(predictions, action.token_shapes, action.noisy_frame_indexes);
  }
  return outputs;
}

TransformerOutputs Transformer::forward(const TransformerInputs& inputs, ModelSeams& seams) const {
  return forward(inputs, seams, Precision::kBf16);
}

void Transformer::prepare_fp8() {
  const at::Tensor& probe = weights_.embed_tokens;
  if (!probe.is_cuda() || dtype_ != at::kBFloat16) {
    throw UserError(
        "--precision fp8 needs a CUDA device and a bf16 model (FP8 GEMMs run on "
        "NVIDIA GPUs only): use --precision bf16 on the CPU");
  }
  if (fp8_ready_) return;  // a resident transformer is prepared once, at its first FP8 job
  attach_fp8_generation_weights(weights_);
  fp8_ready_ = true;
}

void Transformer::release_fp8() {
  detach_fp8_generation_weights(weights_);
  fp8_ready_ = false;
}

TransformerOutputs Transformer::forward(const TransformerInputs& inputs, ModelSeams& seams,
                                        Precision precision) const {
  if (precision == Precision::kFp8 && !fp8_ready_) {
    throw UserError(
        "--precision fp8 needs a CUDA device and a bf16 model (FP8 GEMMs run on "
        "NVIDIA GPUs only): use --precision bf16 on the CPU");
  }
  const at::Tensor hidden_SE = embed_sequence(inputs);
  const RotaryTables rotary =
      mrope_tables(inputs.position_ids.to(hidden_SE.device()), config_.head_dim, config_.rope_theta,
                   config_.rope_axes_dim, dtype_);
  const int64_t und_len = inputs.und_len;
  StreamState streams{
      hidden_SE.slice(0, 0, und_len), hidden_SE.slice(0, und_len),
      RotaryTables{rotary.cos_SD.slice(0, 0, und_len), rotary.sin_SD.slice(0, 0, und_len)},
      RotaryTables{rotary.cos_SD.slice(0, und_len), rotary.sin_SD.slice(0, und_len)}, precision};
  streams = run_decoder(std::move(streams), seams);
  return decode(at::cat({streams.und_SE, streams.gen_SE}, 0), inputs);
}

}  // namespace cosmos3::model
