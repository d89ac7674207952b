#include "parallel/engine/rank_session.h"

#include "parallel/comm/parallel_error.h"
#include "parallel/engine/rank_transformer.h"

namespace cosmos3::parallel {

std::string RankSession::describe() const {
  if (!world) {
    return "a single process on " + device.str();
  }
  return "rank " + std::to_string(world->environment().rank) + " of " +
         std::to_string(world->environment().world_size) + " (" + mesh.degrees.describe() +
         ", on " + device.str() + ")";
}

RankSession join_ranks(const std::filesystem::path& model_dir, const ParallelDegrees& degrees,
                       c10::Device device) {
  RankSession session;
  if (!RankEnvironment::is_launched()) {
    if (degrees.num_ranks() != 1) {
      throw LayoutError(
          "the layout " + degrees.describe() + " needs " + std::to_string(degrees.num_ranks()) +
          " ranks: start them with cosmos3-launch --nproc " + std::to_string(degrees.num_ranks()));
    }
    session.mesh = single_process_mesh();
    session.device = device;
    return session;
  }
  const RankEnvironment environment = RankEnvironment::from_environment();
  const HeadLayout heads = plan_model_layout(model_dir, degrees, environment.world_size);
  session.world = connect_world(environment, device.is_cuda() ? Backend::nccl : Backend::cpu);
  session.mesh = build_rank_mesh(*session.world, degrees, heads);
  session.device = session.world->device();
  return session;
}

model::Transformer load_session_transformer(const std::filesystem::path& model_dir,
                                            const RankSession& session, c10::ScalarType dtype) {
  if (!session.world) {
    return model::Transformer::load(model_dir, dtype, session.device);
  }
  return load_rank_transformer(model_dir, session.mesh, dtype, session.device);
}

}  // namespace cosmos3::parallel
