#include "parallel/engine/parallel_layout.h"

#include "parallel/comm/parallel_error.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace cosmos3::parallel {
namespace {

std::string join(const std::vector<int64_t>& values) {
  std::ostringstream text;
  for (std::size_t index = 0; index < values.size(); ++index) {
    text << (index == 0 ? "" : ", ") << values[index];
  }
  return text.str();
}

std::string model_heads_text(const model::TransformerConfig& config) {
  return "the model has " + std::to_string(config.num_attention_heads) + " query heads and " +
         std::to_string(config.num_key_value_heads) + " key/value heads";
}

// The largest factor of `cp` that splits both local head counts evenly: Ulysses needs whole
// heads per rank (GQA kept compact), ring attention takes the rest of the degree.
int64_t ulysses_degree(int64_t cp, int64_t num_local_query_heads,
                       int64_t num_local_key_value_heads) {
  for (int64_t candidate = cp; candidate > 1; --candidate) {
    if (cp % candidate == 0 && num_local_query_heads % candidate == 0 &&
        num_local_key_value_heads % candidate == 0) {
      return candidate;
    }
  }
  return 1;
}

}  // namespace

std::string ParallelDegrees::describe() const {
  return "cfg " + std::to_string(cfg) + " x cp " + std::to_string(cp) + " x tp " +
         std::to_string(tp);
}

std::vector<int64_t> valid_tensor_parallel_degrees(const model::TransformerConfig& config) {
  std::vector<int64_t> valid;
  const int64_t num_kv = config.num_key_value_heads;
  for (int64_t tp = 1; tp <= config.num_attention_heads; ++tp) {
    if (config.num_attention_heads % tp == 0 && (num_kv % tp == 0 || tp % num_kv == 0)) {
      valid.push_back(tp);
    }
  }
  return valid;
}

int64_t first_local_key_value_head(int64_t tp_rank, int64_t tp, int64_t num_key_value_heads) {
  // tp <= Hkv: contiguous blocks of Hkv / tp heads; tp > Hkv: tp / Hkv ranks share each head,
  // the one their query heads are grouped with.
  return tp <= num_key_value_heads ? tp_rank * (num_key_value_heads / tp)
                                   : tp_rank * num_key_value_heads / tp;
}

HeadLayout plan_head_layout(const ParallelDegrees& degrees, int64_t world_size,
                            const model::TransformerConfig& config) {
  const std::string layout = "parallel layout " + degrees.describe();
  if (degrees.cfg < 1 || degrees.cfg > kMaxCfgDegree) {
    throw LayoutError(layout +
                      ": cfg must be 1, 2 or 3 (one rank group per guidance pass): 2 pays for "
                      "guided jobs (cond and uncond), 3 only pays for transfer jobs with "
                      "control guidance and guidance both on");
  }
  if (degrees.tp < 1 || degrees.cp < 1) {
    throw LayoutError(layout + ": every degree must be at least 1");
  }
  if (degrees.num_ranks() != world_size) {
    throw LayoutError(layout + " needs " + std::to_string(degrees.num_ranks()) +
                      " ranks but the launch has " + std::to_string(world_size) +
                      ": choose cfg x tp x cp == " + std::to_string(world_size));
  }
  const std::vector<int64_t> valid_tp = valid_tensor_parallel_degrees(config);
  if (std::find(valid_tp.begin(), valid_tp.end(), degrees.tp) == valid_tp.end()) {
    throw LayoutError(layout + ": tp " + std::to_string(degrees.tp) + " does not fit; " +
                      model_heads_text(config) +
                      ", and tp must divide the query heads and divide or be a multiple of the "
                      "key/value heads. Valid tp degrees: " +
                      join(valid_tp));
  }
  HeadLayout heads;
  heads.num_query_heads = config.num_attention_heads;
  heads.num_key_value_heads = config.num_key_value_heads;
  heads.num_local_query_heads = config.num_attention_heads / degrees.tp;
  heads.num_local_key_value_heads = std::max<int64_t>(1, config.num_key_value_heads / degrees.tp);
  heads.ulysses =
      ulysses_degree(degrees.cp, heads.num_local_query_heads, heads.num_local_key_value_heads);
  heads.ring = degrees.cp / heads.ulysses;
  return heads;
}

}  // namespace cosmos3::parallel
