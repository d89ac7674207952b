#include "core/sound/sound_decoder.h"

#include "core/safetensors/checkpoint.h"
#include "core/sound/sound_weight_sources.h"

#include <ATen/ops/clamp.h>
#include <ATen/ops/to.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

namespace cosmos3::sound {

SoundDecoder SoundDecoder::load(const std::filesystem::path& folder, c10::ScalarType dtype,
                                c10::Device device) {
  const SoundTokenizerConfig config = load_sound_tokenizer_config(folder / "config.json");
  const safetensors::Checkpoint checkpoint(safetensors::find_checkpoint_in_folder(folder));
  SoundCheckpointWeightSource source(checkpoint);
  return build(config, source, dtype, device);
}

SoundDecoder SoundDecoder::build(const SoundTokenizerConfig& config, model::WeightSource& source,
                                 c10::ScalarType dtype, c10::Device device) {
  const c10::InferenceMode inference;
  SoundDecoder decoder(config, dtype, device);
  LayerPlacement placement{source, dtype, device};
  const std::vector<int64_t> dims = config.decoder_dims();
  NormedConv::Geometry same7;
  same7.padding = 3;
  decoder.conv_in_ =
      NormedConv::load(placement, "decoder.conv1", {dims[0], config.vocoder_input_dim, 7}, same7);
  // Strides apply in reverse: the published (2, 4, 5, 6, 8) upsamples by 8 first.
  for (int64_t block = 0; block < config.num_blocks(); ++block) {
    const int64_t stride = config.dec_strides[config.dec_strides.size() - 1 - block];
    decoder.blocks_.push_back(DecoderBlock::load(
        placement, "decoder.block." + std::to_string(block), dims[block], dims[block + 1], stride));
  }
  decoder.snake_out_ = SnakeBeta::load(placement, "decoder.snake1", config.dec_dim);
  NormedConv::Geometry same7_no_bias = same7;
  same7_no_bias.has_bias = false;
  decoder.conv_out_ = NormedConv::load(placement, "decoder.conv2",
                                       {config.dec_out_channels, config.dec_dim, 7}, same7_no_bias);
  return decoder;
}

at::Tensor SoundDecoder::decode(const at::Tensor& latents) const {
  TORCH_CHECK(latents.dim() == 2 || latents.dim() == 3,
              "sound latents must be [C, T] or [B, C, T]");
  const bool unbatched = latents.dim() == 2;
  const at::Tensor latents_BCT = unbatched ? latents.unsqueeze(0) : latents;
  TORCH_CHECK(latents_BCT.size(1) == config_.vocoder_input_dim, "sound latents have ",
              latents_BCT.size(1), " channels, the decoder takes ", config_.vocoder_input_dim);
  const c10::InferenceMode inference;
  at::Tensor hidden = conv_in_.forward(latents_BCT.to(device_, dtype_));
  for (const DecoderBlock& block : blocks_) {
    hidden = block.forward(hidden);
  }
  hidden = conv_out_.forward(snake_out_.forward(hidden));
  hidden = at::clamp(hidden, -1.0, 1.0);
  return unbatched ? hidden.squeeze(0) : hidden;
}

}  // namespace cosmos3::sound
