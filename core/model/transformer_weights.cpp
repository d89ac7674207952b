#include "core/model/transformer_weights.h"

#include "core/kernels/fused_ops.h"
#include "core/model/projection_fusion.h"

#include <ATen/ops/to.h>  // IWYU pragma: keep

#include <string>

namespace cosmos3::model {
namespace {

class WeightLoader {
 public:
  WeightLoader(const TransformerConfig& config, WeightSource& source, c10::ScalarType dtype,
               c10::Device device)
      : config_(config), source_(source), dtype_(dtype), device_(device) {}

  at::Tensor tensor(const std::string& name, std::vector<int64_t> shape,
                    ShardRole role = ShardRole::kReplicated) {
    return source_.load(name, shape, role).to(device_, dtype_);
  }

  Linear linear(const std::string& prefix, int64_t in, int64_t out, bool has_bias,
                ShardRole role = ShardRole::kReplicated) {
    Linear result{.weight = tensor(prefix + ".weight", {out, in}, role)};
    if (has_bias) {
      // A row-parallel bias is added once, after the reduction: every rank keeps it whole.
      const ShardRole bias_role = role == ShardRole::kColumn ? role : ShardRole::kReplicated;
      result.bias = tensor(prefix + ".bias", {out}, bias_role);
    }
    return result;
  }

  Norm norm(const std::string& prefix, int64_t dim) {
    const NormKind kind = config_.uses_nemotron_norm() ? NormKind::kNemotronRms : NormKind::kRms;
    return Norm{kind, tensor(prefix + ".weight", {dim}), config_.rms_norm_eps};
  }

  Mlp mlp(const std::string& prefix) {
    const int64_t hidden = config_.hidden_size;
    const int64_t inner = config_.intermediate_size;
    Mlp result;
    result.activation = config_.hidden_act;
    if (config_.hidden_act == Activation::kSilu) {
      result.gate = linear(prefix + ".gate_proj", hidden, inner, false, ShardRole::kColumn);
    }
    result.up = linear(prefix + ".up_proj", hidden, inner, false, ShardRole::kColumn);
    result.down = linear(prefix + ".down_proj", inner, hidden, false, ShardRole::kRow);
    return result;
  }

  AttentionWeights attention(const std::string& prefix) {
    const int64_t hidden = config_.hidden_size;
    const int64_t q_width = config_.query_width();
    const int64_t kv_width = config_.key_value_width();
    const bool bias = config_.attention_bias;
    AttentionWeights result;
    result.head_dim = config_.head_dim;
    result.to_q = linear(prefix + ".to_q", hidden, q_width, bias, ShardRole::kColumn);
    result.to_k = linear(prefix + ".to_k", hidden, kv_width, bias, ShardRole::kColumn);
    result.to_v = linear(prefix + ".to_v", hidden, kv_width, bias, ShardRole::kColumn);
    result.to_out = linear(prefix + ".to_out", q_width, hidden, bias, ShardRole::kRow);
    result.add_q_proj = linear(prefix + ".add_q_proj", hidden, q_width, bias, ShardRole::kColumn);
    result.add_k_proj = linear(prefix + ".add_k_proj", hidden, kv_width, bias, ShardRole::kColumn);
    result.add_v_proj = linear(prefix + ".add_v_proj", hidden, kv_width, bias, ShardRole::kColumn);
    result.to_add_out = linear(prefix + ".to_add_out", q_width, hidden, bias, ShardRole::kRow);
    if (config_.qk_norm_for_text) {
      result.norm_q = norm(prefix + ".norm_q", config_.head_dim);
      result.norm_k = norm(prefix + ".norm_k", config_.head_dim);
    }
    if (config_.has_und_k_norm_for_gen()) {
      result.k_norm_und_for_gen = norm(prefix + ".k_norm_und_for_gen", config_.head_dim);
    }
    result.norm_added_q = norm(prefix + ".norm_added_q", config_.head_dim);
    result.norm_added_k = norm(prefix + ".norm_added_k", config_.head_dim);
    return result;
  }

  DecoderLayerWeights layer(int64_t index) {
    const std::string prefix = "layers." + std::to_string(index);
    const int64_t hidden = config_.hidden_size;
    return DecoderLayerWeights{
        norm(prefix + ".input_layernorm", hidden),
        norm(prefix + ".input_layernorm_moe_gen", hidden),
        norm(prefix + ".post_attention_layernorm", hidden),
        norm(prefix + ".post_attention_layernorm_moe_gen", hidden),
        attention(prefix + ".self_attn"),
        mlp(prefix + ".mlp"),
        mlp(prefix + ".mlp_moe_gen"),
    };
  }

  DomainAwareLinear domain_linear(const std::string& prefix, int64_t in, int64_t out) {
    const int64_t domains = config_.num_embodiment_domains;
    return DomainAwareLinear{in, out, tensor(prefix + ".fc.weight", {domains, in * out}),
                             tensor(prefix + ".bias.weight", {domains, out})};
  }

  Linear fp32_linear(const std::string& prefix, int64_t in, int64_t out) {
    return Linear{
        .weight = source_.load(prefix + ".weight", {out, in}, ShardRole::kReplicated)
                      .to(device_, at::kFloat),
        .bias =
            source_.load(prefix + ".bias", {out}, ShardRole::kReplicated).to(device_, at::kFloat)};
  }

 private:
  const TransformerConfig& config_;
  WeightSource& source_;
  c10::ScalarType dtype_;
  c10::Device device_;
};

// diffusers' Timesteps(num_channels=256) feeds the embedder.
constexpr int64_t kTimestepChannels = 256;

}  // namespace

TransformerWeights load_transformer_weights(const TransformerConfig& config, WeightSource& source,
                                            c10::ScalarType dtype, c10::Device device) {
  WeightLoader loader(config, source, dtype, device);
  const int64_t hidden = config.hidden_size;
  TransformerWeights weights;
  weights.embed_tokens = loader.tensor("embed_tokens.weight", {config.vocab_size, hidden});
  for (int64_t index = 0; index < config.num_hidden_layers; ++index) {
    weights.layers.push_back(loader.layer(index));
  }
  weights.norm = loader.norm("norm", hidden);
  weights.norm_moe_gen = loader.norm("norm_moe_gen", hidden);
  weights.proj_in = loader.linear("proj_in", config.patch_latent_dim, hidden, true);
  weights.proj_out = loader.linear("proj_out", hidden, config.patch_latent_dim, true);
  weights.time_linear_1 = loader.fp32_linear("time_embedder.linear_1", kTimestepChannels, hidden);
  weights.time_linear_2 = loader.fp32_linear("time_embedder.linear_2", hidden, hidden);
  if (config.sound_gen) {
    weights.sound = SoundHeads{loader.linear("audio_proj_in", config.sound_dim, hidden, true),
                               loader.linear("audio_proj_out", hidden, config.sound_dim, true),
                               loader.tensor("audio_modality_embed", {hidden})};
  }
  if (config.action_gen) {
    weights.action = ActionHeads{loader.domain_linear("action_proj_in", config.action_dim, hidden),
                                 loader.domain_linear("action_proj_out", hidden, config.action_dim),
                                 loader.tensor("action_modality_embed", {hidden})};
  }
  if (device.is_cuda() && kernels::cuda_kernels_built()) {
    fuse_projections(weights);
  }
  return weights;
}

}  // namespace cosmos3::model
