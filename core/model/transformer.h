#pragma once
// The Cosmos3 omni transformer (diffusers' Cosmos3OmniTransformer): a mixture-of-transformers
// decoder whose text (understanding) stream is causal and whose generation stream (vision,
// sound, action tokens) attends to both streams.

#include "core/model/model_seams.h"
#include "core/model/transformer_config.h"
#include "core/model/transformer_io.h"
#include "core/model/transformer_weights.h"

#include <filesystem>

namespace cosmos3::model {

class Transformer {
 public:
  Transformer(TransformerConfig config, TransformerWeights weights, c10::ScalarType dtype);

  // Loads transformer/config.json and the weights from a diffusers folder (the pipeline root
  // with model_index.json, or its transformer/ subfolder). Throws ConfigError or
  // CheckpointError naming the file and the problem.
  static Transformer load(const std::filesystem::path& model_dir, c10::ScalarType dtype,
                          c10::Device device);

  const TransformerConfig& config() const { return config_; }
  c10::ScalarType dtype() const { return dtype_; }

  // One denoising forward. `seams` chooses the attention kernels and the parallel layout;
  // the default is a single rank.
  TransformerOutputs forward(const TransformerInputs& inputs, ModelSeams& seams) const;
  TransformerOutputs forward(const TransformerInputs& inputs) const;
  // One forward whose generation-tower GEMMs run in `precision`; kFp8 needs prepare_fp8()
  // first and throws UserError otherwise (always so on the CPU).
  TransformerOutputs forward(const TransformerInputs& inputs, ModelSeams& seams,
                             Precision precision) const;

  // Quantizes the generation tower's GEMM weights to e4m3 beside the bf16 ones (about half
  // their memory again). Throws UserError on the CPU or for a model that is not bf16, and
  // c10::OutOfMemoryError, keeping none of the copies, when they do not fit.
  void prepare_fp8();
  // Drops the e4m3 copies (a group whose other rank could not make its own): FP8 forwards
  // need prepare_fp8() again.
  void release_fp8();

 private:
  at::Tensor embed_sequence(const TransformerInputs& inputs) const;
  at::Tensor add_timestep_embeddings(at::Tensor packed_ND, const ModalityInputs& modality) const;
  StreamState run_decoder(StreamState streams, ModelSeams& seams) const;
  TransformerOutputs decode(const at::Tensor& last_hidden_SE,
                            const TransformerInputs& inputs) const;

  TransformerConfig config_;
  TransformerWeights weights_;
  c10::ScalarType dtype_;
  bool fp8_ready_ = false;
};

// The transformer subfolder of a diffusers folder: `model_dir/transformer` when model_dir
// holds model_index.json, else model_dir itself. Throws ConfigError when neither has a config.
std::filesystem::path transformer_folder(const std::filesystem::path& model_dir);

}  // namespace cosmos3::model
