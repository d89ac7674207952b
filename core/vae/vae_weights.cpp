#include "core/vae/vae_weights.h"

#include <ATen/ops/to.h>  // IWYU pragma: keep

#include <string>

namespace cosmos3::vae {
namespace {

class WeightLoader {
 public:
  WeightLoader(model::WeightSource& source, c10::ScalarType dtype, c10::Device device)
      : source_(source), dtype_(dtype), device_(device) {}

  at::Tensor tensor(const std::string& name, std::vector<int64_t> shape) {
    return source_.load(name, shape, model::ShardRole::kReplicated).to(device_, dtype_);
  }

  Conv conv3d(const std::string& prefix, int64_t in, int64_t out, std::vector<int64_t> kernel) {
    std::vector<int64_t> shape{out, in};
    shape.insert(shape.end(), kernel.begin(), kernel.end());
    return Conv{tensor(prefix + ".weight", shape), tensor(prefix + ".bias", {out})};
  }

  Conv cube_conv(const std::string& prefix, int64_t in, int64_t out) {
    return conv3d(prefix, in, out, {3, 3, 3});
  }

  Conv conv2d(const std::string& prefix, int64_t in, int64_t out, int64_t kernel) {
    return Conv{tensor(prefix + ".weight", {out, in, kernel, kernel}),
                tensor(prefix + ".bias", {out})};
  }

  RmsNorm video_norm(const std::string& prefix, int64_t dim) {
    return RmsNorm{tensor(prefix + ".gamma", {dim, 1, 1, 1})};
  }

  ResidualBlockWeights residual(const std::string& prefix, int64_t in, int64_t out) {
    ResidualBlockWeights block{
        video_norm(prefix + ".norm1", in), cube_conv(prefix + ".conv1", in, out),
        video_norm(prefix + ".norm2", out), cube_conv(prefix + ".conv2", out, out), std::nullopt};
    if (in != out) {
      block.conv_shortcut = conv3d(prefix + ".conv_shortcut", in, out, {1, 1, 1});
    }
    return block;
  }

  MidBlockWeights mid_block(const std::string& prefix, int64_t dim) {
    const std::string attention = prefix + ".attentions.0";
    return MidBlockWeights{
        residual(prefix + ".resnets.0", dim, dim),
        AttentionBlockWeights{RmsNorm{tensor(attention + ".norm.gamma", {dim, 1, 1})},
                              conv2d(attention + ".to_qkv", dim, 3 * dim, 1),
                              conv2d(attention + ".proj", dim, dim, 1)},
        residual(prefix + ".resnets.1", dim, dim)};
  }

  // Upsamplers double the time axis by emitting twice the channels from the temporal conv.
  ResampleWeights resample(const std::string& prefix, int64_t dim, ResampleMode mode) {
    ResampleWeights weights{mode, conv2d(prefix + ".resample.1", dim, dim, 3), {}};
    if (mode == ResampleMode::kDownsample3d) {
      weights.temporal = conv3d(prefix + ".time_conv", dim, dim, {3, 1, 1});
    } else if (mode == ResampleMode::kUpsample3d) {
      weights.temporal = conv3d(prefix + ".time_conv", dim, 2 * dim, {3, 1, 1});
    }
    return weights;
  }

