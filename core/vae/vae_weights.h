#pragma once
// The VAE's parameters as plain tensors, grouped as diffusers' AutoencoderKLWan modules are,
// with the few structural facts (channels, factors) each block needs at run time.

#include "core/model/weight_source.h"
#include "core/vae/vae_config.h"

#include <ATen/core/Tensor.h>

#include <optional>
#include <vector>

namespace cosmos3::vae {

struct Conv {
  at::Tensor weight;  // [out, in, kt, kh, kw] or [out, in, kh, kw]
  at::Tensor bias;    // [out]
};

// Channel RMS norm; gamma is [C, 1, 1, 1] for video tensors, [C, 1, 1] for frames.
struct RmsNorm {
  at::Tensor gamma;
};

struct ResidualBlockWeights {
  RmsNorm norm1;
  Conv conv1;
  RmsNorm norm2;
  Conv conv2;
  std::optional<Conv> conv_shortcut;  // only when the channels change
};

// Single-head self-attention within each frame.
struct AttentionBlockWeights {
  RmsNorm norm;
  Conv to_qkv;
  Conv proj;
};

struct MidBlockWeights {
  ResidualBlockWeights first;
  AttentionBlockWeights attention;
  ResidualBlockWeights second;
};

enum class ResampleMode { kDownsample2d, kDownsample3d, kUpsample2d, kUpsample3d };

struct ResampleWeights {
  ResampleMode mode = ResampleMode::kDownsample2d;
  Conv spatial;   // per-frame 3x3 conv
  Conv temporal;  // causal (3, 1, 1) conv; undefined in the 2d modes
};

struct DownBlockWeights {
  int64_t out_dim = 0;
  int64_t factor_t = 1;  // of the averaging shortcut
  int64_t factor_s = 1;
  std::vector<ResidualBlockWeights> resnets;
  std::optional<ResampleWeights> downsampler;
};

struct UpBlockWeights {
  int64_t out_dim = 0;
  int64_t factor_t = 1;  // of the duplicating shortcut, which exists only with an upsampler
  std::vector<ResidualBlockWeights> resnets;
  std::optional<ResampleWeights> upsampler;
};

struct EncoderWeights {
  Conv conv_in;
  std::vector<DownBlockWeights> down_blocks;
  MidBlockWeights mid_block;
  RmsNorm norm_out;
  Conv conv_out;
};

struct DecoderWeights {
  Conv conv_in;
  MidBlockWeights mid_block;
  std::vector<UpBlockWeights> up_blocks;
  RmsNorm norm_out;
  Conv conv_out;
};

// Which halves to load: a generation-only app never encodes and can skip half the weights.
enum class VaeParts { kEncoderAndDecoder, kDecoderOnly, kEncoderOnly };

struct VaeWeights {
  std::optional<EncoderWeights> encoder;
  Conv quant_conv;  // with the encoder
  std::optional<DecoderWeights> decoder;
  Conv post_quant_conv;  // with the decoder
};

// Reads every tensor the config calls for, converted to `dtype` on `device`. Throws
// CheckpointError for missing tensors, shapes that disagree with the config, and non-floating
// dtypes.
VaeWeights load_vae_weights(const VaeConfig& config, model::WeightSource& source,
                            c10::ScalarType dtype, c10::Device device,
                            VaeParts parts = VaeParts::kEncoderAndDecoder);

}  // namespace cosmos3::vae
