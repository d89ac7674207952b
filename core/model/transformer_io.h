#pragma once
// The transformer forward's inputs and outputs, shaped as diffusers' Cosmos3OmniTransformer
// forward arguments, and their flat safetensors naming (lists as `name.0`, `name.1`, ...).

#include <ATen/core/Tensor.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cosmos3::model {

// One generated modality (vision, sound or action) of a packed sequence.
struct ModalityInputs {
  std::vector<at::Tensor> tokens;  // vision [1, C, T, H, W], sound [C, T], action [T, D]
  std::vector<std::array<int64_t, 3>> token_shapes;  // patch grid (T, H, W) per item
  at::Tensor sequence_indexes;                       // where the tokens sit in the joint sequence
  at::Tensor mse_loss_indexes;  // where predictions are read back (the noisy tokens)
  at::Tensor timesteps;         // one per noisy token
  std::vector<at::Tensor> noisy_frame_indexes;  // per item
  std::vector<at::Tensor> domain_ids;           // action only: one scalar per item
};

struct TransformerInputs {
  at::Tensor input_ids;
  at::Tensor text_indexes;
  at::Tensor position_ids;  // [3, sequence_length], int64, or float32 under fps modulation
  int64_t und_len = 0;
  int64_t sequence_length = 0;
  ModalityInputs vision;
  std::optional<ModalityInputs> sound;
  std::optional<ModalityInputs> action;
};

struct TransformerOutputs {
  std::vector<at::Tensor> sample;  // per vision item [1, C, T, H, W]
  std::vector<at::Tensor> sound;   // per sound item [C, T]
  std::vector<at::Tensor> action;  // per action item [T, D]
};

// Throws UserError naming `source` and the missing or malformed input.
TransformerInputs inputs_from_named(const std::map<std::string, at::Tensor>& named,
                                    const std::string& source);
std::vector<std::pair<std::string, at::Tensor>> outputs_to_named(const TransformerOutputs& outputs);
std::map<std::string, at::Tensor> load_named_tensors(const std::string& path);

}  // namespace cosmos3::model
