#pragma once
// How the latent rows of a frame are shared out for a VAE split by rows: one slab of whole
// latent rows per rank, in rank order, the first `num_rows % num_ranks` ranks taking one row
// more. Every stage of the VAE scales these slabs by its factor, so they stay aligned with
// the up- and downsamplers' 2 x 2 cells.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cosmos3::parallel {

struct SlabRows {
  std::vector<int64_t> rows_per_rank;  // latent rows of each rank's slab
  int rank = 0;                        // this process's slab

  int num_ranks() const { return static_cast<int>(rows_per_rank.size()); }
  int64_t first_row() const;
  int64_t num_rows() const { return rows_per_rank[static_cast<std::size_t>(rank)]; }
  int64_t num_frame_rows() const;
  // Rows of every slab at `scale` times the latent resolution.
  std::vector<int64_t> scaled(int64_t scale) const;
};

// Throws LayoutError unless 1 <= num_ranks <= num_latent_rows (every slab needs a row) and
// 0 <= rank < num_ranks.
SlabRows split_latent_rows(int64_t num_latent_rows, int num_ranks, int rank);

}  // namespace cosmos3::parallel
