#include "core/model/transformer_io.h"

#include "core/errors.h"
#include "core/safetensors/safetensors_file.h"

#include <ATen/ops/to.h>

namespace cosmos3::model {
namespace {

class NamedInputs {
 public:
  NamedInputs(const std::map<std::string, at::Tensor>& named, const std::string& source)
      : named_(named), source_(source) {}

  bool has(const std::string& name) const { return named_.count(name) != 0; }

  at::Tensor tensor(const std::string& name) const {
    const auto found = named_.find(name);
    if (found == named_.end()) {
      throw UserError(source_ + ": input '" + name + "' is missing");
    }
    return found->second;
  }

  at::Tensor indexes(const std::string& name) const { return tensor(name).to(at::kLong); }

  int64_t scalar(const std::string& name) const {
    const at::Tensor value = tensor(name);
    if (value.numel() != 1) {
      throw UserError(source_ + ": input '" + name + "' must hold one integer");
    }
    return value.to(at::kLong).item<int64_t>();
  }

  // `name.0`, `name.1`, ... until the first gap.
  std::vector<at::Tensor> list(const std::string& name) const {
    std::vector<at::Tensor> items;
    while (has(name + "." + std::to_string(items.size()))) {
      items.push_back(tensor(name + "." + std::to_string(items.size())));
    }
    return items;
  }

  std::vector<std::array<int64_t, 3>> shapes(const std::string& name) const {
    std::vector<std::array<int64_t, 3>> result;
    for (const at::Tensor& shape : list(name)) {
      if (shape.numel() != 3) {
        throw UserError(source_ + ": every '" + name + ".N' must hold 3 integers (T, H, W)");
      }
      const at::Tensor values = shape.to(at::kLong).contiguous();
      const int64_t* data = values.const_data_ptr<int64_t>();
      result.push_back({data[0], data[1], data[2]});
    }
    return result;
  }

  ModalityInputs modality(const std::string& prefix) const {
    ModalityInputs result{list(prefix + "_tokens"),
                          shapes(prefix + "_token_shapes"),
                          indexes(prefix + "_sequence_indexes"),
                          indexes(prefix + "_mse_loss_indexes"),
                          tensor(prefix + "_timesteps"),
                          {},
                          {}};
    for (const at::Tensor& frames : list(prefix + "_noisy_frame_indexes")) {
      result.noisy_frame_indexes.push_back(frames.to(at::kLong));
    }
    for (const at::Tensor& domain : list(prefix + "_domain_ids")) {
      result.domain_ids.push_back(domain.to(at::kLong));
    }
    const std::size_t num_items = result.tokens.size();
    if (num_items == 0 || result.token_shapes.size() != num_items ||
        result.noisy_frame_indexes.size() != num_items) {
      throw UserError(source_ + ": '" + prefix + "_tokens.N', '" + prefix +
                      "_token_shapes.N' and '" + prefix +
                      "_noisy_frame_indexes.N' must list the same number (>= 1) of items");
    }
    return result;
  }

 private:
  const std::map<std::string, at::Tensor>& named_;
  const std::string& source_;
};

void append_list(std::vector<std::pair<std::string, at::Tensor>>& named, const std::string& name,
                 const std::vector<at::Tensor>& items) {
  for (std::size_t index = 0; index < items.size(); ++index) {
    named.emplace_back(name + "." + std::to_string(index), items[index]);
  }
}

}  // namespace

TransformerInputs inputs_from_named(const std::map<std::string, at::Tensor>& named,
                                    const std::string& source) {
  const NamedInputs inputs(named, source);
  TransformerInputs result{inputs.indexes("input_ids"),
                           inputs.indexes("text_indexes"),
                           // Float when fps modulation scales temporal positions: keep the dtype.
                           inputs.tensor("position_ids"),
                           inputs.scalar("und_len"),
                           inputs.scalar("sequence_length"),
                           inputs.modality("vision"),
                           std::nullopt,
                           std::nullopt};
  if (inputs.has("sound_tokens.0")) {
    result.sound = inputs.modality("sound");
  }
  if (inputs.has("action_tokens.0")) {
    result.action = inputs.modality("action");
    if (result.action->domain_ids.size() != result.action->tokens.size()) {
      throw UserError(source + ": each 'action_tokens.N' needs an 'action_domain_ids.N'");
    }
  }
  if (result.position_ids.dim() != 2 || result.position_ids.size(0) != 3 ||
      result.position_ids.size(1) != result.sequence_length) {
    throw UserError(source + ": 'position_ids' must be [3, sequence_length]");
  }
  if (result.und_len < 0 || result.und_len > result.sequence_length) {
    throw UserError(source + ": 'und_len' must lie in [0, sequence_length]");
  }
  return result;
}

std::vector<std::pair<std::string, at::Tensor>> outputs_to_named(
    const TransformerOutputs& outputs) {
  std::vector<std::pair<std::string, at::Tensor>> named;
  append_list(named, "sample", outputs.sample);
  append_list(named, "sound", outputs.sound);
  append_list(named, "action", outputs.action);
  return named;
}

std::map<std::string, at::Tensor> load_named_tensors(const std::string& path) {
  const safetensors::SafetensorsFile file(path);
  std::map<std::string, at::Tensor> named;
  for (const std::string& name : file.tensor_names()) {
    named.emplace(name, file.load(name));
  }
  return named;
}

}  // namespace cosmos3::model
