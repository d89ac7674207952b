#include "parallel/vae/slab_rows.h"

#include "parallel/comm/parallel_error.h"

#include <numeric>
#include <string>

namespace cosmos3::parallel {

int64_t SlabRows::first_row() const {
  return std::accumulate(rows_per_rank.begin(), rows_per_rank.begin() + rank, int64_t{0});
}

int64_t SlabRows::num_frame_rows() const {
  return std::accumulate(rows_per_rank.begin(), rows_per_rank.end(), int64_t{0});
}

std::vector<int64_t> SlabRows::scaled(int64_t scale) const {
  std::vector<int64_t> rows = rows_per_rank;
  for (int64_t& count : rows) count *= scale;
  return rows;
}

SlabRows split_latent_rows(int64_t num_latent_rows, int num_ranks, int rank) {
  if (num_ranks < 1 || num_ranks > num_latent_rows) {
    throw LayoutError("a VAE split by rows needs 1 to " + std::to_string(num_latent_rows) +
                      " ranks (one latent row each at least) for a frame of " +
                      std::to_string(num_latent_rows) + " latent rows, got " +
                      std::to_string(num_ranks) + " ranks: use fewer ranks or a taller frame");
  }
  if (rank < 0 || rank >= num_ranks) {
    throw LayoutError("rank " + std::to_string(rank) + " is outside a VAE split of " +
                      std::to_string(num_ranks) + " ranks");
  }
  SlabRows slabs;
  slabs.rank = rank;
  const int64_t base = num_latent_rows / num_ranks;
  const int64_t extra = num_latent_rows % num_ranks;
  for (int index = 0; index < num_ranks; ++index) {
    slabs.rows_per_rank.push_back(base + (index < extra ? 1 : 0));
  }
  return slabs;
}

}  // namespace cosmos3::parallel
