#include "parallel/engine/layout_memory_model.h"

#include "core/config/json_config_reader.h"
#include "parallel/engine/rank_weight_bytes.h"

#include <algorithm>

namespace cosmos3::parallel {
namespace {

int64_t ceil_div(int64_t value, int64_t divisor) { return (value + divisor - 1) / divisor; }

}  // namespace

MemoryCoefficients MemoryCoefficients::load(const std::filesystem::path& calibration_file) {
  const config::Json json = config::parse_json_object(
      config::read_config_text(calibration_file,
                               "a JSON object with the fields of MemoryCoefficients"),
      calibration_file.string());
  const config::JsonConfigReader reader(json, calibration_file.string());
  MemoryCoefficients coefficients;
  reader.read("local_hidden_copies", coefficients.local_hidden_copies);
  reader.read("local_mlp_copies", coefficients.local_mlp_copies);
  reader.read("full_sequence_copies", coefficients.full_sequence_copies);
  for (const auto& [field, value] :
       {std::pair{"local_hidden_copies", coefficients.local_hidden_copies},
        {"local_mlp_copies", coefficients.local_mlp_copies},
        {"full_sequence_copies", coefficients.full_sequence_copies}}) {
    if (value < 0) reader.fail(field, "must be >= 0, got " + std::to_string(value));
  }
  return coefficients;
}

RankMemory predict_rank_memory(const model::TransformerConfig& config,
                               const ParallelDegrees& degrees, const LayoutWorkload& workload,
                               const MemoryCoefficients& coefficients) {
  const auto element_bytes = static_cast<double>(c10::elementSize(workload.dtype));
  // The longest pass sets the peak: transfer's passes with controls carry their clean items.
  const int64_t num_stream_tokens = largest_generation_stream(workload);
  const auto tokens = static_cast<double>(num_stream_tokens);
  // The rank with the largest share of uneven splits: rank 0, which takes the extra token and
  // the extra MLP channel.
  const auto local_tokens = static_cast<double>(ceil_div(num_stream_tokens, degrees.cp));
  const auto local_mlp = static_cast<double>(ceil_div(config.intermediate_size, degrees.tp));
  const auto hidden = static_cast<double>(config.hidden_size);
  const double inside_layer = coefficients.local_hidden_copies * local_tokens * hidden +
                              coefficients.local_mlp_copies * local_tokens * local_mlp;
  const double around_layers = coefficients.full_sequence_copies * tokens * hidden;
  RankMemory memory;
  memory.weight_bytes = rank_weight_bytes(config, degrees.tp, workload.dtype) +
                        (workload.fp8 ? rank_fp8_weight_bytes(config, degrees.tp) : 0);
  memory.activation_bytes =
      static_cast<int64_t>(std::max(inside_layer, around_layers) * element_bytes);
  return memory;
}

}  // namespace cosmos3::parallel
