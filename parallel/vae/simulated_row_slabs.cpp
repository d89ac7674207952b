#include "parallel/vae/simulated_row_slabs.h"

#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>

namespace cosmos3::parallel {
namespace {

// [B, C, T, rows, W] taken from the first rows of `source_BCTHW` (repeated when it has fewer),
// or zeros: what a neighbour would have sent, in shape only.
at::Tensor stand_in_rows(const at::Tensor& source_BCTHW, int64_t rows, bool border) {
  std::vector<int64_t> shape = source_BCTHW.sizes().vec();
  shape[3] = rows;
  if (border || rows == 0) {
    return at::zeros(shape, source_BCTHW.options());
  }
  at::Tensor copy = at::empty(shape, source_BCTHW.options());
  for (int64_t row = 0; row < rows; row += source_BCTHW.size(3)) {
    const int64_t count = std::min(source_BCTHW.size(3), rows - row);
    copy.narrow(3, row, count).copy_(source_BCTHW.narrow(3, 0, count));
  }
  return copy;
}

int64_t bytes_of_rows(const at::Tensor& x_BCTHW, int64_t rows) {
  return x_BCTHW.numel() / x_BCTHW.size(3) * rows * static_cast<int64_t>(x_BCTHW.element_size());
}

}  // namespace

at::Tensor SimulatedRowSlabs::add_halo(const at::Tensor& slab_BCTHW, int64_t above, int64_t below) {
  const bool has_previous = slabs_.rank > 0;
  const bool has_next = slabs_.rank + 1 < slabs_.num_ranks();
  ++traffic_.num_halo_exchanges;
  traffic_.halo_bytes +=
      bytes_of_rows(slab_BCTHW, (has_previous ? above : 0) + (has_next ? below : 0));
  return at::cat({stand_in_rows(slab_BCTHW, above, !has_previous), slab_BCTHW,
                  stand_in_rows(slab_BCTHW, below, !has_next)},
                 3);
}

at::Tensor SimulatedRowSlabs::gather_frame(const at::Tensor& slab_BCTHW) {
  const int64_t frame_rows = scale_of(slab_BCTHW) * slabs_.num_frame_rows();
  ++traffic_.num_gathers;
  traffic_.gather_bytes += bytes_of_rows(slab_BCTHW, frame_rows - slab_BCTHW.size(3));
  return stand_in_rows(slab_BCTHW, frame_rows, false);
}

at::Tensor SimulatedRowSlabs::collect_frame(const at::Tensor& slab_BCTHW) {
  ++traffic_.num_collects;
  if (!is_writer()) {
    return at::Tensor();
  }
  const int64_t frame_rows = scale_of(slab_BCTHW) * slabs_.num_frame_rows();
  traffic_.collect_bytes += bytes_of_rows(slab_BCTHW, frame_rows - slab_BCTHW.size(3));
  return stand_in_rows(slab_BCTHW, frame_rows, false);
}

}  // namespace cosmos3::parallel
