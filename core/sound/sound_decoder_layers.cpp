#include "core/sound/sound_decoder_layers.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/_weight_norm.h>
#include <ATen/ops/conv1d.h>
#include <ATen/ops/conv_transpose1d.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/mul.h>
#include <ATen/ops/reciprocal.h>
#include <ATen/ops/to.h>

namespace cosmos3::sound {
namespace {

at::Tensor load_tensor(LayerPlacement& placement, const std::string& name,
                       const std::vector<int64_t>& shape) {
  return placement.source.load(name, shape, model::ShardRole::kReplicated)
      .to(placement.device, placement.dtype);
}

// The kernel g * v / |v| (norm over all dims but 0), computed in the layer dtype as the
// reference's weight-norm hook computes it. The reference saves old-style pairs
// (weight_g, weight_v); newer torch saves parametrizations; an already folded `weight` is taken
// as it is.
at::Tensor load_folded_kernel(LayerPlacement& placement, const std::string& prefix,
                              const std::vector<int64_t>& shape) {
  const std::vector<int64_t> gain_shape{shape[0], 1, 1};
  for (const auto& [gain, direction] :
       {std::pair<std::string, std::string>{".weight_g", ".weight_v"},
        {".parametrizations.weight.original0", ".parametrizations.weight.original1"}}) {
    if (placement.source.contains(prefix + gain)) {
      const at::Tensor g = load_tensor(placement, prefix + gain, gain_shape);
      const at::Tensor v = load_tensor(placement, prefix + direction, shape);
      return at::_weight_norm(v, g, 0);
    }
  }
  return load_tensor(placement, prefix + ".weight", shape);
}

}  // namespace

SnakeBeta SnakeBeta::load(LayerPlacement& placement, const std::string& prefix, int64_t channels) {
  const std::vector<int64_t> shape{1, channels, 1};
  SnakeBeta snake;
  snake.frequency_1C1_ = at::exp(load_tensor(placement, prefix + ".alpha", shape));
  snake.inverse_strength_1C1_ =
      (at::exp(load_tensor(placement, prefix + ".beta", shape)) + 1e-9).reciprocal();
  return snake;
}

at::Tensor SnakeBeta::forward(const at::Tensor& x_BCL) const {
  // One temporary, updated in place: the widest activations of a long clip are hundreds of
  // megabytes. Each op is the reference's, in its order (products and sums commute exactly).
  at::Tensor wave = at::mul(x_BCL, frequency_1C1_);
  wave.sin_();
  wave.pow_(2);
  wave.mul_(inverse_strength_1C1_);
  wave.add_(x_BCL);
  return wave;
}

NormedConv NormedConv::load(LayerPlacement& placement, const std::string& prefix,
                            const std::vector<int64_t>& weight_shape, Geometry geometry) {
  NormedConv conv;
  conv.weight_ = load_folded_kernel(placement, prefix, weight_shape);
  if (geometry.has_bias) {
    const int64_t out_channels = geometry.transposed ? weight_shape[1] : weight_shape[0];
    conv.bias_ = load_tensor(placement, prefix + ".bias", {out_channels});
  }
  conv.geometry_ = geometry;
  return conv;
}

at::Tensor NormedConv::forward(const at::Tensor& x_BCL) const {
  const Geometry& g = geometry_;
  if (g.transposed) {
    return at::conv_transpose1d(x_BCL, weight_, bias_, g.stride, g.padding, g.output_padding, 1,
                                g.dilation);
  }
  return at::conv1d(x_BCL, weight_, bias_, g.stride, g.padding, g.dilation);
}

ResidualUnit ResidualUnit::load(LayerPlacement& placement, const std::string& prefix,
                                int64_t channels, int64_t dilation) {
  ResidualUnit unit;
  unit.snake1_ = SnakeBeta::load(placement, prefix + ".snake1", channels);
  NormedConv::Geometry dilated;
  dilated.dilation = dilation;
  dilated.padding = (7 - 1) * dilation / 2;
  unit.conv1_ = NormedConv::load(placement, prefix + ".conv1", {channels, channels, 7}, dilated);
  unit.snake2_ = SnakeBeta::load(placement, prefix + ".snake2", channels);
  unit.conv2_ = NormedConv::load(placement, prefix + ".conv2", {channels, channels, 1}, {});
  return unit;
}

at::Tensor ResidualUnit::forward(const at::Tensor& x_BCL) const {
  // "Same" padding keeps the length, so the input needs no trimming before the sum.
  const at::Tensor branch = conv2_.forward(snake2_.forward(conv1_.forward(snake1_.forward(x_BCL))));
  return x_BCL + branch;
}

DecoderBlock DecoderBlock::load(LayerPlacement& placement, const std::string& prefix,
                                int64_t input_channels, int64_t output_channels, int64_t stride) {
  DecoderBlock block;
  block.snake_ = SnakeBeta::load(placement, prefix + ".snake1", input_channels);
  NormedConv::Geometry upsampling;
  upsampling.transposed = true;
  upsampling.stride = stride;
  upsampling.padding = (stride + 1) / 2;  // ceil(stride / 2)
  // With kernel 2 * stride this makes the output exactly stride times longer, odd or even.
  upsampling.output_padding = stride % 2;
  block.upsample_ = NormedConv::load(placement, prefix + ".conv_t1",
                                     {input_channels, output_channels, 2 * stride}, upsampling);
  const std::array<int64_t, 3> dilations{1, 3, 9};
  for (size_t unit = 0; unit < dilations.size(); ++unit) {
    block.units_[unit] =
        ResidualUnit::load(placement, prefix + ".res_unit" + std::to_string(unit + 1),
                           output_channels, dilations[unit]);
  }
  return block;
}

at::Tensor DecoderBlock::forward(const at::Tensor& x_BCL) const {
  at::Tensor hidden = upsample_.forward(snake_.forward(x_BCL));
  for (const ResidualUnit& unit : units_) {
    hidden = unit.forward(hidden);
  }
  return hidden;
}

}  // namespace cosmos3::sound