 private:
  model::WeightSource& source_;
  c10::ScalarType dtype_;
  c10::Device device_;
};

DownBlockWeights down_block(WeightLoader& loader, const VaeConfig& config, int64_t level) {
  const std::string prefix = "encoder.down_blocks." + std::to_string(level);
  const std::vector<int64_t> dims = config.encoder_dims();
  const bool downsamples = level != config.num_levels() - 1;
  const bool halves_time = downsamples && config.temporal_downsample[static_cast<size_t>(level)];
  DownBlockWeights block;
  block.out_dim = dims[static_cast<size_t>(level) + 1];
  block.factor_t = halves_time ? 2 : 1;
  block.factor_s = downsamples ? 2 : 1;
  int64_t in_dim = dims[static_cast<size_t>(level)];
  for (int64_t index = 0; index < config.num_res_blocks; ++index) {
    block.resnets.push_back(
        loader.residual(prefix + ".resnets." + std::to_string(index), in_dim, block.out_dim));
    in_dim = block.out_dim;
  }
  if (downsamples) {
    block.downsampler =
        loader.resample(prefix + ".downsampler", block.out_dim,
                        halves_time ? ResampleMode::kDownsample3d : ResampleMode::kDownsample2d);
  }
  return block;
}

UpBlockWeights up_block(WeightLoader& loader, const VaeConfig& config, int64_t level) {
  const std::string prefix = "decoder.up_blocks." + std::to_string(level);
  const std::vector<int64_t> dims = config.decoder_dims();
  const bool upsamples = level != config.num_levels() - 1;
  const bool doubles_time = upsamples && config.temporal_upsample(level);
  UpBlockWeights block;
  block.out_dim = dims[static_cast<size_t>(level) + 1];
  block.factor_t = doubles_time ? 2 : 1;
  int64_t in_dim = dims[static_cast<size_t>(level)];
  for (int64_t index = 0; index <= config.num_res_blocks; ++index) {
    block.resnets.push_back(
        loader.residual(prefix + ".resnets." + std::to_string(index), in_dim, block.out_dim));
    in_dim = block.out_dim;
  }
  if (upsamples) {
    block.upsampler =
        loader.resample(prefix + ".upsampler", block.out_dim,
                        doubles_time ? ResampleMode::kUpsample3d : ResampleMode::kUpsample2d);
  }
  return block;
}

EncoderWeights encoder(WeightLoader& loader, const VaeConfig& config) {
  const std::vector<int64_t> dims = config.encoder_dims();
  EncoderWeights weights;
  weights.conv_in = loader.cube_conv("encoder.conv_in", config.in_channels, dims.front());
  for (int64_t level = 0; level < config.num_levels(); ++level) {
    weights.down_blocks.push_back(down_block(loader, config, level));
  }
  weights.mid_block = loader.mid_block("encoder.mid_block", dims.back());
  weights.norm_out = loader.video_norm("encoder.norm_out", dims.back());
  // The encoder emits the posterior's mean and log-variance.
  weights.conv_out = loader.cube_conv("encoder.conv_out", dims.back(), 2 * config.z_dim);
  return weights;
}

DecoderWeights decoder(WeightLoader& loader, const VaeConfig& config) {
  const std::vector<int64_t> dims = config.decoder_dims();
  DecoderWeights weights;
  weights.conv_in = loader.cube_conv("decoder.conv_in", config.z_dim, dims.front());
  weights.mid_block = loader.mid_block("decoder.mid_block", dims.front());
  for (int64_t level = 0; level < config.num_levels(); ++level) {
    weights.up_blocks.push_back(up_block(loader, config, level));
  }
  weights.norm_out = loader.video_norm("decoder.norm_out", dims.back());
  weights.conv_out = loader.cube_conv("decoder.conv_out", dims.back(), config.out_channels);
  return weights;
}

}  // namespace

VaeWeights load_vae_weights(const VaeConfig& config, model::WeightSource& source,
                            c10::ScalarType dtype, c10::Device device, VaeParts parts) {
  WeightLoader loader(source, dtype, device);
  VaeWeights weights;
  if (parts != VaeParts::kDecoderOnly) {
    weights.encoder = encoder(loader, config);
    const int64_t moments = 2 * config.z_dim;
    weights.quant_conv = loader.conv3d("quant_conv", moments, moments, {1, 1, 1});
  }
  if (parts != VaeParts::kEncoderOnly) {
    weights.post_quant_conv =
        loader.conv3d("post_quant_conv", config.z_dim, config.z_dim, {1, 1, 1});
    weights.decoder = decoder(loader, config);
  }
  return weights;
}

}  // namespace cosmos3::vae
