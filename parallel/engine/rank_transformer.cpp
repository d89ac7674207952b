#include "parallel/engine/rank_transformer.h"

#include "core/model/transformer_config.h"
#include "core/model/transformer_weights.h"
#include "core/safetensors/checkpoint.h"
#include "parallel/engine/tensor_parallel_weight_source.h"

namespace cosmos3::parallel {

HeadLayout plan_model_layout(const std::filesystem::path& model_dir, const ParallelDegrees& degrees,
                             int64_t world_size) {
  const model::TransformerConfig config =
      model::load_transformer_config(model::transformer_folder(model_dir) / "config.json");
  return plan_head_layout(degrees, world_size, config);
}

model::Transformer load_rank_transformer(const std::filesystem::path& model_dir,
                                         const RankMesh& mesh, c10::ScalarType dtype,
                                         c10::Device device) {
  const std::filesystem::path folder = model::transformer_folder(model_dir);
  model::TransformerConfig config = model::load_transformer_config(folder / "config.json");
  plan_head_layout(mesh.degrees, mesh.degrees.num_ranks(), config);
  const safetensors::Checkpoint checkpoint(folder);
  TensorParallelWeightSource source(checkpoint, config, mesh.tp_index, mesh.degrees.tp);
  model::TransformerWeights weights =
      model::load_transformer_weights(config, source, dtype, device);
  return model::Transformer(std::move(config), std::move(weights), dtype);
}

}  // namespace cosmos3::parallel
