#pragma once
// The layers of the Oobleck-style sound decoder, with their weights in the form the forward
// uses: weight norm folded into plain kernels and Snake-beta's log-scale parameters turned into
// the factors it multiplies by, both once at load.
//
// Shape legend: x_BCL [batch, channels, samples].

#include "core/model/weight_source.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <string>

namespace cosmos3::sound {

// Where the layers' weights are put: every tensor converted to `dtype` on `device`.
struct LayerPlacement {
  model::WeightSource& source;
  c10::ScalarType dtype;
  c10::Device device;
};

// x + 1 / (exp(beta) + 1e-9) * sin(exp(alpha) * x)^2, per channel.
class SnakeBeta {
 public:
  static SnakeBeta load(LayerPlacement& placement, const std::string& prefix, int64_t channels);
  at::Tensor forward(const at::Tensor& x_BCL) const;

 private:
  at::Tensor frequency_1C1_;         // exp(alpha)
  at::Tensor inverse_strength_1C1_;  // 1 / (exp(beta) + 1e-9)
};

// A weight-normed Conv1d ("same" padding) or ConvTranspose1d (upsampling by `stride`).
class NormedConv {
 public:
  struct Geometry {
    int64_t stride = 1;
    int64_t padding = 0;
    int64_t dilation = 1;
    int64_t output_padding = 0;
    bool transposed = false;
    bool has_bias = true;
  };
  // `weight_shape` is the kernel's: [out, in, k], or [in, out, k] when transposed.
  static NormedConv load(LayerPlacement& placement, const std::string& prefix,
                         const std::vector<int64_t>& weight_shape, Geometry geometry);
  at::Tensor forward(const at::Tensor& x_BCL) const;

 private:
  at::Tensor weight_;
  at::Tensor bias_;  // undefined without a bias
  Geometry geometry_;
};

// Snake, dilated k7 conv, Snake, k1 conv, plus the input.
class ResidualUnit {
 public:
  static ResidualUnit load(LayerPlacement& placement, const std::string& prefix, int64_t channels,
                           int64_t dilation);
  at::Tensor forward(const at::Tensor& x_BCL) const;

 private:
  SnakeBeta snake1_;
  NormedConv conv1_;
  SnakeBeta snake2_;
  NormedConv conv2_;
};

// Snake, transposed conv upsampling by `stride`, then residual units of dilation 1, 3 and 9.
class DecoderBlock {
 public:
  static DecoderBlock load(LayerPlacement& placement, const std::string& prefix,
                           int64_t input_channels, int64_t output_channels, int64_t stride);
  at::Tensor forward(const at::Tensor& x_BCL) const;

 private:
  SnakeBeta snake_;
  NormedConv upsample_;
  std::array<ResidualUnit, 3> units_;
};

}  // namespace cosmos3::sound
