#include "core/model/weight_source.h"

#include "core/errors.h"

namespace cosmos3::model {
namespace {}  // namespace

void check_stored_weight(const safetensors::Checkpoint& checkpoint, const std::string& name,
                         const std::vector<int64_t>& full_shape, const WeightOrigin& origin) {
  if (!checkpoint.contains(name)) {
    throw CheckpointError(checkpoint.path(), name,
                          "is missing; " + origin.config_file +
                              " calls for it: the weights and the config belong to different "
                              "models, or the file is incomplete");
  }
  const safetensors::TensorEntry& entry = checkpoint.entry(name);
  const std::string& file = checkpoint.file_of(name).path();
  if (!c10::isFloatingType(entry.dtype)) {
    throw CheckpointError(file, name,
                          std::string("has dtype ") + c10::toString(entry.dtype) + "; " +
                              origin.kind + " weights must be F32, BF16 or F16");
  }
  if (entry.shape != full_shape) {
    throw CheckpointError(file, name,
                          "has shape " + safetensors::shape_text(entry.shape) + " but " +
                              origin.config_file + " implies " +
                              safetensors::shape_text(full_shape) +
                              ": the weights and the config belong to different models");
  }
}

at::Tensor CheckpointWeightSource::load(const std::string& name,
                                        const std::vector<int64_t>& full_shape, ShardRole) {
  check_stored_weight(checkpoint_, name, full_shape, origin_);
  return checkpoint_.load(name);
}

}  // namespace cosmos3::model
