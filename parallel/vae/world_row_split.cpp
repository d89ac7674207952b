#include "parallel/vae/world_row_split.h"

namespace cosmos3::parallel {

std::unique_ptr<GroupRowSlabs> world_row_split(World* world, int64_t num_latent_rows,
                                               bool enabled) {
  if (!enabled || world == nullptr) {
    return nullptr;
  }
  std::shared_ptr<Communicator> all = world->communicator();
  if (all->size() == 1 || all->size() > num_latent_rows) {
    return nullptr;
  }
  return std::make_unique<GroupRowSlabs>(
      all, split_latent_rows(num_latent_rows, all->size(), all->rank()), /*writer=*/0);
}

}  // namespace cosmos3::parallel
