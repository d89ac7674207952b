#pragma once
// The VAE's row split (core/vae/row_slabs.h) over a group of ranks: rank r owns slab r of
// SlabRows, halo rows come from the neighbouring ranks in one all_to_all per exchange, whole
// frames come from an all_gather, and the writer collects the decoded pixels with an
// all_to_all that sends every slab to it alone. A group of one exchanges nothing.
//
// Shape legend: B batch, C channels, T frames, h this rank's rows, H the frame's rows, W width.

#include "core/vae/row_slabs.h"
#include "parallel/comm/communicator.h"
#include "parallel/vae/slab_rows.h"

#include <memory>

namespace cosmos3::parallel {

class GroupRowSlabs final : public vae::RowSlabs {
 public:
  // `slabs.rank` must be the group's rank of this process and `slabs` must have one slab per
  // rank of the group; `writer` is the group rank that collects the pixels. Throws LayoutError
  // otherwise.
  GroupRowSlabs(std::shared_ptr<Communicator> group, SlabRows slabs, int writer = 0);

  int64_t first_latent_row() const override { return slabs_.first_row(); }
  int64_t num_latent_rows() const override { return slabs_.num_rows(); }
  int64_t num_frame_latent_rows() const override { return slabs_.num_frame_rows(); }

  // [B, C, T, h, W] -> [B, C, T, above + h + below, W]. Rank r sends its first `below` rows to
  // rank r - 1 and its last `above` rows to rank r + 1 in one all_to_all
  // ([below + above, B, C, T, W] -> [above + below, B, C, T, W], rows first).
  at::Tensor add_halo(const at::Tensor& slab_BCTHW, int64_t above, int64_t below) override;
  // [B, C, T, h, W] -> all_gather of [h, B, C, T, W] -> [B, C, T, H, W].
  at::Tensor gather_frame(const at::Tensor& slab_BCTHW) override;
  // [B, C, T, h, W] -> all_to_all to the writer alone ([h, B, C, T, W] -> [H, B, C, T, W]
  // there, [0, B, C, T, W] elsewhere) -> [B, C, T, H, W] on the writer.
  at::Tensor collect_frame(const at::Tensor& slab_BCTHW) override;
  bool is_writer() const override { return group_->rank() == writer_; }

 private:
  std::shared_ptr<Communicator> group_;
  SlabRows slabs_;
  int writer_;
};

}  // namespace cosmos3::parallel
