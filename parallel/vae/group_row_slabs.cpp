#include "parallel/vae/group_row_slabs.h"

#include "parallel/comm/parallel_error.h"

#include <ATen/ops/cat.h>
#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/zeros.h>

#include <algorithm>
#include <string>

namespace cosmos3::parallel {
namespace {

// [B, C, T, h, W] <-> [h, B, C, T, W]: the collectives split along dim 0.
at::Tensor rows_first(const at::Tensor& x_BCTHW) {
  return x_BCTHW.permute({3, 0, 1, 2, 4}).contiguous();
}
at::Tensor rows_back(const at::Tensor& x_HBCTW) { return x_HBCTW.permute({1, 2, 3, 0, 4}); }

// [B, C, T, rows, W] zeros: the frame's border.
at::Tensor zero_rows(const at::Tensor& like_BCTHW, int64_t rows) {
  std::vector<int64_t> shape = like_BCTHW.sizes().vec();
  shape[3] = rows;
  return at::zeros(shape, like_BCTHW.options());
}

}  // namespace

GroupRowSlabs::GroupRowSlabs(std::shared_ptr<Communicator> group, SlabRows slabs, int writer)
    : group_(std::move(group)), slabs_(std::move(slabs)), writer_(writer) {
  if (slabs_.num_ranks() != group_->size() || slabs_.rank != group_->rank() || writer_ < 0 ||
      writer_ >= group_->size()) {
    throw LayoutError("a VAE split of " + std::to_string(slabs_.num_ranks()) + " slabs (this one " +
                      std::to_string(slabs_.rank) + ", writer " + std::to_string(writer_) +
                      ") does not fit group '" + group_->name() + "' of " +
                      std::to_string(group_->size()) + " ranks (this one " +
                      std::to_string(group_->rank()) + ")");
  }
}

at::Tensor GroupRowSlabs::add_halo(const at::Tensor& slab_BCTHW, int64_t above, int64_t below) {
  const int num_ranks = group_->size();
  if (num_ranks == 1) {
    return at::constant_pad_nd(slab_BCTHW, {0, 0, above, below});
  }
  const int64_t scale = scale_of(slab_BCTHW);
  const std::vector<int64_t> rows = slabs_.scaled(scale);
  // A neighbour's halo comes from one slab: a thinner slab would need rows of the next one too.
  const int64_t thinnest = *std::min_element(rows.begin(), rows.end());
  TORCH_CHECK(thinnest >= std::max(above, below), "a halo of ", std::max(above, below),
              " rows needs slabs of as many rows, the thinnest has ", thinnest);
  const int rank = group_->rank();
  const int64_t height = slab_BCTHW.size(3);
  const bool has_previous = rank > 0;
  const bool has_next = rank + 1 < num_ranks;
  const int64_t sent_up = has_previous ? below : 0;
  const int64_t sent_down = has_next ? above : 0;
  const int64_t received_above = has_previous ? above : 0;
  const int64_t received_below = has_next ? below : 0;
  std::vector<int64_t> input_splits(static_cast<size_t>(num_ranks), 0);
  std::vector<int64_t> output_splits(static_cast<size_t>(num_ranks), 0);
  if (has_previous) {
    input_splits[static_cast<size_t>(rank - 1)] = sent_up;
    output_splits[static_cast<size_t>(rank - 1)] = received_above;
  }
  if (has_next) {
    input_splits[static_cast<size_t>(rank + 1)] = sent_down;
    output_splits[static_cast<size_t>(rank + 1)] = received_below;
  }
  // Rows to the previous rank first: all_to_all reads its input in destination rank order.
  const at::Tensor input_HBCTW = rows_first(at::cat(
      {slab_BCTHW.narrow(3, 0, sent_up), slab_BCTHW.narrow(3, height - sent_down, sent_down)}, 3));
  std::vector<int64_t> output_shape = input_HBCTW.sizes().vec();
  output_shape[0] = received_above + received_below;
  at::Tensor output_HBCTW = at::empty(output_shape, input_HBCTW.options());
  group_->all_to_all(output_HBCTW, input_HBCTW, output_splits, input_splits);
  // The output holds the previous rank's rows, then the next rank's.
  const at::Tensor rows_above =
      has_previous ? rows_back(output_HBCTW.narrow(0, 0, above)) : zero_rows(slab_BCTHW, above);
  const at::Tensor rows_below = has_next ? rows_back(output_HBCTW.narrow(0, received_above, below))
                                         : zero_rows(slab_BCTHW, below);
  return at::cat({rows_above, slab_BCTHW, rows_below}, 3);
}

at::Tensor GroupRowSlabs::gather_frame(const at::Tensor& slab_BCTHW) {
  if (group_->size() == 1) {
    return slab_BCTHW;
  }
  const std::vector<int64_t> rows = slabs_.scaled(scale_of(slab_BCTHW));
  return rows_back(group_->all_gather(rows_first(slab_BCTHW), rows));
}

at::Tensor GroupRowSlabs::collect_frame(const at::Tensor& slab_BCTHW) {
  const int num_ranks = group_->size();
  if (num_ranks == 1) {
    return slab_BCTHW;
  }
  const std::vector<int64_t> rows = slabs_.scaled(scale_of(slab_BCTHW));
  std::vector<int64_t> input_splits(static_cast<size_t>(num_ranks), 0);
  input_splits[static_cast<size_t>(writer_)] = slab_BCTHW.size(3);
  const std::vector<int64_t> output_splits =
      is_writer() ? rows : std::vector<int64_t>(static_cast<size_t>(num_ranks), 0);
  const at::Tensor input_HBCTW = rows_first(slab_BCTHW);
  std::vector<int64_t> output_shape = input_HBCTW.sizes().vec();
  output_shape[0] = is_writer() ? slabs_.num_frame_rows() * scale_of(slab_BCTHW) : 0;
  at::Tensor output_HBCTW = at::empty(output_shape, input_HBCTW.options());
  group_->all_to_all(output_HBCTW, input_HBCTW, output_splits, input_splits);
  return is_writer() ? rows_back(output_HBCTW) : at::Tensor();
}

}  // namespace cosmos3::parallel
